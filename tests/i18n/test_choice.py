"""A page's language: the visitor's link, the application's, the browser's, the default."""

from __future__ import annotations

import re

import pytest


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)" dir="(\w+)">', page)
    assert found, "no <html lang dir>"
    return found[1]


def test_a_browser_asking_for_nothing_we_offer_reads_the_organisations_default(client, app):
    assert html_lang(client.get("/").text) == "en"
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).text
    assert html_lang(page) == "en"


def test_the_default_language_is_a_setting(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LANGUAGE", "es")
    page = client.get("/", headers={"Accept-Language": "de"}).text
    assert html_lang(page) == "es"
    assert ">Actividades</a>" in page


def test_the_browsers_language_is_used_when_offered(client):
    page = client.get("/", headers={"Accept-Language": "fr-CH,fr;q=0.9,en;q=0.5"}).text
    assert html_lang(page) == "fr"
    assert ">Activités</a>" in page
    assert "Aller au contenu" in page


def test_a_language_link_keeps_the_visitor_on_the_same_page_and_sticks(client, make_activity):
    activity = make_activity()
    path = f"/activities/{activity.slug}"
    page = client.get(path, headers={"Accept-Language": "fr"}).text
    links_to = dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', page))
    spanish = next(href for href, code in links_to.items() if code == "es")
    assert spanish.replace("&amp;", "&") == f"{path}?lang=es"

    chosen = client.get(spanish, headers={"Accept-Language": "fr"})
    assert chosen.headers["Location"].endswith(path)
    assert html_lang(client.get(path, headers={"Accept-Language": "fr"}).text) == "es"
    # The choice holds on the next page of the visit, whatever the browser says.
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"}).text) == "es"


def test_an_unknown_language_choice_changes_nothing(client):
    response = client.get("/?lang=xx", headers={"Accept-Language": "fr"})
    assert response.headers["Location"].endswith("/")
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"}).text) == "fr"


def test_a_private_link_opens_in_the_applications_language(client, make_activity, make_application):
    application = make_application(make_activity(languages=["en", "es"]), language="es")
    token = application.token
    page = client.get(f"/my/{token}", headers={"Accept-Language": "fr"}).text
    assert html_lang(page) == "es"
    client.get("/?lang=fr")
    assert html_lang(client.get(f"/my/{token}").text) == "fr"


@pytest.mark.parametrize("path", ["/", "/past", "/verify"])
def test_every_public_page_offers_each_language(client, path):
    page = client.get(path).text
    for code, name in (("en", "English"), ("fr", "Français"), ("es", "Español")):
        assert re.search(rf'hreflang="{code}" lang="{code}"[^>]*>{name}</a>', page), code


def test_back_office_pages_stay_english(client):
    page = client.get("/staff/sign-in", headers={"Accept-Language": "fr"}).text
    assert html_lang(page) == "en"
    assert 'hreflang="fr"' not in page

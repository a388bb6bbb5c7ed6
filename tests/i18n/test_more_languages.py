"""Ready for more: a fourth language is a catalog and a line of config. Proved with a pseudo
-locale generated from the template catalog, and a right-to-left one that turns the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from eventreg.extensions import db as _db

from ..conftest import IsolatedClient, make_test_app

ROOT = Path(__file__).resolve().parents[2]
SITE_CSS = ROOT / "static" / "css" / "site.css"


def pseudo(text: str) -> str:
    """'Activities' -> '[Àçţîvîţîéš]': every letter changed, placeholders kept."""
    swap = str.maketrans("aceinostuAEIOU", "àçéîñøšţüÀÉÎØÜ")
    parts = re.split(r"(%\(\w+\)[sd]|%%)", text)
    return "[" + "".join(p if p.startswith("%") else p.translate(swap) for p in parts) + "]"


def generate(directory: Path, language: str) -> None:
    """A whole catalog for `language`, every string pseudo-translated."""
    with (ROOT / "translations" / "messages.pot").open("rb") as source:
        template = read_po(source)
    catalog = Catalog(locale=language)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = [pseudo(message.id[0])] + [pseudo(message.id[1])] * 5
            catalog.add(message.id, tuple(forms[: catalog.num_plurals]))
        else:
            catalog.add(message.id, pseudo(message.id))
    target = directory / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as out:
        write_mo(out, catalog)


@pytest.fixture
def four_languages(tmp_root, tmp_path, db):
    """The app with Esperanto (pseudo) and Arabic (pseudo, right to left) added by config."""
    for language in ("eo", "ar"):
        generate(tmp_path, language)
    app = make_test_app(
        tmp_root,
        LANGUAGES=["en", "fr", "es", "eo", "ar"],
        BABEL_TRANSLATION_DIRECTORIES=f"{ROOT / 'translations'};{tmp_path}",
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()  # this second app's connections, closed with it


def test_a_fourth_language_is_a_catalog_and_a_line_of_config(four_languages):
    client = four_languages.test_client()
    page = client.get("/", headers={"Accept-Language": "eo"}).text
    assert '<html lang="eo" dir="ltr">' in page
    assert ">[Àçţîvîţîéš]</a>" in page
    assert 'hreflang="eo"' in page and 'hreflang="ar"' in page
    # No English sentence is left where the catalog has a string.
    assert "Skip to content" not in page and "Search past" not in page


def test_a_right_to_left_language_turns_the_page(four_languages):
    client = four_languages.test_client()
    page = client.get("/?lang=ar", follow_redirects=True).text
    assert '<html lang="ar" dir="rtl">' in page


def test_the_layout_uses_logical_properties_so_it_mirrors_right_to_left():
    css = SITE_CSS.read_text()
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)"
        r"|(?<![-\w])(?:left|right)\s*:",
        css,
    )
    assert physical == []
    assert "padding-inline-start" in css and "border-inline-start" in css

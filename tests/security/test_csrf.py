"""Every route that changes something refuses a request without a valid CSRF token."""

from __future__ import annotations

from eventreg.models import Role


def state_changing_urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not ({"POST", "PUT", "PATCH", "DELETE"} & rule.methods):
            continue
        if rule.endpoint.startswith("api."):
            continue  # bearer tokens, never cookies: see the test below
        values = {
            name: ("x" * 43 if converter.__class__.__name__ == "UnicodeConverter" else 1)
            for name, converter in rule._converters.items()
        }
        urls.append(rule.build(values)[1])
    return urls


def test_every_state_changing_route_needs_the_token(app, db, sign_in_as):
    urls = state_changing_urls(app)
    assert len(urls) >= 15  # the test sees the app's routes
    admin = sign_in_as(Role.ADMIN)
    anonymous = app.test_client()
    refused = {}
    for url in urls:
        for who, client in (("admin", admin), ("anonymous", anonymous)):
            for token in (None, "forged-token"):
                data = {"csrf_token": token} if token else {}
                code = client.post(url, data=data).status_code
                if code != 400:
                    refused[f"{who} {url} token={token}"] = code
    assert refused == {}


def test_the_api_does_not_act_on_a_signed_in_browser_session(app, db, sign_in_as):
    """The API takes no session cookie, so a page elsewhere cannot make a browser act."""
    admin = sign_in_as(Role.ADMIN)
    api_changes = [
        url
        for url in state_changing_urls_of_api(app)
        if admin.post(url, json={}).status_code != 401
    ]
    assert api_changes == []


def state_changing_urls_of_api(app) -> list[str]:
    return [
        rule.build({name: 1 for name in rule.arguments})[1]
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and "POST" in rule.methods
    ]

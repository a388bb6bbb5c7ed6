"""Every page carries the security headers a browser enforces."""

from __future__ import annotations

import pytest

from eventreg.models import Role

from .test_role_matrix import walked_rules, world  # noqa: F401  (world is a fixture)


@pytest.mark.parametrize("path", ["/", "/staff/sign-in", "/activities/no-such-page"])
def test_pages_forbid_inline_script_framing_and_sniffing(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_template_carries_inline_script_or_style_attributes():
    """The CSP would block them in the browser: keep scripts and styles in static files."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        if "email" in path.parts or "pdf" in path.parts:
            continue  # mail clients and WeasyPrint are not under our CSP
        text = path.read_text()
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\sstyle=\"", text)
            or re.search(r"\son[a-z]+=\"", text)
        ):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_every_staff_and_trainer_page_is_kept_out_of_caches(app, db, sign_in_as, request):
    """A shared computer's browser cache, or a proxy, must not keep what staff saw."""
    things = request.getfixturevalue("world")  # the role matrix's activity with everything
    admin = sign_in_as(Role.ADMIN)
    adapter = app.url_map.bind("localhost")
    cached = []
    for rule, method in walked_rules(app):
        if method != "GET":
            continue
        values = {**things["args"], **things["overrides"].get(rule.endpoint, {})}
        url = adapter.build(
            rule.endpoint,
            {name: values[name] for name in rule.arguments}
            | things["query"].get(rule.endpoint, {}),
        )
        response = admin.get(url)
        if "no-store" not in response.headers.get("Cache-Control", ""):
            cached.append(f"{url} ({response.status_code})")
        response.close()
    for url in ("/staff/sign-in", "/staff/reset"):
        if "no-store" not in admin.get(url).headers.get("Cache-Control", ""):
            cached.append(url)
    assert cached == []


def test_public_pages_may_still_be_cached(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")

"""Every page carries the security headers a browser enforces."""

from __future__ import annotations

import pytest


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

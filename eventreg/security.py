"""Security headers on every response: a strict CSP (no inline script), no framing, no sniffing."""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

# Blueprints whose pages show what only staff may see: never kept by a browser or proxy.
PRIVATE_BLUEPRINTS = frozenset({"staff", "trainer", "auth"})


def init_app(app: Flask) -> None:
    """Add the headers after each request; a view may set a stricter one of its own."""
    https = str(app.config.get("BASE_URL", "")).startswith("https://")

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.blueprint in PRIVATE_BLUEPRINTS and "no-store" not in headers.get(
            "Cache-Control", ""
        ):
            headers["Cache-Control"] = "no-store"
        if https:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

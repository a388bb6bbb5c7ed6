"""Rate limits on the doors people knock at: sign-in, password reset, the public forms.

Limits count POSTs per client address in a store every process shares: Redis when
REDIS_URL is set, else the application's database (eventreg/ratelimit_storage.py), so a
limit holds across gunicorn workers and web nodes alike. RATELIMIT_STORAGE_URI may name
another store (never `memory://` in production: it counts per process).
Behind a reverse proxy, set TRUSTED_PROXIES to the number of proxies so the client's own
address is the one counted.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from . import ratelimit_storage  # noqa: F401  (registers the database:// storage)

# endpoint -> limit, for POST requests; each can be changed in RATE_LIMITS.
DEFAULT_LIMITS = {
    "auth.sign_in": "10 per minute; 60 per hour",
    "auth.reset_request": "5 per minute; 20 per hour",
    "auth.sign_in_code": "10 per minute; 60 per hour",
    "auth.accept_invitation": "10 per minute; 60 per hour",
    "public.apply": "20 per minute; 200 per hour",
    "public.resend_link": "5 per minute; 30 per hour",
    "public.evaluate": "20 per minute",
}


def init_app(app: Flask) -> None:
    """Attach the limiter and wrap the limited views; call after the blueprints exist."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "database://"
    # One limiter per app: a shared one would carry one app's settings into another's.
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["eventreg_limiter"] = limiter  # Flask-Limiter holds it only weakly
    limits = {**DEFAULT_LIMITS, **(app.config.get("RATE_LIMITS") or {})}
    for endpoint, limit in limits.items():
        view = app.view_functions.get(endpoint)
        if view is not None and limit:
            app.view_functions[endpoint] = limiter.limit(limit, methods=["POST"])(view)  # type: ignore[assignment]

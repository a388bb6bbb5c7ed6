"""eventreg: event and training registration. create_app() is the table of contents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(
    test_config: Mapping[str, Any] | None = None, *, instance_path: str | None = None
) -> Flask:
    """Build the application: settings, extensions, blueprints, commands.

    `instance_path` moves the instance folder (tests use a temporary one).
    """
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
        instance_path=instance_path,
    )

    from . import settings

    settings.load(app, test_config)

    from . import requestlog, security, textinput, urls

    urls.init_app(app)
    requestlog.init_app(app)
    security.init_app(app)
    textinput.init_app(app)

    from . import database
    from .extensions import csrf, db, login_manager, mail, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=settings.MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)

    from . import auth

    auth.init_app(app)

    from . import formatting, i18n
    from .services import organisation

    i18n.init_app(app)
    formatting.init_app(app)
    organisation.init_app(app)

    from .public import bp as public_bp

    app.register_blueprint(public_bp)

    from .staff import bp as staff_bp

    app.register_blueprint(staff_bp)

    from .trainer import bp as trainer_bp

    app.register_blueprint(trainer_bp)

    from . import errors, health, metrics, ratelimits

    errors.init_app(app)
    ratelimits.init_app(app)
    health.init_app(app)
    metrics.init_app(app)

    from . import api

    api.init_app(app)

    from . import batches, cli  # noqa: F401  (batches registers the job kinds)

    cli.init_app(app)

    return app

"""Settings: defaults, then instance/config.py, then EVENTREG_* variables, then tests."""

from __future__ import annotations

import logging
import stat

from eventreg.requestlog import RequestLogHandler
from eventreg.settings import instance_secret, normalise_database_url

from .conftest import make_test_app


def test_environment_variables_override_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTREG_MAIL_PORT", "2525")
    monkeypatch.setenv("EVENTREG_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("EVENTREG_ORGANISER_NAME", "Union Training Centre")
    app = make_test_app(tmp_path, MAIL_SERVER="smtp.example.org")
    assert app.config["ORGANISER_NAME"] == "Union Training Centre"
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["MAIL_SERVER"] == "smtp.example.org"


def test_https_base_url_makes_the_session_cookie_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTREG_BASE_URL", "https://events.example.org")
    from eventreg import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "t"})
    assert app.config["BASE_URL"] == "https://events.example.org"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_a_missing_secret_is_generated_once_and_kept_private(tmp_path):
    first = instance_secret(tmp_path)
    second = instance_secret(tmp_path)
    assert first == second
    assert len(first) >= 64
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_short_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_log_lines_carry_the_request_id(app, client, capsys):
    logger = logging.getLogger("eventreg")
    handler = next(h for h in logger.handlers if isinstance(h, RequestLogHandler))
    with app.test_request_context("/", headers={"X-Request-ID": "req-42"}):
        app.preprocess_request()
        record = logger.makeRecord("eventreg", logging.INFO, __file__, 1, "hello", (), None)
        handler.filter(record)
        assert "[req-42]" in handler.format(record)

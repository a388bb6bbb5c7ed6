"""Links follow the address served: `make run PORT=5101` puts :5101 in every emailed link,
calendar and QR code, unless EVENTREG_BASE_URL says where the site really is."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from flask import Flask

from eventreg import create_app
from eventreg.emails import calendar_attachment
from eventreg.pdf.certificates import verification_url

ROOT = Path(__file__).resolve().parent.parent


def app_as_configured(tmp_path: Path) -> Flask:
    """The app with only what an operator would configure (the tests' BASE_URL left out)."""
    return create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "t"},
        instance_path=str(tmp_path / "instance"),
    )


@pytest.fixture
def served_on_5101(tmp_path, monkeypatch):
    """An app started as `make run PORT=5101` starts it, with no base URL configured."""
    monkeypatch.delenv("EVENTREG_BASE_URL", raising=False)
    monkeypatch.setenv("FLASK_RUN_HOST", "127.0.0.1")
    monkeypatch.setenv("FLASK_RUN_PORT", "5101")
    return app_as_configured(tmp_path)


def test_without_a_base_url_links_follow_the_port_served(served_on_5101):
    app = served_on_5101
    assert app.config["BASE_URL"] == "http://127.0.0.1:5101"
    with app.test_request_context():
        assert verification_url("ABCD-EFGH") == "http://127.0.0.1:5101/verify/ABCD-EFGH"


def test_the_calendar_links_to_the_port_served(tmp_path, monkeypatch, db, make_activity):
    from flask import current_app

    activity = make_activity()
    saved = current_app.config["BASE_URL"]
    monkeypatch.delenv("EVENTREG_BASE_URL", raising=False)
    monkeypatch.setenv("FLASK_RUN_PORT", "5101")
    current_app.config["BASE_URL"] = app_as_configured(tmp_path).config["BASE_URL"]
    try:
        ics = calendar_attachment(activity).content.decode()
    finally:
        current_app.config["BASE_URL"] = saved
    assert f"http://127.0.0.1:5101/activities/{activity.slug}" in ics.replace("\r\n ", "")


def test_a_configured_base_url_wins_over_the_port(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTREG_BASE_URL", "https://events.example.org")
    monkeypatch.setenv("FLASK_RUN_PORT", "5101")
    assert app_as_configured(tmp_path).config["BASE_URL"] == ("https://events.example.org")


def test_a_server_on_every_interface_links_to_this_machine(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTREG_BASE_URL", raising=False)
    monkeypatch.setenv("FLASK_RUN_HOST", "0.0.0.0")
    monkeypatch.setenv("FLASK_RUN_PORT", "8080")
    assert app_as_configured(tmp_path).config["BASE_URL"] == "http://127.0.0.1:8080"


def test_make_run_tells_the_server_and_the_worker_the_port():
    dry = subprocess.run(
        ["make", "-n", "-o", "demo", "-o", "system-packages", "run", "PORT=5101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "export FLASK_RUN_HOST=127.0.0.1 FLASK_RUN_PORT=5101;" in dry
    assert dry.index("FLASK_RUN_PORT=5101") < dry.index(" worker ")

"""`make screenshots`: the main pages at 390 px and 1280 px, on the demo data, as PNGs.

Runs the app on a throw-away SQLite database and instance folder (your own data and demo
logins are left alone) and writes instance/screenshots/NAME-WIDTH.png in this checkout.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (390, 1280)


def public_paths(workshop, token: str) -> dict[str, str]:
    return {
        "catalogue": "/",
        "past": "/past",
        "activity": f"/activities/{workshop.slug}",
        "apply": f"/activities/{workshop.slug}/apply",
        "status": f"/my/{token}",
        "verify": "/verify",
    }


def page_name(path: str) -> str:
    name = path.strip("/").replace("/", "-") or "home"
    return "".join(c if c.isalnum() or c == "-" else "_" for c in name)


def main() -> int:
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright

    from eventreg import create_app
    from eventreg.demo import load_demo
    from eventreg.extensions import db
    from eventreg.models import Application, ApplicationStatus

    from .conftest import CHROMIUM, FLAGS, LiveServer
    from .staff_pages import open_workshop, sign_in, staff_paths

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    out = ROOT / "instance" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eventreg-shots-") as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/shots.sqlite3",
                "SECRET_KEY": "screenshots-only",
                "OUTBOX_DIR": f"{tmp}/outbox",
                "MAIL_SERVER": None,
                "JOBS_BACKEND": "sqlite",
                "JOBS_SQLITE_PATH": f"{tmp}/jobs.sqlite3",
                "JOBS_RESULTS_DIR": f"{tmp}/results",
                "RATELIMIT_ENABLED": False,
            },
            instance_path=f"{tmp}/instance",
        )
        with app.app_context():
            upgrade()
            load_demo(app.instance_path, now=datetime.now(UTC))
            db.session.commit()
            workshop = open_workshop()
            token = db.session.scalar(
                sa.select(Application.token).where(
                    Application.activity_id == workshop.id,
                    Application.status == ApplicationStatus.ACCEPTED,
                )
            )
            public = public_paths(workshop, token)
            staff = staff_paths(workshop)
            with LiveServer(app) as server, sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 844})
                    page = context.new_page()
                    for name, path in public.items():
                        page.goto(server.url + path)
                        page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                    sign_in(page, server.url)
                    for path in staff:
                        page.goto(server.url + path)
                        shot = out / f"{page_name(path)}-{width}.png"
                        page.screenshot(path=str(shot), full_page=True)
                    context.close()
                browser.close()
    count = len(list(out.glob("*.png")))
    print(f"{count} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

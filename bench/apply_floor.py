"""How cheap can a submission get? The parts of one, against the bare insert, in process.

Run from the repo root: `.venv/bin/python bench/apply_floor.py`. It builds the same
database as bench/apply.py (the demo workshop with its ten questions) and, in one process
with Flask's test client (no server, no sockets, one request at a time), measures the
median CPU of:

- `bare_insert_ms`: the yardstick of bench/apply.py (bench/insert_app.py), one POST;
- `form_page_ms`: the form page, as bench/apply.py's clients GET it;
- `post_without_submission_ms`: the filled-in form POSTed, with everything of the request
  (session, CSRF, the built-in form and the ten answers checked, the redirect) but the
  submission's own work: `submit_application` answers at once and nothing is written;
- `submission_sql_ms`: the SQL of one real submission, captured as it ran and replayed
  through a bare connection (SQLAlchemy Core, no ORM, no email to render), rolled back;
  a lower bound of the database work, whatever code sends it;
- `post_ms`: the real POST.

The rounds alternate between the five so that the machine's noise hits all alike. It
prints `ratio` (the bare insert over form page plus real POST, what bench/apply.py's ratio
is made of), `ratio_without_submission` (if the submission's work cost nothing) and
`ratio_floor` (if it cost only its SQL), then `budget_ms_for_submission`: what the
submission's work may cost for a ratio of 0.10. It writes bench/results/apply_floor.json.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.apply import filled_in, prepare, settings  # noqa: E402
from bench.common import report  # noqa: E402
from bench.insert_app import engine_for  # noqa: E402

ROUNDS = int(os.environ.get("EVENTREG_BENCH_ROUNDS", "8"))  # the first warms up
PER_ROUND = 50
GOAL = 0.10


def main() -> None:
    from eventreg import create_app
    from eventreg.extensions import db
    from eventreg.public import apply as apply_view
    from eventreg.services.applications import SubmissionResult
    from eventreg.services.calls import OTHER_ORGANISATION_TYPE

    with tempfile.TemporaryDirectory(prefix="eventreg-bench-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        slug, answers = prepare(url, folder)
        os.environ["BENCH_DATABASE_URL"] = url
        from bench import insert_app

        bare = insert_app.create_app().test_client()
        app = create_app(settings(url, folder, port=0, environ=False))
        client = app.test_client()
        path = f"/activities/{slug}/apply"
        real = apply_view.applications.submit_application
        sent = iter(range(10**9))

        class Nothing:
            """What the stand-in submission returns: enough for the redirect."""

            class application:  # noqa: N801
                token = "t" * 43

            result = SubmissionResult.CREATED

        def post(submit: Callable[..., Any]) -> float:
            page = client.get(path)
            n = next(sent)
            form = filled_in(
                page.data, f"floor.{n}@example.net", f"Floor {n}", OTHER_ORGANISATION_TYPE, answers
            )
            apply_view.applications.submit_application = submit
            try:
                began = time.process_time()
                response = client.post(path, data=form)
                took = time.process_time() - began
            finally:
                apply_view.applications.submit_application = real
            if response.status_code not in (302, 303):
                raise RuntimeError(f"the submission answered {response.status_code}")
            return took

        with app.app_context():
            engine = db.engine
        captured: list[tuple[str, Any]] = []

        def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
            captured.append((statement, parameters))

        post(real)  # the first submission of a process also prepares what later ones reuse
        sa.event.listen(engine, "before_cursor_execute", capture)
        with app.app_context():  # captured, then undone: the database stays as it was
            db.session.commit = db.session.rollback  # type: ignore[method-assign]
            try:
                post(real)
            finally:
                del db.session.commit
        sa.event.remove(engine, "before_cursor_execute", capture)
        sql = list(captured)
        # Replayed on a copy of the database as it is now, where the ids it names are free.
        copy = Path(folder) / "replay.sqlite3"
        with sqlite3.connect(f"{folder}/bench.sqlite3") as source, sqlite3.connect(copy) as target:
            source.backup(target)
        replaying = engine_for(f"sqlite:///{copy}")

        def replay() -> float:
            with replaying.connect() as connection:
                began = time.process_time()
                for statement, parameters in sql:
                    connection.exec_driver_sql(statement, parameters)
                took = time.process_time() - began
                connection.rollback()
            return took

        def timed(request: Callable[[], Any]) -> Callable[[], float]:
            def run() -> float:
                began = time.process_time()
                request()
                return time.process_time() - began

            return run

        parts: dict[str, Callable[[], float]] = {
            "bare_insert_ms": timed(lambda: bare.post("/rows", data={"payload": "x"})),
            "form_page_ms": timed(lambda: client.get(path)),
            "post_without_submission_ms": lambda: post(lambda *_a, **_k: Nothing()),
            "submission_sql_ms": replay,
            "post_ms": lambda: post(real),
        }
        samples: dict[str, list[float]] = {name: [] for name in parts}
        for round_ in range(ROUNDS):
            for name, part in parts.items():
                for _ in range(PER_ROUND):
                    took = part()
                    if round_:
                        samples[name].append(took)
        engine.dispose()
        replaying.dispose()

    ms = {name: round(1000 * statistics.median(values), 3) for name, values in samples.items()}
    bare_ms, page_ms = ms["bare_insert_ms"], ms["form_page_ms"]
    without = page_ms + ms["post_without_submission_ms"]
    figures: dict[str, float | int | str] = {
        **ms,
        "submission_statements": len(sql),
        "submission_ms": round(ms["post_ms"] - ms["post_without_submission_ms"], 3),
        "budget_ms_for_submission": round(bare_ms / GOAL - without, 3),
        "ratio_without_submission": round(bare_ms / without, 3),
        "ratio_floor": round(bare_ms / (without + ms["submission_sql_ms"]), 3),
        "ratio": round(bare_ms / (page_ms + ms["post_ms"]), 3),
    }
    report("apply_floor", figures)


if __name__ == "__main__":
    main()

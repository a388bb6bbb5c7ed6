"""Applying under load: complete form submissions, against a bare insert on the same set-up.

Run from the repo root: `.venv/bin/python bench/apply.py`. It builds a fresh database (a
temporary SQLite file, or a new database on the PostgreSQL server of
EVENTREG_BENCH_DATABASE_URL, dropped afterwards), loads the demo, and serves with gunicorn
on 127.0.0.1 (a free port, sync workers). Sixteen client threads, each with its own cookie
session, then:

1. POST to a bare Flask endpoint (bench/insert_app.py) that inserts one row: the yardstick;
2. apply to the demo workshop, which asks ten questions of its own besides the built-in
   form (one of each main type, one conditional, an option with limited places): GET the
   form, POST it with its CSRF token and one-time key, expect the redirect to the
   confirmation page. That is one submission.

It prints `submissions_per_s`, `p95_ms` (a whole submission, GET + POST), the same for the
bare insert, and `ratio` (submissions per second over inserts per second); the server CPU
of one request at a time of the bare insert, the form page and a page that does not exist
(eventreg's floor per request); the SQL statements of one form page and one submission,
counted in process (they do not move with the machine). The submissions leave their
acknowledgements for the worker to write: it then writes them as the worker does and
prints the worker's CPU per acknowledgement. Last, it checks that no submission was lost
or doubled and that every acknowledgement is in the outbox, written with its calendar, and
writes bench/results/apply.json. Every phase has a time limit; it stops by itself.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import report  # noqa: E402
from bench.insert_app import engine_for, metadata  # noqa: E402

HOST = "127.0.0.1"  # the only address this benchmark ever talks to
CLIENTS = 16
# 2,048 submissions and 4,096 inserts; smaller numbers through the environment for a quick try.
SUBMISSIONS_PER_CLIENT = int(os.environ.get("EVENTREG_BENCH_SUBMISSIONS_PER_CLIENT", "128"))
INSERTS_PER_CLIENT = int(os.environ.get("EVENTREG_BENCH_INSERTS_PER_CLIENT", "256"))
WORKERS = int(os.environ.get("EVENTREG_BENCH_WORKERS", "3"))
PHASE_SECONDS = 300.0  # a phase that takes longer is stopped and reported as failed
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(rb'name="submission_key" type="hidden" value="([^"]+)"')
CONFIRMATION = re.compile(r"^/my/[\w-]{43}/confirmation$")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def fresh_database(folder: str) -> Iterator[str]:
    """A new empty database: a SQLite file in `folder`, or a new PostgreSQL database."""
    server = os.environ.get("EVENTREG_BENCH_DATABASE_URL")
    if not server:
        yield f"sqlite:///{folder}/bench.sqlite3"
        return
    from eventreg.settings import normalise_database_url

    base = normalise_database_url(server).rsplit("/", 1)[0]
    name = f"eventreg_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str, folder: str) -> tuple[str, dict[str, str]]:
    """Migrate, load the demo, give the workshop ten questions of its own, create the
    yardstick's table; return the workshop's slug and the questions' answers as form fields."""
    from flask_migrate import upgrade

    from eventreg import create_app
    from eventreg.demo import load_demo
    from eventreg.extensions import db
    from eventreg.models import Activity, ActivityKind, ActivityStatus, utcnow

    app = create_app(settings(url, folder, port=0, environ=False))
    with app.app_context():
        upgrade()
        load_demo(folder, now=utcnow())
        db.session.commit()
        workshop = db.session.scalars(
            sa.select(Activity).where(
                Activity.kind == ActivityKind.WORKSHOP, Activity.status == ActivityStatus.PUBLISHED
            )
        ).first()
        assert workshop is not None, "the demo has no open workshop"
        slug = workshop.slug
        answers = add_questions(workshop)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    engine = engine_for(url)
    metadata.create_all(engine)
    engine.dispose()
    return slug, answers


QUESTIONS = 10


def add_questions(activity: Any) -> dict[str, str]:
    """Ten questions: one of each main type, one shown only after a yes, and a choice with
    an option of limited places (more than the run fills). Returns the answers to send."""
    from eventreg.models import Question
    from eventreg.services import questions as service

    def add(type_: str, label: str, **fields: Any) -> Any:
        spec = service.QuestionSpec(type=type_, label={"en": label}, **fields)
        return service.save_question(activity, Question(), spec, by=None)

    options = [service.OptionSpec({"en": "Site A"}, 100_000), service.OptionSpec({"en": "Site B"})]
    branch = add("short_text", "Your union branch", required=True)
    members = add("number", "Members in your branch", settings={"minimum": "1", "integer": True})
    arrival = add("date", "Arrival date")
    visa = add("yes_no", "Do you need a visa?", required=True)
    passport = add(
        "short_text",
        "Passport number",
        required=True,
        condition_question_id=visa.id,
        condition_values=["yes"],
    )
    site = add("single_choice", "Which site?", required=True, options=options)
    topics = add("multiple_choice", "Topics", settings={"max_picks": 2}, options=options)
    origin = add("country", "Country you travel from")
    referee = add("email", "Email of a referee")
    mobile = add("phone", "Mobile phone")
    return {
        f"q{branch.id}": "Kathmandu valley",
        f"q{members.id}": "420",
        f"q{arrival.id}": "2027-07-12",
        f"q{visa.id}": "yes",
        f"q{passport.id}": "PA1234567",
        f"q{site.id}": str(site.options[0].id),
        f"q{topics.id}": str(topics.options[1].id),
        f"q{origin.id}": "NP",
        f"q{referee.id}": "referee@example.org",
        f"q{mobile.id}": "+977 98 0123 4567",
    }


def settings(url: str, folder: str, *, port: int, environ: bool = True) -> dict[str, Any]:
    """eventreg's settings for the benchmark, as a config dict or EVENTREG_* variables."""
    values = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-not-a-secret",
        "BASE_URL": f"http://{HOST}:{port}",
        "LOG_LEVEL": "WARNING",
        "UPLOAD_DIR": f"{folder}/uploads",
        "OUTBOX_DIR": f"{folder}/outbox",
        "JOBS_SQLITE_PATH": f"{folder}/jobs.sqlite3",
        # 2,048 submissions from one address: the public form's rate limit would refuse them.
        "RATELIMIT_ENABLED": "false",
    }
    if not environ:
        return {**values, "RATELIMIT_ENABLED": False}
    return {f"EVENTREG_{key}": value for key, value in values.items()}


def server_cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(entry) == pid or int(fields[1]) == pid:  # fields[1] is the parent's pid
                total += (int(fields[11]) + int(fields[12])) / tick
    except OSError:
        return 0.0
    return total


@contextmanager
def gunicorn(app: str, port: int, env: dict[str, str], workers: int = WORKERS) -> Iterator[int]:
    """Serve `app` on 127.0.0.1:port with sync workers until the block ends; yields its pid."""
    command = [
        GUNICORN,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "128",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        app,
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    try:
        wait_until_serving(port, process)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until_serving(port: int, process: subprocess.Popen[bytes]) -> None:
    """Return once the server accepts connections; raise if it dies or takes a minute."""
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                time.sleep(1.0)  # let every worker finish importing the app
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within a minute")


class Browser:
    """One client: its own connection and its own session cookie, like one person's phone."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookie = ""

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        """Send one request with the session cookie; keep any new cookie."""
        headers = {"Host": f"{HOST}:{self.port}"}
        body = None
        if self.cookie:
            headers["Cookie"] = self.cookie
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            if cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0]
        if response.will_close:
            self.connection.close()  # sync workers close; the next request reconnects
        return response.status, response.headers, data


@dataclass
class Phase:
    """What the clients of one phase measured."""

    durations: list[float] = field(default_factory=list)  # seconds per unit of work
    gets: list[float] = field(default_factory=list)
    posts: list[float] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    server_cpu: float = 0.0  # seconds of CPU the server's processes used during the phase
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def per_second(self) -> float:
        """Units of work per second of the phase."""
        return len(self.durations) / self.elapsed if self.elapsed else 0.0

    @property
    def server_cpu_ms(self) -> float:
        """Server CPU per unit of work (one submission, or one insert)."""
        return round(1000 * self.server_cpu / len(self.durations), 2) if self.durations else 0.0


def run_clients(
    count: int,
    work: Callable[[Browser, int, int, Phase], None],
    port: Any,
    make_browser: Callable[[Any], Browser] = Browser,
) -> Phase:
    """Run `work(browser, client, n, phase)` `count` times on each of CLIENTS threads;
    each thread's browser is `make_browser(port)`."""
    phase = Phase()
    stop_at = time.monotonic() + PHASE_SECONDS
    start = threading.Barrier(CLIENTS + 1)

    def client(number: int) -> None:
        """One client thread: `count` units of work, or until the time limit."""
        browser = make_browser(port)
        start.wait()
        for n in range(count):
            if time.monotonic() > stop_at:
                with phase.lock:
                    phase.errors.append(f"client {number}: time limit reached")
                return
            try:
                work(browser, number, n, phase)
            except Exception as error:  # counted, and the run goes on
                with phase.lock:
                    phase.errors.append(f"client {number}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(1.0, stop_at - time.monotonic() + 30))
    phase.elapsed = time.perf_counter() - began
    return phase


def insert_once(browser: Browser, client: int, n: int, phase: Phase) -> None:
    """One POST to the bare endpoint."""
    began = time.perf_counter()
    status, _headers, _body = browser.request("POST", "/rows", {"payload": f"c{client}-{n}"})
    took = time.perf_counter() - began
    if status != 201:
        raise RuntimeError(f"insert answered {status}")
    with phase.lock:
        phase.durations.append(took)


def submitter(
    slug: str, organisation_type: str, answers: dict[str, str]
) -> Callable[[Browser, int, int, Phase], None]:
    """One complete submission: the form page, then the filled-in form."""
    path = f"/activities/{slug}/apply"

    def submit_once(browser: Browser, client: int, n: int, phase: Phase) -> None:
        """GET the form, POST it filled in, expect the confirmation redirect."""
        began = time.perf_counter()
        status, _headers, page = browser.request("GET", path)
        fetched = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"form page answered {status}")
        email = f"bench.{client}.{n}@example.net"
        form = filled_in(page, email, f"Bench {client}-{n}", organisation_type, answers)
        status, headers, _body = browser.request("POST", path, form)
        done = time.perf_counter()
        location = headers.get("Location", "")
        if status not in (302, 303) or not CONFIRMATION.match(location):
            raise RuntimeError(f"submission answered {status} {location!r}")
        with phase.lock:
            phase.durations.append(done - began)
            phase.gets.append(fetched - began)
            phase.posts.append(done - fetched)
            phase.tokens.append(location.split("/")[2])

    return submit_once


def filled_in(
    page: bytes, email: str, family_name: str, organisation_type: str, answers: dict[str, str]
) -> dict[str, str]:
    """The application form on `page` filled in as one applicant sends it."""
    csrf, key = CSRF.search(page), KEY.search(page)
    if csrf is None or key is None:
        raise RuntimeError("the form page has no CSRF token or one-time key")
    return {
        "csrf_token": csrf.group(1).decode(),
        "submission_key": key.group(1).decode(),
        "title": "Ms",
        "given_names": "Amina",
        "family_name": family_name,
        "gender": "female",
        "nationality": "NP",
        "country": "NP",
        "email": email,
        "email_confirm": email,
        "phone": "+977 1 441 2345",
        "language": "en",
        "organisation": "General Federation of Nepalese Trade Unions",
        "organisation_type": organisation_type,
        "position": "Education officer",
        "proficiency": "advanced",
        "motivation": "I train shop stewards who negotiate with municipalities.",
        "expectations": "Tools for partnerships on water and waste collection.",
        "payment_source": "employer",
        "dietary_needs": "Vegetarian",
        "consent": "y",
        **answers,
    }


def statements_of_one_submission(
    url: str, folder: str, slug: str, organisation_type: str, answers: dict[str, str]
) -> dict[str, int]:
    """SQL statements of one form page and of one submission, in process (a figure that
    does not move with the machine)."""
    from eventreg import create_app
    from eventreg.extensions import db

    app = create_app(settings(url, folder, port=0, environ=False))
    client = app.test_client()
    path = f"/activities/{slug}/apply"
    counted = {"n": 0}

    def count(*_args: Any) -> None:
        counted["n"] += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    # The first submission of a process also prepares what every later one reuses (the
    # form page, the calendar file): the second is the one counted.
    for email in ("statements.first@example.net", "statements.second@example.net"):
        counted["n"] = 0
        page = client.get(path)
        statements = {"statements_form_page": counted["n"]}
        counted["n"] = 0
        form = filled_in(page.data, email, "Counted", organisation_type, answers)
        response = client.post(path, data=form)
        if response.status_code not in (302, 303):
            raise RuntimeError(f"the counted submission answered {response.status_code}")
    sa.event.remove(engine, "before_cursor_execute", count)
    engine.dispose()
    return {**statements, "statements_submission": counted["n"]}


def p95_ms(durations: list[float]) -> float:
    """The 95th percentile of durations in seconds, in milliseconds."""
    if len(durations) < 20:
        return float("nan")
    return round(statistics.quantiles(durations, n=20)[-1] * 1000, 1)


def one_by_one(
    pid: int, browser: Browser, method: str, path: str, form: dict[str, str] | None = None
) -> float:
    """Server CPU milliseconds per request when one client sends FLOOR_REQUESTS in a row."""
    for _ in range(20):
        browser.request(method, path, form)
    cpu = server_cpu_seconds(pid)
    for _ in range(FLOOR_REQUESTS):
        browser.request(method, path, form)
    return round(1000 * (server_cpu_seconds(pid) - cpu) / FLOOR_REQUESTS, 2)


FLOOR_REQUESTS = 400


def write_acknowledgements(url: str, folder: str) -> dict[str, float]:
    """Write the queued acknowledgements as the worker does before sending them (in batches
    of 200, each committed), after the phase: the work the submissions left to the worker,
    measured as the worker's CPU per acknowledgement."""
    from eventreg import create_app
    from eventreg.emails import write_pending
    from eventreg.extensions import db
    from eventreg.models import EmailOutbox

    app = create_app(settings(url, folder, port=0, environ=False))
    with app.app_context():
        ids = db.session.scalars(sa.select(EmailOutbox.id).where(EmailOutbox.unwritten)).all()
        began = time.process_time()
        for start in range(0, len(ids), 200):
            failed = write_pending(ids[start : start + 200])
            if failed:
                raise RuntimeError(f"acknowledgements not written: {failed}")
            db.session.commit()
        took = time.process_time() - began
        db.session.remove()
        db.engine.dispose()
    return {"worker_cpu_ms_per_acknowledgement": round(1000 * took / max(1, len(ids)), 2)}


def check(url: str, phase: Phase) -> dict[str, int]:
    """None lost, no duplicates, every acknowledgement queued and written with its calendar."""
    engine = engine_for(url)
    with engine.connect() as connection:
        stored = connection.execute(
            sa.text(
                "SELECT a.token, a.number, a.reference, a.email FROM applications a"
                " WHERE a.email LIKE 'bench.%@example.net'"
            )
        ).all()
        acknowledged = connection.scalar(
            sa.text(
                "SELECT count(DISTINCT o.application_id) FROM email_outbox o"
                " JOIN applications a ON a.id = o.application_id"
                " WHERE o.template = 'application_received' AND a.email LIKE 'bench.%@example.net'"
            )
        )
        answered = connection.scalar(
            sa.text(
                "SELECT count(*) FROM answers n JOIN applications a ON a.id = n.application_id"
                " WHERE a.email LIKE 'bench.%@example.net'"
            )
        )
        attachments = connection.scalar(
            sa.text(
                "SELECT count(*) FROM outbox_attachments t JOIN email_outbox o ON o.id = t.email_id"
                " JOIN applications a ON a.id = o.application_id"
                " WHERE o.template = 'application_received' AND a.email LIKE 'bench.%@example.net'"
            )
        )
    engine.dispose()
    tokens = {row.token for row in stored}
    figures = {
        "submitted": len(phase.tokens),
        "stored": len(stored),
        "lost": len(set(phase.tokens) - tokens),
        "duplicate_numbers": len(stored) - len({row.number for row in stored}),
        "duplicate_emails": len(stored) - len({row.email for row in stored}),
        "acknowledgements_queued": int(acknowledged or 0),
        "calendars_attached": int(attachments or 0),
        "answers_stored": int(answered or 0),
    }
    assert figures["lost"] == 0, figures
    assert figures["stored"] == figures["submitted"], figures
    assert figures["duplicate_numbers"] == 0 and figures["duplicate_emails"] == 0, figures
    assert figures["acknowledgements_queued"] == figures["stored"], figures
    assert figures["calendars_attached"] == figures["stored"], figures
    assert figures["answers_stored"] == QUESTIONS * figures["stored"], figures
    return figures


def main() -> None:
    """Build the database, run both phases, check the data, report."""
    load_at_start = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    with tempfile.TemporaryDirectory(prefix="eventreg-bench-apply-") as folder:
        with fresh_database(folder) as url:
            slug, answers = prepare(url, folder)
            from eventreg.services.calls import OTHER_ORGANISATION_TYPE

            statements = statements_of_one_submission(
                url, folder, slug, OTHER_ORGANISATION_TYPE, answers
            )

            port = free_port()
            with gunicorn(
                "bench.insert_app:create_app()", port, {"BENCH_DATABASE_URL": url}
            ) as pid:
                warm = Browser(port)
                for n in range(WORKERS * 4):
                    warm.request("POST", "/rows", {"payload": f"warm-up {n}"})
                cpu = server_cpu_seconds(pid)
                bare = run_clients(INSERTS_PER_CLIENT, insert_once, port)
                bare.server_cpu = server_cpu_seconds(pid) - cpu
                floors = {"bare_insert": one_by_one(pid, warm, "POST", "/rows", {"payload": "x"})}

            port = free_port()
            with gunicorn("eventreg:create_app()", port, settings(url, folder, port=port)) as pid:
                warm = Browser(port)
                for _ in range(WORKERS * 4):
                    warm.request("GET", f"/activities/{slug}/apply")
                cpu = server_cpu_seconds(pid)
                applying = run_clients(
                    SUBMISSIONS_PER_CLIENT, submitter(slug, OTHER_ORGANISATION_TYPE, answers), port
                )
                applying.server_cpu = server_cpu_seconds(pid) - cpu
                floors["form_page"] = one_by_one(pid, warm, "GET", f"/activities/{slug}/apply")
                floors["not_found"] = one_by_one(pid, warm, "GET", "/bench/no-such-page")
            if applying.errors or bare.errors:
                for error in (bare.errors + applying.errors)[:10]:
                    print("error:", error, file=sys.stderr)
            written = write_acknowledgements(url, folder)
            verified = check(url, applying)
            database = "postgresql" if url.startswith("postgresql") else "sqlite"

    figures: dict[str, float | int | str] = {
        "database": database,
        "custom_questions": QUESTIONS,
        "workers": WORKERS,
        "clients": CLIENTS,
        "submissions": len(applying.durations),
        "submissions_per_s": round(applying.per_second, 1),
        "p95_ms": p95_ms(applying.durations),
        "form_get_p95_ms": p95_ms(applying.gets),
        "form_post_p95_ms": p95_ms(applying.posts),
        "bare_inserts": len(bare.durations),
        "bare_inserts_per_s": round(bare.per_second, 1),
        "bare_p95_ms": p95_ms(bare.durations),
        "server_cpu_ms_per_submission": applying.server_cpu_ms,
        "server_cpu_ms_per_bare_insert": bare.server_cpu_ms,
        # One client, one request at a time: the server CPU of a single request of each
        # kind. A page that eventreg does not have is its floor (routing, session, headers).
        **{f"server_cpu_ms_alone_{kind}": value for kind, value in floors.items()},
        **statements,
        "phase_seconds": round(applying.elapsed, 1),
        "load_average_at_start": round(load_at_start, 2),
        "errors": len(applying.errors) + len(bare.errors),
        **written,
        **verified,
        "ratio": round(applying.per_second / bare.per_second, 3) if bare.per_second else 0.0,
    }
    name = "apply" if database == "sqlite" else "apply_postgresql"
    report(name, figures)


if __name__ == "__main__":
    main()

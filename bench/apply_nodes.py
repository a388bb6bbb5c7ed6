"""Two web nodes against one: does sharing the database cost anything measurable?

Run from the repo root: `.venv/bin/python bench/apply_nodes.py` (with
EVENTREG_BENCH_DATABASE_URL pointing at a PostgreSQL server for the production case).
On one fresh database with the demo (as bench/apply.py builds it), in the same run:

1. one gunicorn node with NODE_WORKERS * 2 sync workers: complete submissions (GET the
   form, POST it) from 16 clients: the yardstick;
2. two gunicorn nodes with NODE_WORKERS workers each, on two ports, the same number of
   workers in all: each submission GETs the form from one node and POSTs it to the
   other (the session cookie and CSRF token travel between them), alternating.

It prints both rates, p95s and `ratio` (two nodes over one; the goal is at least 0.9),
checks that no submission was lost or doubled, and writes
bench/results/apply_nodes[_postgresql].json.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.apply import (  # noqa: E402
    HOST,
    Browser,
    check,
    free_port,
    fresh_database,
    gunicorn,
    p95_ms,
    prepare,
    run_clients,
    settings,
    submitter,
)
from bench.common import report  # noqa: E402

NODE_WORKERS = int(os.environ.get("EVENTREG_BENCH_NODE_WORKERS", "2"))
PER_CLIENT = int(os.environ.get("EVENTREG_BENCH_SUBMISSIONS_PER_CLIENT", "96"))


class TwoNodeBrowser(Browser):
    """One person whose requests alternate between two nodes: the form from one node,
    the POST to the other; one session cookie for both."""

    def __init__(self, ports: tuple[int, int]) -> None:
        self.nodes = [Browser(port) for port in ports]
        self.turn = 0
        self.cookie = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        node = self.nodes[self.turn if method == "GET" else 1 - self.turn]
        node.cookie = self.cookie
        answer = node.request(method, path, form)
        self.cookie = node.cookie
        if method == "POST":
            self.turn = 1 - self.turn
        return answer


def warm_up(port: int, path: str, answers: int) -> None:
    """Wait until the node has answered `answers` requests (its workers may boot slowly)."""
    give_up = time.monotonic() + 300
    done = 0
    while done < answers:
        if time.monotonic() > give_up:
            raise RuntimeError(f"the node on port {port} did not answer within 5 minutes")
        try:
            Browser(port).request("GET", path)
            done += 1
        except OSError:
            time.sleep(1)


def main() -> None:
    load_at_start = os.getloadavg()[0]
    from eventreg.services.calls import OTHER_ORGANISATION_TYPE

    with tempfile.TemporaryDirectory(prefix="eventreg-bench-nodes-") as folder:
        with fresh_database(folder) as url:
            slug = prepare(url, folder)
            work = submitter(slug, OTHER_ORGANISATION_TYPE)

            port = free_port()
            env = settings(url, folder, port=port)
            with gunicorn("eventreg:create_app()", port, env, workers=2 * NODE_WORKERS):
                warm_up(port, f"/activities/{slug}/apply", 8)
                one = run_clients(PER_CLIENT, work, port)

            ports = (free_port(), free_port())
            with ExitStack() as nodes:
                for node_port in ports:
                    nodes.enter_context(
                        gunicorn(
                            "eventreg:create_app()",
                            node_port,
                            settings(url, folder, port=node_port),
                            workers=NODE_WORKERS,
                        )
                    )
                for node_port in ports:
                    warm_up(node_port, f"/activities/{slug}/apply", 4)
                # Other clients' numbers, so other people's addresses: nobody applies twice.
                two = run_clients(
                    PER_CLIENT,
                    lambda browser, client, n, phase: work(browser, client + 1000, n, phase),
                    ports,
                    make_browser=TwoNodeBrowser,
                )

            for error in (one.errors + two.errors)[:10]:
                print("error:", error, file=sys.stderr)
            one.tokens += two.tokens  # both phases' submissions, checked together
            verified = check(url, one)
            database = "postgresql" if url.startswith("postgresql") else "sqlite"

    figures: dict[str, float | int | str] = {
        "database": database,
        "host": HOST,
        "workers_in_all": 2 * NODE_WORKERS,
        "one_node_submissions": len(one.durations),
        "one_node_per_s": round(one.per_second, 1),
        "one_node_p95_ms": p95_ms(one.durations),
        "two_nodes_submissions": len(two.durations),
        "two_nodes_per_s": round(two.per_second, 1),
        "two_nodes_p95_ms": p95_ms(two.durations),
        "load_average_at_start": round(load_at_start, 2),
        "errors": len(one.errors) + len(two.errors),
        "lost": verified["lost"],
        "duplicate_emails": verified["duplicate_emails"],
        "ratio": round(two.per_second / one.per_second, 3) if one.per_second else 0.0,
    }
    report("apply_nodes" if database == "sqlite" else "apply_nodes_postgresql", figures)


if __name__ == "__main__":
    main()

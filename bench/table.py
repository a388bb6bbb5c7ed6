"""Print the README's benchmark table from bench/results/*.json (run after `make bench`)."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

# benchmark -> (what it measures, figures to show, the goal)
ROWS = {
    "mail": (
        "1,000 emails through the worker to a local SMTP server with STARTTLS and AUTH",
        ["tls_batched_messages_per_s", "tls_per_connection_messages_per_s", "ratio_plain"],
        "batched at least 5x one connection per message",
    ),
    "apply": (
        "2,048 complete applications (GET form + POST, ten questions of the activity's "
        "own) from 16 clients on gunicorn",
        [
            "submissions_per_s",
            "p95_ms",
            "bare_inserts_per_s",
            "server_cpu_ms_per_submission",
            "statements_submission",
            "lost",
            "duplicate_emails",
        ],
        "ratio at least 0.10 of a bare insert, p95 under 150 ms",
    ),
    "apply_floor": (
        "the parts of one submission, in process: what the submission's own work may cost "
        "for apply's 0.10",
        [
            "bare_insert_ms",
            "form_page_ms",
            "post_without_submission_ms",
            "submission_ms",
            "submission_sql_ms",
            "budget_ms_for_submission",
            "ratio_floor",
        ],
        "none of its own: it says where apply's goal stands",
    ),
    "review": (
        "the review list with filters and sorting over 10,000 applications",
        ["queries", "p95_ms", "median_ms", "p95_ms_postgresql"],
        "at most 10 queries, p95 under 150 ms",
    ),
    "pdf": (
        "500 certificates merged and zipped, a 300-row attendance sheet, the programme",
        ["merged_total_seconds", "zip_total_seconds", "attendance_sheet_seconds", "peak_memory_mb"],
        "ratio at least 3, merged under 10 s, ZIP under 15 s, under 1 GiB",
    ),
    "api": (
        "the API's list of applications over 10,000 (ratio: p95 against the review page)",
        ["queries", "p95_ms", "median_ms", "review_p95_ms"],
        "at most 10 queries a page, not slower than the review page",
    ),
}


def main() -> None:
    print("| benchmark | what | figures | ratio | goal |")
    print("| --- | --- | --- | --- | --- |")
    machine = None
    for name, (what, keys, goal) in ROWS.items():
        path = RESULTS / f"{name}.json"
        if not path.exists():
            print(f"| `bench/{name}.py` | {what} | not run yet | | {goal} |")
            continue
        data = json.loads(path.read_text())
        figures = data.get("figures", data)
        machine = machine or data.get("machine")
        shown = ", ".join(f"{key} {figures[key]}" for key in keys if key in figures)
        print(f"| `bench/{name}.py` | {what} | {shown} | {figures.get('ratio', '')} | {goal} |")
    if machine:
        print(f"\nMeasured on: {machine}")


if __name__ == "__main__":
    main()

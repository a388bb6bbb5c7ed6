"""Command-line commands; thin: they parse, call the domain, commit once, and report."""

from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from .extensions import db
from .models import Activity, Job, JobStatus, Role, StaffAssignment, StaffUser, utcnow
from .pdf.cli import pdf_cli
from .services import staff_auth


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo activities, staff accounts and applications (safe to run again)."""
    from .demo import load_demo

    report = load_demo(current_app.instance_path, now=utcnow())
    db.session.commit()
    for reference in report.created:
        click.echo(f"created {reference}")
    for reference in report.skipped:
        click.echo(f"already there: {reference}")
    click.echo("\nDemo staff logins (kept in instance/demo-logins.txt):")
    for email, password, role in report.logins:
        click.echo(f"  {role:<17} {email:<24} {password}")


@click.command("create-user")
@click.argument("email")
@click.option("--name", default="", help="Full name; defaults to the part of EMAIL before @.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    required=True,
    help="admin is global; the other roles are held on the activities given with --activity.",
)
@click.option("--activity", "activities", multiple=True, help="Activity reference (repeatable).")
@click.password_option(help="Asked for when not given; at least 10 characters.")
@with_appcontext
def create_user_command(
    email: str, name: str, role: str, activities: tuple[str, ...], password: str
) -> None:
    """Create a staff account, or add a role to an existing one."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("give an email address", param_hint="EMAIL")
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="--password")
    chosen = Role(role)
    found = []
    for reference in activities:
        activity = db.session.scalar(sa.select(Activity).where(Activity.reference == reference))
        if activity is None:
            raise click.BadParameter(
                f"no activity has reference {reference}", param_hint="--activity"
            )
        found.append(activity)
    if chosen != Role.ADMIN and not found:
        raise click.UsageError(f"{chosen.label} is held per activity: add --activity REFERENCE.")

    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email))
    if user is None:
        user = StaffUser(email=email, name=name or email.split("@", 1)[0])
        user.set_password(password)
        db.session.add(user)
        action = "created"
    else:
        staff_auth.set_password(user, password)  # also ends the sessions the old one opened
        action = "updated"
    if chosen == Role.ADMIN:
        user.is_admin = True
    db.session.flush()
    for activity in found:
        exists = db.session.scalar(
            sa.select(StaffAssignment.id).where(
                StaffAssignment.staff_user_id == user.id,
                StaffAssignment.activity_id == activity.id,
                StaffAssignment.role == chosen,
            )
        )
        if not exists:
            db.session.add(
                StaffAssignment(staff_user_id=user.id, activity_id=activity.id, role=chosen)
            )
    db.session.commit()
    where = f" on {', '.join(activities)}" if found else ""
    click.echo(f"{action} {email} as {chosen.label.lower()}{where}")


@click.command("worker")
@click.option(
    "--once",
    is_flag=True,
    help="Deliver what is due, lapse overdue offers, send reminders, run waiting jobs; exit.",
)
@click.option("--interval", default=2.0, show_default=True, help="Seconds between idle polls.")
@click.option("--batch", default=200, show_default=True, help="Messages per SMTP connection.")
@click.option("--no-jobs", is_flag=True, help="Only deliver mail (run jobs in another worker).")
@with_appcontext
def worker_command(once: bool, interval: float, batch: int, no_jobs: bool) -> None:
    """Deliver the email outbox and run background jobs."""
    from . import worker

    click.echo(f"worker: {worker.describe_transport()}", err=True)
    report = worker.run(once=once, interval=interval, batch=batch, jobs=not no_jobs)
    if once:
        click.echo(
            f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
            f"released {report.released}"
        )


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs: list them, follow one."""


@jobs_group.command("list")
@click.option("--limit", default=20, show_default=True)
@with_appcontext
def jobs_list_command(limit: int) -> None:
    """The latest jobs with their progress."""
    for record in db.session.scalars(sa.select(Job).order_by(Job.id.desc()).limit(limit)):
        click.echo(
            f"{record.id:>6}  {record.kind:<28} {record.status:<8} {record.percent:>3}%  "
            f"{record.message}"
        )


@jobs_group.command("show")
@click.argument("job_id", type=int)
@click.option("--wait", is_flag=True, help="Follow the job with a progress bar until it ends.")
@with_appcontext
def jobs_show_command(job_id: int, wait: bool) -> None:
    """One job's progress; with --wait, until it is done or failed."""
    record = db.session.get(Job, job_id)
    if record is None:
        raise click.BadParameter(f"no job {job_id}", param_hint="JOB_ID")
    if wait:
        with click.progressbar(length=100, label=f"job {job_id} ({record.kind})") as bar:
            shown = 0
            while record.status in (JobStatus.QUEUED, JobStatus.RUNNING):
                bar.update(record.percent - shown)
                shown = record.percent
                time.sleep(0.5)
                db.session.expire_all()
                record = db.session.get(Job, job_id)
                assert record is not None
            bar.update(100 - shown)
    click.echo(f"job {record.id} {record.kind}: {record.status} {record.percent}% {record.message}")
    if record.error:
        click.echo(record.error)
    if record.result_path:
        click.echo(f"result: {record.result_path}")
    if record.status == JobStatus.FAILED:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Register the commands on `flask --app eventreg`."""
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(jobs_group)
    app.cli.add_command(pdf_cli)

    from .backups import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

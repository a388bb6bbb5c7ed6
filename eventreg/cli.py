"""Command-line commands; thin: they parse, call the domain, commit once, and report."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from .extensions import db
from .models import Activity, Role, StaffAssignment, StaffUser, utcnow


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
        db.session.add(user)
        action = "created"
    else:
        action = "updated"
    user.set_password(password)
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


def init_app(app: Flask) -> None:
    """Register the commands on `flask --app eventreg`."""
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)

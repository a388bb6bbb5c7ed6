"""`flask --app eventreg pdf ...`: programmes and certificates from the command line."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import db
from ..models import Activity
from ..services import certificates as certificate_service
from ..services.errors import DomainError

pdf_cli = AppGroup("pdf", help="Make PDF documents.")


def _activity(reference: str) -> Activity:
    activity = db.session.scalar(sa.select(Activity).where(Activity.reference == reference))
    if activity is None:
        raise click.BadParameter(f"no activity has reference {reference}", param_hint="REFERENCE")
    return activity


@pdf_cli.command("programme")
@click.argument("reference")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="The PDF file to write.",
)
def programme_command(reference: str, out: Path) -> None:
    """Write the programme of the activity REFERENCE as a PDF."""
    from .programme import programme_pdf

    pdf = programme_pdf(_activity(reference))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    click.echo(f"wrote {out} ({len(pdf) // 1024} KiB)")


@pdf_cli.command("certificates")
@click.argument("reference")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write into (created if missing).",
)
@click.option("--zip", "as_zip", is_flag=True, help="One PDF per certificate, in a ZIP file.")
@click.option(
    "--issue/--no-issue",
    default=False,
    help="First issue certificates to eligible participants who have none.",
)
def certificates_command(reference: str, out: Path, as_zip: bool, issue: bool) -> None:
    """Write the issued certificates of the activity REFERENCE: one PDF, or a ZIP (--zip)."""
    from .certificates import certificates_merged, certificates_zip

    activity = _activity(reference)
    if issue:
        try:
            issued = certificate_service.issue_certificates(activity, by=None)
        except DomainError as refusal:
            raise click.ClickException(str(refusal)) from refusal
        db.session.commit()
        click.echo(f"issued {len(issued)} new certificate(s)")
    count = len(certificate_service.issued_certificates(activity))
    if count == 0:
        raise click.ClickException(
            f"{reference} has no issued certificate (add --issue to issue them first)"
        )
    out.mkdir(parents=True, exist_ok=True)
    render = certificates_zip if as_zip else certificates_merged
    target = out / f"{reference}-certificates.{'zip' if as_zip else 'pdf'}"
    with click.progressbar(length=2 * count if as_zip else count, label="certificates") as bar:

        def progress(done: int, total: int) -> None:
            bar.update(done - bar.pos)

        data = render(activity, progress=progress)
    target.write_bytes(data)
    click.echo(f"wrote {target}: {count} certificate(s), {len(data) // 1024} KiB")

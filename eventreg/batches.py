"""Long work that runs as background jobs: certificates issued and emailed, PDF batches."""

from __future__ import annotations

from .emails import Attachment, queue_email
from .extensions import db
from .jobs import JobResult, Progress, job
from .models import Activity, Job, StaffUser


def _activity(activity_id: int) -> Activity:
    found = db.session.get(Activity, activity_id)
    if found is None:
        raise LookupError(f"activity {activity_id} no longer exists")
    return found


@job("certificates.issue")
def issue_and_email_certificates(
    record: Job, progress: Progress, *, activity_id: int, by_id: int | None = None
) -> JobResult:
    """Issue a certificate to every eligible participant who has none, and email each one.

    Only the certificates created by this run are emailed, so running it again (or the
    queue delivering it twice) never emails anyone twice.
    """
    from .pdf.certificates import certificate_pdf, zip_name
    from .services import certificates

    activity = _activity(activity_id)
    by = db.session.get(StaffUser, by_id) if by_id else None
    issued = certificates.issue_certificates(activity, by=by)
    db.session.commit()
    if not issued:
        return JobResult(message="no participant was waiting for a certificate")
    total = len(issued)
    progress(0, total, "emailing")
    for done, certificate in enumerate(issued, start=1):
        application = certificate.application
        # Each laid out on its own, as the download is: a tagged PDF with only its own
        # fonts (a page cut from a batch carries the whole batch's font subsets, untagged).
        pdf = certificate_pdf(certificate)
        queue_email(
            "certificate",
            application=application,
            to=application.email,
            certificate=certificate,
            attachments=[Attachment(zip_name(activity, certificate), "application/pdf", pdf)],
        )
        progress(done, total, f"queued {done} of {len(issued)} emails")
    return JobResult(message=f"{len(issued)} certificates issued and emailed")


@job("certificates.batch")
def certificates_batch(
    record: Job, progress: Progress, *, activity_id: int, as_zip: bool = False
) -> JobResult:
    """All standing certificates of an activity as one merged PDF or a ZIP of one file each."""
    from .pdf.certificates import certificates_merged, certificates_zip

    activity = _activity(activity_id)
    render = certificates_zip if as_zip else certificates_merged
    data = render(activity, progress=lambda done, total: progress(done, total, "rendering"))
    name = f"{activity.reference}-certificates.{'zip' if as_zip else 'pdf'}"
    return JobResult(data=data, name=name, message=f"{name} is ready")

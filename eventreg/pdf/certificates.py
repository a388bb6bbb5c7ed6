"""Certificates of participation: one, or a whole activity's as one PDF or a ZIP of files.

A batch is laid out once as one WeasyPrint document; the ZIP takes its pages one
certificate at a time (Document.copy), so the fonts and layout are not redone per file.
"""

from __future__ import annotations

import importlib.util
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from copy import copy
from typing import TYPE_CHECKING

import segno
from flask import current_app

from ..models import Activity, Certificate
from ..services.certificates import ensure_printable, issued_certificates
from ..services.errors import DomainError
from .render import Branding, branding_for, render_document, write

if TYPE_CHECKING:
    from weasyprint import Document

Progress = Callable[[int, int], None]


class NoCertificates(DomainError):
    """The activity has no standing certificate to print: issue them first."""


def _standing(activity: Activity) -> list[Certificate]:
    certificates = issued_certificates(activity)
    if not certificates:
        raise NoCertificates(f"{activity.reference} has no issued certificate to print.")
    return certificates


def verification_url(code: str) -> str:
    """Where anyone checks a certificate: {BASE_URL}/verify/<code>."""
    return f"{str(current_app.config['BASE_URL']).rstrip('/')}/verify/{code}"


def qr_data_uri(url: str) -> str:
    """A QR code of the URL as a PNG data: URI, one pixel per module (scaled crisply in CSS).

    Made in memory by segno: nothing is fetched. A tiny PNG costs far less to lay out and
    write than the equivalent SVG path.
    """
    # Mask 0 rather than the best of eight: any mask decodes, and scoring all eight costs
    # ~7 ms a code, a third of a certificate's whole budget in a batch.
    code = segno.make(url, error="m", micro=False, mask=0)
    return str(code.png_data_uri(scale=1, border=4))


def _width_units(name: str) -> int:
    """Roughly how many Latin letters wide a name prints: CJK characters count double."""
    units = 0
    for ch in name:
        if unicodedata.combining(ch):
            continue
        units += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return units


def name_size(name: str) -> str:
    """The CSS class that lets a name fit on one line of the certificate ('' is the largest)."""
    units = _width_units(name)
    if units <= 28:
        return ""
    if units <= 36:
        return "size-m"
    if units <= 46:
        return "size-s"
    return "size-xs"  # smaller still, and allowed to wrap


def duration(activity: Activity) -> str:
    """'5 days, 30.5 hours' or '1.5 hours': how long the activity ran."""
    hours = activity.total_hours
    hours_text = f"{hours:g} hour{'s' if hours != 1 else ''}"
    if activity.duration_days <= 1:
        return hours_text
    days = f"{activity.duration_days} days"
    return f"{days}, {hours_text}" if hours else days


def _certificate_document(
    activity: Activity,
    certificates: Sequence[Certificate],
    *,
    title: str,
    on_page: Callable[[int], None] | None = None,
) -> Document:
    branding: Branding = branding_for(activity)
    entries = [
        dict(
            certificate=certificate,
            name=certificate.application.full_name,
            size=name_size(certificate.application.full_name),
            url=verification_url(certificate.code),
            qr=qr_data_uri(verification_url(certificate.code)),
        )
        for certificate in certificates
    ]
    return render_document(
        "pdf/certificates.html",
        branding=branding,
        landscape=True,
        activity=activity,
        entries=entries,
        duration=duration(activity),
        signatories=[s for s in activity.certificate_signatories if s.get("name")],
        document_title=title,
        verify_at=verification_url("").rstrip("/"),
        on_page=on_page,
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    """One certificate as a PDF. Refuses (CertificateRevoked) a revoked certificate."""
    ensure_printable([certificate])
    application = certificate.application
    document = _certificate_document(
        application.activity, [certificate], title=f"Certificate {application.full_name}"
    )
    return write(document)


def _progress_from_layout(progress: Progress | None, total: int) -> Callable[[int], None] | None:
    """Report each page as it is laid out, never reaching `total` (saved for the end)."""
    if progress is None:
        return None
    reported = 0

    def on_page(number: int) -> None:
        nonlocal reported
        done = min(number, max(total - 1, 0))
        if done > reported:
            reported = done
            progress(done, total)

    return on_page


def certificates_merged(activity: Activity, *, progress: Progress | None = None) -> bytes:
    """All standing certificates of an activity in one PDF, one page each.

    Refuses (NoCertificates) an activity with none.
    `progress(done, total)` is called as pages are laid out and once more at the end;
    total is the number of certificates.
    """
    certificates = _standing(activity)
    total = len(certificates)
    document = _certificate_document(
        activity,
        certificates,
        title=f"Certificates {activity.reference}",
        on_page=_progress_from_layout(progress, total),
    )
    pdf = write(document)
    if progress is not None:
        progress(total, total)
    return pdf


def _pages_by_certificate(
    document: Document, certificates: Sequence[Certificate]
) -> list[list[int]]:
    """The page numbers (from 0) of each certificate, found by the anchor each one starts with."""
    index = {f"certificate-{c.code}": i for i, c in enumerate(certificates)}
    pages: list[list[int]] = [[] for _ in certificates]
    current = -1
    for number, page in enumerate(document.pages):
        starts = [index[anchor] for anchor in page.anchors if anchor in index]
        if starts:
            current = min(starts)
        if current >= 0:
            pages[current].append(number)
    return pages


# Resource names a content stream uses: images and forms (`/Name Do`), fonts (`/Name 12 Tf`).
_USED_RESOURCE = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s+(?:Do|-?[\d.]+\s+Tf)\b")


def _split_pdf(
    pdf: bytes, groups: Sequence[Sequence[int]], titles: Sequence[str]
) -> Iterator[bytes]:
    """One PDF per group of pages of `pdf`, each with only the images and fonts it uses.

    WeasyPrint gives all pages one shared resource dictionary (every QR image, every
    font); copied as is, each file would carry all 500 images.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(pdf))
    for numbers, title in zip(groups, titles, strict=True):
        writer = PdfWriter()
        for number in numbers:
            page = reader.pages[number]
            contents = page.get_contents()
            stream = contents.get_data() if contents is not None else b""
            used = {b"/" + name for name in _USED_RESOURCE.findall(stream)}
            shared = page["/Resources"].get_object()
            assert isinstance(shared, DictionaryObject)
            resources = DictionaryObject()
            for key, value in shared.items():
                value = value.get_object()
                if key in ("/XObject", "/Font") and isinstance(value, DictionaryObject):
                    value = DictionaryObject(
                        {name: ref for name, ref in value.items() if name.encode() in used}
                    )
                resources[NameObject(key)] = value
            page[NameObject("/Resources")] = resources
            writer.add_page(page)
        writer.add_metadata({"/Title": title, "/Producer": "eventreg (WeasyPrint, pypdf)"})
        buffer = io.BytesIO()
        writer.write(buffer)
        yield buffer.getvalue()


def _copy_pages(
    document: Document, groups: Sequence[Sequence[int]], titles: Sequence[str]
) -> Iterator[bytes]:
    """One PDF per group of pages, each written by WeasyPrint (slower; no pypdf needed)."""
    for numbers, title in zip(groups, titles, strict=True):
        part = document.copy([document.pages[number] for number in numbers])
        part.metadata = copy(document.metadata)
        part.metadata.title = title
        yield write(part)


def zip_name(activity: Activity, certificate: Certificate) -> str:
    """'A901357-0012-dupont.pdf': unique in the activity, readable, ASCII."""
    application = certificate.application
    folded = unicodedata.normalize("NFKD", application.family_name)
    ascii_name = re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode().lower())
    suffix = f"-{ascii_name.strip('-')}" if ascii_name.strip("-") else ""
    return f"{activity.reference}-{application.number:04d}{suffix}.pdf"


def certificates_zip(activity: Activity, *, progress: Progress | None = None) -> bytes:
    """A ZIP holding one PDF per standing certificate of the activity (NoCertificates if none).

    The certificates are laid out and written once, as one document; each file is then cut
    from it (with pypdf; WeasyPrint's Document.copy when pypdf is missing).
    `progress(done, total)` counts one step per certificate laid out and one per file
    written, so total is twice the number of certificates.
    """
    certificates = _standing(activity)
    count = len(certificates)
    total = 2 * count
    document = _certificate_document(
        activity,
        certificates,
        title=f"Certificates {activity.reference}",
        on_page=_progress_from_layout(progress, total),
    )
    groups = _pages_by_certificate(document, certificates)
    titles = [f"Certificate {c.application.full_name}" for c in certificates]
    if importlib.util.find_spec("pypdf") is not None:
        files = _split_pdf(write(document), groups, titles)
    else:  # pragma: no cover - pypdf comes with the test extras
        files = _copy_pages(document, groups, titles)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for done, (certificate, data) in enumerate(zip(certificates, files, strict=True), 1):
            archive.writestr(zip_name(activity, certificate), data)
            if progress is not None:
                progress(count + done, total)
    return buffer.getvalue()

"""Certificates of participation: one, or a whole activity's as one PDF or a ZIP of files.

Each certificate is written in its holder's language (the application's), in a batch too:
each run of one language is rendered in it, its section tagged with it (`lang`, and /Lang
in the PDF's structure). A batch is laid out as one WeasyPrint document and each of the
ZIP's files is written from its pages, so layout is paid once, not per file, and every
file stays tagged (PDF/UA). A big batch is laid out in chunks by worker processes (pool.py),
one per CPU: the merged PDF joins their PDFs, the ZIP takes the files each worker wrote from
its chunk.
"""

from __future__ import annotations

import copy
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from ..formatting import date_range, hours_and_minutes
from ..models import Activity, Certificate
from ..services.certificates import ensure_printable, issued_certificates
from ..services.errors import DomainError
from . import pool
from .joining import join_tagged
from .render import Branding, branding_for, layout, render_html, static_root, write

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
    """'5 days, 30 hours 30 minutes' or '1 hour 30 minutes': how long the activity ran,
    as a reader says it (never '30.5 hours')."""
    minutes = activity.total_minutes
    hours_text = hours_and_minutes(minutes)
    if activity.duration_days <= 1:
        return hours_text
    days = ngettext("%(num)d day", "%(num)d days", activity.duration_days)
    return f"{days}, {hours_text}" if minutes else days


def signatories(activity: Activity, branding: Branding) -> list[dict[str, str]]:
    """Who signs: the activity's own signatories, else the organisation's signatory."""
    own = [s for s in activity.certificate_signatories if s.get("name")]
    if own:
        return own
    if branding.signatory_name:
        return [{"name": branding.signatory_name, "title": branding.signatory_title}]
    return []


def holder_language(certificate: Certificate) -> str:
    """The language a certificate is written in: its holder's, as the application says."""
    return certificate.application.language or "en"


def main_language(certificates: Sequence[Certificate]) -> str:
    """The language most of these certificates are in (the first such on a tie): the
    document's own, each certificate's section saying its own."""
    counts = Counter(holder_language(certificate) for certificate in certificates)
    return counts.most_common(1)[0][0] if counts else "en"


def _pages_html(
    activity: Activity, certificates: Sequence[Certificate], branding: Branding, language: str
) -> Markup:
    """The pages of certificates whose holders read `language`, written in it."""
    with force_locale(language):
        entries = [
            dict(
                certificate=certificate,
                name=certificate.application.full_name,
                size=name_size(certificate.application.full_name),
                url=verification_url(certificate.code),
                qr=qr_data_uri(verification_url(certificate.code)),
                issued_on=date_range(*[certificate.issued_at.astimezone(activity.zone).date()] * 2),
            )
            for certificate in certificates
        ]
        # Autoescaped like every PDF template: joined as markup into certificates.html.
        return Markup(
            render_html(
                "pdf/_certificate_pages.html",
                branding=branding,
                activity=activity,
                entries=entries,
                duration=duration(activity),
                signatories=signatories(activity, branding),
                verify_at=verification_url("").rstrip("/"),
                lang=language,
            )
        )


def _certificate_html(
    activity: Activity, certificates: Sequence[Certificate], *, title: str, lang: str
) -> tuple[str, Branding]:
    """The HTML of these certificates, one page each in its holder's language, and the
    branding it uses; `lang` is the document's language."""
    branding: Branding = branding_for(activity)
    # Runs of one language, in the batch's order: the pages stay in name order.
    pages = Markup("").join(
        _pages_html(activity, list(run), branding, language)
        for language, run in groupby(certificates, key=holder_language)
    )
    html = render_html(
        "pdf/certificates.html",
        branding=branding,
        landscape=True,
        pages=pages,
        document_title=title,
        lang=lang,
    )
    return html, branding


def _certificate_document(
    activity: Activity,
    certificates: Sequence[Certificate],
    *,
    title: str,
    on_page: Callable[[int], None] | None = None,
) -> Document:
    html, branding = _certificate_html(
        activity, certificates, title=title, lang=main_language(certificates)
    )
    return layout(html, logo=branding.logo, on_page=on_page)


def _write_in_languages(
    document: Document, codes: Sequence[str], languages: Sequence[str]
) -> bytes:
    """Write laid-out certificates, each page's section tagged (/Lang) with its language."""
    per_page = [""] * len(document.pages)
    for numbers, language in zip(_pages_by_certificate(document, codes), languages, strict=True):
        for number in numbers:
            per_page[number] = language
    return write(document, page_languages=per_page)


def certificate_pdf(certificate: Certificate) -> bytes:
    """One certificate as a PDF, in its holder's language (whoever prints it).

    Refuses (CertificateRevoked) a revoked certificate.
    """
    ensure_printable([certificate])
    document = _certificate_document(
        certificate.application.activity, [certificate], title=_file_title(certificate)
    )
    return _write_in_languages(document, [certificate.code], [holder_language(certificate)])


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

    Refuses (NoCertificates) an activity with none; raises pool.LayoutFailed if a worker
    process fails. `progress(done, total)` is called as pages (or, in worker processes,
    chunks) are laid out and once more at the end; total is the number of certificates.
    """
    certificates = _standing(activity)
    total = len(certificates)
    processes = pool.processes_for(total)
    if processes > 1:
        pdf = _merged_in_workers(activity, certificates, processes=processes, progress=progress)
    else:
        document = _certificate_document(
            activity,
            certificates,
            title=_batch_title(activity),
            on_page=_progress_from_layout(progress, total),
        )
        pdf = _write_in_languages(
            document,
            [c.code for c in certificates],
            [holder_language(c) for c in certificates],
        )
    if progress is not None:
        progress(total, total)
    return pdf


def _batch_title(activity: Activity) -> str:
    return f"Certificates {activity.reference}"


def _file_title(certificate: Certificate) -> str:
    """The title of a certificate's own file, in its holder's language."""
    with force_locale(holder_language(certificate)):
        return str(_("Certificate %(name)s", name=certificate.application.full_name))


@dataclass(frozen=True)
class _Chunk:
    """Some certificates of a batch, for a worker process: plain strings and paths only."""

    html: str
    static: Path
    logo: Path | None
    codes: tuple[str, ...]
    languages: tuple[str, ...]  # each certificate's
    titles: tuple[str, ...] | None  # None: the chunk as one PDF; else one PDF per certificate


def _lay_out_chunk(chunk: _Chunk) -> list[bytes]:
    """In a worker process: the chunk as one PDF, or as one PDF per certificate."""
    document = layout(chunk.html, logo=chunk.logo, static=chunk.static)
    if chunk.titles is None:
        return [_write_in_languages(document, chunk.codes, chunk.languages)]
    return list(_one_per_certificate(document, chunk.codes, chunk.languages, chunk.titles))


def _in_workers(
    activity: Activity, certificates: Sequence[Certificate], *, processes: int, split: bool
) -> Iterator[tuple[Sequence[Certificate], list[bytes]]]:
    """Each chunk of certificates, in order, with what a worker process made of it."""
    size = pool.chunk_size(len(certificates), processes)
    runs = [certificates[start : start + size] for start in range(0, len(certificates), size)]
    static = static_root()
    # Every chunk says the batch's language: the joined PDF keeps the first one's.
    lang = main_language(certificates)

    def chunks() -> Iterator[_Chunk]:
        for run in runs:
            html, branding = _certificate_html(
                activity, run, title=_batch_title(activity), lang=lang
            )
            yield _Chunk(
                html=html,
                static=static,
                logo=branding.logo,
                codes=tuple(certificate.code for certificate in run),
                languages=tuple(holder_language(certificate) for certificate in run),
                titles=tuple(_file_title(certificate) for certificate in run) if split else None,
            )

    def describe(index: int) -> str:
        first = index * size + 1
        last = first + len(runs[index]) - 1
        return f"certificates {first} to {last} of {activity.reference}"

    made = pool.in_workers(_lay_out_chunk, chunks(), processes=processes, describe=describe)
    yield from zip(runs, made, strict=True)


def _merged_in_workers(
    activity: Activity,
    certificates: Sequence[Certificate],
    *,
    processes: int,
    progress: Progress | None,
) -> bytes:
    """The merged PDF from chunks laid out in worker processes, joined in order.

    The join keeps each chunk's structure tree (joining.join_tagged), so the batch is as
    tagged as one laid out in a single process. Each chunk brings its own subset of the
    fonts, so the file is somewhat bigger than one laid out as a single document.
    """
    total = len(certificates)
    chunks: list[bytes] = []
    done = 0
    for run, (pdf,) in _in_workers(activity, certificates, processes=processes, split=False):
        chunks.append(pdf)
        done += len(run)
        if progress is not None and done < total:
            progress(done, total)
    return join_tagged(chunks)


def _pages_by_certificate(document: Document, codes: Sequence[str]) -> list[list[int]]:
    """The page numbers (from 0) of each certificate, found by the anchor each one starts with."""
    index = {f"certificate-{code}": i for i, code in enumerate(codes)}
    pages: list[list[int]] = [[] for _ in codes]
    current = -1
    for number, page in enumerate(document.pages):
        starts = [index[anchor] for anchor in page.anchors if anchor in index]
        if starts:
            current = min(starts)
        if current >= 0:
            pages[current].append(number)
    return pages


def _one_per_certificate(
    document: Document, codes: Sequence[str], languages: Sequence[str], titles: Sequence[str]
) -> Iterator[bytes]:
    """One tagged PDF per certificate, each written from its pages of the laid-out batch.

    The layout is shared; each file is written on its own (a copy of the document holding
    its pages), so it keeps its structure tags, says its own language and title, and carries
    only the fonts and images its pages use. Cutting the batch's PDF with pypdf dropped the
    tags.
    """
    pages = _pages_by_certificate(document, codes)
    for numbers, language, title in zip(pages, languages, titles, strict=True):
        part = document.copy([document.pages[number] for number in numbers])
        part.metadata = copy.copy(document.metadata)
        part.metadata.title = title
        part.metadata.lang = language
        yield write(part, page_languages=[language] * len(numbers))


def zip_name(activity: Activity, certificate: Certificate) -> str:
    """'A901357-0012-dupont.pdf': unique in the activity, readable, ASCII."""
    application = certificate.application
    folded = unicodedata.normalize("NFKD", application.family_name)
    ascii_name = re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode().lower())
    suffix = f"-{ascii_name.strip('-')}" if ascii_name.strip("-") else ""
    return f"{activity.reference}-{application.number:04d}{suffix}.pdf"


def certificates_zip(activity: Activity, *, progress: Progress | None = None) -> bytes:
    """A ZIP holding one PDF per standing certificate of the activity (NoCertificates if none).

    The certificates are laid out as one document (or a few, in worker processes); each
    file is then written from its pages. Raises pool.LayoutFailed if a
    worker process fails.
    `progress(done, total)` counts one step per certificate laid out and one per file
    written, so total is twice the number of certificates.
    """
    certificates = _standing(activity)
    count = len(certificates)
    total = 2 * count
    processes = pool.processes_for(count)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        if processes > 1:
            done = 0
            for run, files in _in_workers(activity, certificates, processes=processes, split=True):
                done += len(run)
                if progress is not None:
                    progress(done, total)
                for certificate, data in zip(run, files, strict=True):
                    archive.writestr(zip_name(activity, certificate), data)
                    done += 1
                    if progress is not None:
                        progress(done, total)
        else:
            for done, (certificate, data) in enumerate(
                zip(certificates, _files_here(activity, certificates, progress), strict=True), 1
            ):
                archive.writestr(zip_name(activity, certificate), data)
                if progress is not None:
                    progress(count + done, total)
    return buffer.getvalue()


def _files_here(
    activity: Activity, certificates: Sequence[Certificate], progress: Progress | None
) -> Iterator[bytes]:
    """One PDF per certificate, laid out in this process as one document."""
    document = _certificate_document(
        activity,
        certificates,
        title=_batch_title(activity),
        on_page=_progress_from_layout(progress, 2 * len(certificates)),
    )
    codes = [c.code for c in certificates]
    languages = [holder_language(c) for c in certificates]
    return _one_per_certificate(document, codes, languages, [_file_title(c) for c in certificates])

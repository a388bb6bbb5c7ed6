"""HTML + print CSS to PDF through WeasyPrint: one fetcher, one font configuration, one lock."""

from __future__ import annotations

import base64
import gc
import hashlib
import importlib.metadata
import logging
import mimetypes
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from flask import current_app, render_template

from ..models import Activity

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.text.fonts import FontConfiguration

# The only page sizes an activity may ask for (the database checks the same list).
PAGE_SIZES = {"A4": "A4", "Letter": "letter"}

# Pango and the shared font configuration are not safe to use from two threads at once;
# under sync workers (the recommended setup) the lock is never contended.
_render_lock = threading.RLock()


@dataclass(frozen=True)
class Branding:
    """How an activity's documents look: who signs them, which logo, which paper."""

    organiser: str
    paper: str  # "A4" or "Letter"
    logo: Path | None = None  # an existing file inside the instance folder
    # The organisation's settings (services/organisation.py): pictures as data: URIs, so
    # that worker processes and the fetcher need no file of ours.
    organisation_logo: str | None = None
    letterhead: str = ""
    postal_address: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    signature: str | None = None

    @property
    def logo_url(self) -> str | None:
        """The activity's own logo, else the organisation's, else None."""
        return self.logo.as_uri() if self.logo else self.organisation_logo

    def page_size(self, *, landscape: bool = False) -> str:
        """The CSS `size` of a page on this paper, e.g. 'A4 landscape'."""
        size = PAGE_SIZES.get(self.paper, "A4")
        return f"{size} landscape" if landscape else size


def branding_for(activity: Activity) -> Branding:
    """The activity's organiser (or the organisation's), logo and paper, and the
    organisation's letterhead and signatory; a missing logo is left out."""
    from ..services.organisation import organisation

    settings = organisation()
    return Branding(
        organiser=activity.organiser_name.strip() or settings.name,
        paper=activity.paper_size if activity.paper_size in PAGE_SIZES else "A4",
        logo=instance_logo(activity.logo_path),
        organisation_logo=settings.logo_data_uri,
        letterhead=settings.letterhead,
        postal_address=settings.postal_address,
        signatory_name=settings.signatory_name,
        signatory_title=settings.signatory_title,
        signature=settings.signature_data_uri,
    )


def instance_logo(logo_path: str | None) -> Path | None:
    """The logo file named relative to the instance folder, or None if absent or outside it."""
    if not logo_path:
        return None
    instance = Path(current_app.instance_path).resolve()
    candidate = (instance / logo_path).resolve()
    if not candidate.is_relative_to(instance) or not candidate.is_file():
        return None
    return candidate


def static_root() -> Path:
    """Our static folder, where the print stylesheet and images live."""
    folder = current_app.static_folder
    assert folder is not None, "the app is created with a static folder"
    return Path(folder).resolve()


class FetchRefused(PermissionError):
    """The PDF asked for a resource outside what documents may read."""


def allowed_local_file(url: str, *, roots: tuple[Path, ...], files: tuple[Path, ...]) -> Path:
    """The file behind a file:// URL if it lies under one of `roots` or is one of `files`.

    Refuses every other scheme, host, and path (including `..` and symlinks leading out).
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"documents may not fetch {url!r}")
    path = Path(unquote(parts.path)).resolve()
    if path.is_file() and (path in files or any(path.is_relative_to(root) for root in roots)):
        return path
    raise FetchRefused(f"documents may not read {url!r}")


@cache
def _fetcher_class() -> type[Any]:
    # Built on first use so that WeasyPrint is imported only when a PDF is made.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves our static files, one logo and data: URIs; refuses everything else."""

        def __init__(self, roots: tuple[Path, ...], files: tuple[Path, ...]) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.roots = roots
            self.files = files

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url[:5].lower() == "data:":
                return data_uri_response(url)
            path = allowed_local_file(url, roots=self.roots, files=self.files)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalOnlyFetcher


def decode_data_uri(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a data: URI (RFC 2397), decoded in memory."""
    header, _, payload = url[5:].partition(",")
    parameters = header.split(";")
    media_type = parameters[0] or "text/plain"
    if "base64" in parameters[1:]:
        return media_type, base64.b64decode(payload)
    return media_type, unquote_to_bytes(payload)


def data_uri_response(url: str) -> Any:
    """A WeasyPrint response for a data: URI (urllib's handler costs more per QR code)."""
    from weasyprint.urls import URLFetcherResponse

    media_type, body = decode_data_uri(url)
    return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})


def url_fetcher(*, logo: Path | None = None, static: Path | None = None) -> Any:
    """A WeasyPrint URL fetcher limited to static/ and, when given, one logo file.

    `static` names the static folder where there is no app (a worker process).
    """
    files = (logo.resolve(),) if logo else ()
    return _fetcher_class()((static or static_root(),), files)


_font_configs: dict[int, FontConfiguration] = {}


def font_configuration() -> FontConfiguration:
    """One FontConfiguration per process: cheaper renders and flat memory (see tech notes)."""
    pid = os.getpid()  # a forked worker builds its own rather than share Pango state
    config = _font_configs.get(pid)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_configs.clear()
        config = _font_configs[pid] = FontConfiguration()
    return config


def render_html(template_name: str, **context: Any) -> str:
    """The document's HTML from a template under templates/pdf/ (autoescaped: it ends in .html)."""
    if not template_name.endswith(".html"):
        raise ValueError("PDF templates end in .html so that Jinja escapes what they print")
    return render_template(template_name, **context)


def render_document(
    template_name: str,
    *,
    branding: Branding | None = None,
    on_page: Callable[[int], None] | None = None,
    **context: Any,
) -> Document:
    """Lay out a template as a WeasyPrint Document (pages not yet written).

    `branding` is passed to the template and lets the fetcher read its logo; `on_page` is
    called with the number of each page as it is laid out, for progress reports.
    """
    html = render_html(template_name, branding=branding, **context)
    return layout(html, logo=branding.logo if branding else None, on_page=on_page)


def layout(
    html: str,
    *,
    logo: Path | None = None,
    on_page: Callable[[int], None] | None = None,
    static: Path | None = None,
) -> Document:
    """Lay out an HTML string whose relative URLs point into static/.

    `static` names the static folder where there is no app (a worker process); the fetcher
    rules are the same.
    """
    from weasyprint import HTML

    root = static or static_root()
    fetcher = url_fetcher(logo=logo, static=root)
    with _render_lock, _collector_paused(), _page_reports(on_page):
        return HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher).render(
            font_config=font_configuration()
        )


def write(document: Document, *, page_languages: Sequence[str] = ()) -> bytes:
    """The PDF bytes of a laid-out document (or of a copy holding some of its pages).

    Tagged PDF/UA-1, so that screen readers follow the structure; the template's
    `<html lang>` and `<title>` become the document's /Lang and title. `page_languages`
    (one per page, "" for none) tags the elements of each page with their own /Lang, for
    a document whose pages are in different languages (WeasyPrint tags only the document).
    """
    finisher = _language_tagger(page_languages) if page_languages else None
    with _render_lock, _collector_paused():
        pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1", finisher=finisher)
    return pdf


def _language_tagger(page_languages: Sequence[str]) -> Callable[[Document, Any], None]:
    """A write_pdf finisher: /Lang on the top-level structure elements of each page."""

    def tag(document: Document, pdf: Any) -> None:
        import pydyf

        def resolve(reference: bytes) -> Any:  # "12 0 R": pydyf numbers objects in order
            return pdf.objects[int(reference.split()[0])]

        if "StructTreeRoot" not in pdf.catalog:
            return
        language_of = dict(zip(pdf.page_references, page_languages, strict=False))
        for document_element in resolve(pdf.catalog["StructTreeRoot"])["K"]:
            for reference in resolve(document_element)["K"]:
                element = resolve(reference)
                language = language_of.get(element.get("Pg"))
                if language:
                    element["Lang"] = pydyf.String(language)

    return tag


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while WeasyPrint works.

    Layout makes millions of small long-lived objects, and the collector keeps walking them
    all: a fifth of a 500-certificate batch went there. What is garbage is collected after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(template_name: str, **context: Any) -> bytes:
    """Render a template under templates/pdf/ to PDF bytes."""
    return write(render_document(template_name, **context))


def fingerprint(html: str, *, logo: Path | None = None) -> str:
    """A key that changes whenever the PDF of this HTML would: the HTML itself, the print
    stylesheet, the logo file and the WeasyPrint version."""
    digest = hashlib.sha256(html.encode())
    digest.update((static_root() / "css" / "print.css").read_bytes())
    if logo is not None:
        stat = logo.stat()
        digest.update(f"{logo}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update(importlib.metadata.version("weasyprint").encode())
    return digest.hexdigest()[:32]


# How many rendered files a cache folder keeps; the oldest go first.
CACHE_KEEPS = 200


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically (readers never see half a PDF) and prune old ones."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    files = sorted(path.parent.glob("*.pdf"), key=lambda f: f.stat().st_mtime)
    for old in files[:-CACHE_KEEPS]:
        old.unlink(missing_ok=True)


class _PageCounter(logging.Handler):
    """Turns WeasyPrint's 'Creating layout - Page N' progress messages into calls."""

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.on_page = on_page

    def emit(self, record: logging.LogRecord) -> None:
        if "Creating layout - Page" in str(record.msg) and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            if isinstance(args[0], int):
                self.on_page(args[0])


@contextmanager
def _page_reports(on_page: Callable[[int], None] | None) -> Iterator[None]:
    if on_page is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler = _PageCounter(on_page)
    previous = logger.level, logger.propagate
    logger.addHandler(handler)
    # Listen at INFO without sending a line per page to the application's logs.
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]

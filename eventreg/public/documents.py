"""Public documents: the programme as a PDF, and the page that verifies a certificate."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from ..services import catalogue
from ..services.certificates import find_by_code, normalise_code
from . import bp


def pdf_response(data: bytes, filename: str, *, download: bool = False) -> Response:
    """A PDF answer, shown in the browser unless `download`."""
    response = Response(data, mimetype="application/pdf")
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/activities/<slug>/programme.pdf")
def programme(slug: str) -> Response:
    activity = catalogue.visible_activity(slug)
    if activity is None:
        abort(404)
    from ..pdf import programme_pdf

    # PDF_CACHE_DIR may move the cache out of the instance folder (tests, read-only hosts).
    cache = Path(current_app.config.get("PDF_CACHE_DIR") or current_app.instance_path)
    cache = cache / "cache" / "programmes"
    pdf = programme_pdf(activity, cache_dir=cache)
    return pdf_response(pdf, f"{activity.reference}-programme.pdf")


@bp.get("/verify")
def verify_form() -> str | BaseResponse:
    typed = request.args.get("code", "").strip()
    if typed:
        code = normalise_code(typed)
        if code is not None:
            return redirect(url_for(".verify", code=code))
    return render_template(
        "public/verify.html", typed=typed, certificate=None, looked_up=bool(typed)
    )


@bp.get("/verify/<code>")
def verify(code: str) -> tuple[str, int]:
    certificate = find_by_code(code)
    status = 200 if certificate is not None else 404
    return (
        render_template("public/verify.html", typed=code, certificate=certificate, looked_up=True),
        status,
    )

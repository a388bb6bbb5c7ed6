"""A file: PDF, JPEG or PNG, recognised by its content, within a size limit per question."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from .base import (
    InvalidAnswer,
    InvalidQuestion,
    Parsed,
    QuestionType,
    QuestionView,
    Setting,
    register,
)

# The first bytes of each accepted kind of file, and the extension it is kept under.
SIGNATURES = ((b"%PDF-", "pdf"), (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))
DEFAULT_MB = 4
LARGEST_MB = 10


def kind_of(content: bytes) -> str | None:
    """'pdf', 'jpg' or 'png' by the file's first bytes; None for anything else."""
    return next((ext for magic, ext in SIGNATURES if content.startswith(magic)), None)


@register
class File(QuestionType):
    name = "file"
    title = "File upload (PDF, JPEG or PNG)"
    settings = (Setting("max_mb", "int"),)

    def check_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        size = settings.get("max_mb") or DEFAULT_MB
        if not 1 <= size <= LARGEST_MB:
            raise InvalidQuestion(
                _("The size limit is from 1 to %(largest)s MB.", largest=LARGEST_MB),
                field="max_mb",
            )
        return {"max_mb": size}

    def limit_mb(self, question: QuestionView) -> int:
        return int(question.settings.get("max_mb") or DEFAULT_MB)

    def hint(self, question: QuestionView) -> str:
        return _("A PDF, JPEG or PNG file of up to %(size)s MB.", size=self.limit_mb(question))

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        if upload is None or not upload.filename:
            return None
        limit = self.limit_mb(question) * 1024 * 1024
        content = upload.stream.read(limit + 1)
        upload.stream.seek(0)
        if len(content) > limit:
            raise InvalidAnswer(
                _("The file is larger than %(size)s MB.", size=self.limit_mb(question))
            )
        kind = kind_of(content)
        if kind is None:
            raise InvalidAnswer(_("This file is not a PDF, JPEG or PNG, whatever its name says."))
        name = "".join(c for c in upload.filename.rsplit("/", 1)[-1] if c.isprintable())[:200]
        return Parsed(value={"filename": name, "kind": kind}, shown=name, upload=upload)

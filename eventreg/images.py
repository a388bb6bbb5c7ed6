"""Pictures staff upload (the organisation's logo and signature, speakers' photos): checked
by content and size before they are stored, whatever their file name says."""

from __future__ import annotations

import io
import warnings

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from .services.errors import DomainError

#: What may be uploaded, by what Pillow reads in the bytes, and the file suffix kept.
KINDS = {"PNG": "png", "JPEG": "jpg"}
#: Larger than this many pixels on a side is refused (a decompression bomb is refused too).
MAX_SIDE = 6000


class InvalidImage(DomainError):
    """The upload is not a PNG or JPEG picture of an acceptable size."""


def check_image(content: bytes, *, field: str, max_bytes: int) -> str:
    """Return the suffix ("png" or "jpg") of a valid picture; refuse anything else.

    Refuses (InvalidImage, naming `field`) an empty file, one over `max_bytes`, one that is
    not a PNG or JPEG by its content, a damaged one, and one too large in pixels.
    """
    if not content:
        raise InvalidImage(_("The file is empty: choose a PNG or JPEG picture."), field=field)
    if len(content) > max_bytes:
        raise InvalidImage(
            _(
                "The picture is larger than %(size)s: choose a smaller PNG or JPEG.",
                size=_size(max_bytes),
            ),
            field=field,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as picture:
                kind = picture.format or ""
                width, height = picture.size
                picture.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ):
        raise InvalidImage(
            _("This file is not a PNG or JPEG picture, whatever its name says."), field=field
        ) from None
    if kind not in KINDS:
        raise InvalidImage(
            _("This file is not a PNG or JPEG picture, whatever its name says."), field=field
        )
    if max(width, height) > MAX_SIDE:
        raise InvalidImage(
            _(
                "The picture is over %(side)d pixels on a side: choose a smaller one.",
                side=MAX_SIDE,
            ),
            field=field,
        )
    return KINDS[kind]


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n // 1024} KB"

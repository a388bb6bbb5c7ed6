"""Several lines of text, with a length limit shown to the applicant."""

from __future__ import annotations

from .base import register
from .short_text import ShortText


@register
class LongText(ShortText):
    name = "long_text"
    title = "Long text"
    default_length = 2000
    longest = 10_000

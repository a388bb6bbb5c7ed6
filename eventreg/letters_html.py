"""Free text that staff write (messages, letters) as it reads in an HTML email."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .formatting import paragraphs

# A web address in running text; trailing punctuation belongs to the sentence, not the link.
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")

# First words that open a letter with a greeting, in the languages applicants write in.
GREETINGS = {"dear", "hello", "hi", "bonjour", "cher", "chère", "estimado", "estimada", "hola"}


def linked_text(text: str) -> Markup:
    """Paragraphs (on blank lines) with the writer's line breaks, web addresses as links;
    everything else escaped."""
    html = []
    for paragraph in paragraphs(text):
        parts: list[Markup] = []
        start = 0
        for found in WEB_ADDRESS.finditer(paragraph):
            parts.append(escape(paragraph[start : found.start()]))
            parts.append(Markup('<a href="{0}">{0}</a>').format(found.group(0)))
            start = found.end()
        parts.append(escape(paragraph[start:]))
        lines = Markup("").join(parts).split("\n")
        html.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(lines)))
    return Markup("\n").join(html)


def opens_with_greeting(text: str) -> bool:
    """Whether the text starts with its own greeting ("Dear Sita,"), so the email's
    standard one is left out rather than said twice."""
    words = text.strip().split(None, 1)
    return bool(words) and words[0].strip(",:!").lower() in GREETINGS

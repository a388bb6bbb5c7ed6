"""The catalogs: French and Spanish complete for what applicants see, and up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("fr", "es")

# Places whose strings only staff read: they ship in English (README, "Languages").
STAFF_ONLY = (
    "eventreg/staff/",
    "eventreg/trainer/",
    "eventreg/auth/",
    "eventreg/api/",
    "eventreg/cli.py",
    "eventreg/pdf/sheets.py",
    "eventreg/services/staff_accounts.py",
    "eventreg/services/two_factor.py",
    "eventreg/services/organisation.py",
    "eventreg/services/privacy.py",
    "eventreg/services/questionnaire.py",
    "templates/staff/",
    "templates/trainer/",
    "templates/auth/",
    "templates/email/password_reset.",
    "templates/email/staff_invitation.",
    "templates/pdf/attendance_sheet.html",
    "templates/pdf/evaluation_report.html",
    "templates/pdf/evaluation_sheets.html",
    "templates/pdf/badges.html",
)


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def seen_by_applicants(message: Message) -> bool:
    return any(not file.startswith(STAFF_ONLY) for file, _line in message.locations)


def ids(catalog: Catalog) -> set[object]:
    """Each string with the files it appears in (which decide who reads it)."""
    return {
        (message.id, message.context, frozenset(file for file, _line in message.locations))
        for message in catalog
        if message.id
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_an_applicant_sees_is_translated(language: str) -> None:
    catalog = load(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", language)
    missing = [
        message.id
        for message in catalog
        if message.id
        and seen_by_applicants(message)
        and (
            message.fuzzy or not all(message.string)
            if isinstance(message.string, tuple)
            else not message.string
        )
    ]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_the_language(language: str) -> None:
    catalog = load(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", language)
    plurals = [
        message
        for message in catalog
        if message.pluralizable and message.id and seen_by_applicants(message)
    ]
    assert plurals, "no plural string is marked"
    for message in plurals:
        forms = message.string
        assert len(forms) == catalog.num_plurals and forms[0] != forms[-1], message.id


def test_catalogs_match_what_the_code_marks(tmp_path: Path) -> None:
    """`make translations-update` would change nothing: no string is missing or stale."""
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            pybabel,
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "--ignore-dirs=.*",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "--add-location=file",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    marked = load(fresh)
    template = load(TRANSLATIONS / "messages.pot")
    assert ids(template) == ids(marked), "run `make translations-update` and translate"
    for language in LANGUAGES:
        catalog = load(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", language)
        assert ids(catalog) == ids(marked), f"{language}: run `make translations-update`"

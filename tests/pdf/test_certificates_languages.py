"""A certificate batch printed by staff gives each certificate in its holder's language."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from eventreg.pdf import certificates_merged, certificates_zip
from eventreg.services.certificates import issue_certificates

from .test_certificates_in_workers import worker_calls  # noqa: F401 (a fixture)

# What each language's certificate says, and what the other languages' say instead.
WORDING = {
    "en": ("Certificate of participation", "This is to certify that", "Issued on"),
    "fr": ("Certificat de participation", "Nous certifions que", "Délivré le"),
    "es": ("Certificado de participación", "Se certifica que", "Expedido el"),
}


def language_of(text: str) -> str:
    """The one language whose wording the text carries (fails on none or a mixture)."""
    found = [lang for lang, words in WORDING.items() if all(w in text for w in words)]
    assert len(found) == 1, text
    return found[0]


def section_languages(reader: PdfReader) -> list[str]:
    """The /Lang of each page's certificate in the structure tree, page by page."""
    [document] = reader.trailer["/Root"]["/StructTreeRoot"]["/K"]
    by_page: dict[int, str] = {}
    for reference in document.get_object()["/K"]:
        element: Any = reference.get_object()
        if element.get("/S") == "/Sect":
            by_page[element.raw_get("/Pg").idnum] = str(element.get("/Lang", ""))
    return [by_page.get(page.indirect_reference.idnum, "") for page in reader.pages]


@pytest.fixture(params=["in this process", "in worker processes"])
def three_languages(request, workshop, participant) -> Iterator[list[str]]:
    """Amina reads English, Awa French and Ana Spanish (in the batch's order: family name);
    the batch is laid out here, or by two worker processes two certificates a chunk."""
    in_workers = request.param == "in worker processes"
    calls = request.getfixturevalue("worker_calls") if in_workers else []
    participant(workshop, given_names="Amina", family_name="Abebe", language="en")
    participant(workshop, given_names="Awa", family_name="Ndiaye", language="fr")
    participant(workshop, given_names="Ana", family_name="Quispe", language="es")
    issue_certificates(workshop, by=None)
    yield ["en", "fr", "es"]
    assert calls == ([2] if in_workers else [])


def test_each_page_of_a_merged_batch_is_in_its_holders_language(workshop, three_languages):
    reader = PdfReader(io.BytesIO(certificates_merged(workshop)))
    pages = [page.extract_text() for page in reader.pages]
    assert [language_of(text) for text in pages] == three_languages
    assert "Awa Ndiaye" in pages[1] and "Ana Quispe" in pages[2]
    # Still one tagged document; each certificate's section says its own language.
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and catalog["/Lang"] == "en"
    assert section_languages(reader) == three_languages


def test_each_file_of_a_zip_batch_is_in_its_holders_language(workshop, three_languages):
    archive = zipfile.ZipFile(io.BytesIO(certificates_zip(workshop)))
    found = []
    for name in archive.namelist():
        reader = PdfReader(io.BytesIO(archive.read(name)))
        [page] = reader.pages
        language = language_of(page.extract_text())
        found.append(language)
        catalog = reader.trailer["/Root"]
        # Tagged (PDF/UA) and saying its language, with a title in it.
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"], name
        assert catalog["/Lang"] == language, name
        assert section_languages(reader) == [language], name
        title = {"en": "Certificate ", "fr": "Certificat ", "es": "Certificado "}[language]
        assert reader.metadata.title.startswith(title), name
    assert found == three_languages

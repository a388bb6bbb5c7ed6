"""The rendering core: the locked-down URL fetcher, branding, escaping, paper sizes."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader

from eventreg.pdf.render import (
    FetchRefused,
    allowed_local_file,
    branding_for,
    font_configuration,
    layout,
    static_root,
    url_fetcher,
    write,
)

from .conftest import pdf_text


def test_the_fetcher_serves_our_static_files(app):
    with app.app_context():
        stylesheet = static_root() / "css" / "print.css"
        response = url_fetcher().fetch(stylesheet.as_uri())
        assert response.content_type == "text/css"
        assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5000/static/css/site.css",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        "STATIC/../../instance/secret_key",
    ],
)
def test_the_fetcher_refuses_the_network_and_other_files(app, url):
    with app.app_context():
        if url.startswith("STATIC"):
            url = static_root().as_uri() + url[len("STATIC") :]
        with pytest.raises(FetchRefused):
            url_fetcher().fetch(url)


def test_the_fetcher_reads_the_instance_folder_only_for_the_logo(app, tmp_path):
    with app.app_context():
        logo = tmp_path / "logo.png"
        logo.write_bytes(b"\x89PNG")
        secret = tmp_path / "secret_key"
        secret.write_text("hush")
        fetcher = url_fetcher(logo=logo)
        assert fetcher.fetch(logo.as_uri()).read() == b"\x89PNG"
        with pytest.raises(FetchRefused):
            fetcher.fetch(secret.as_uri())
        with pytest.raises(FetchRefused):
            allowed_local_file(secret.as_uri(), roots=(static_root(),), files=(logo,))


def test_a_document_asking_for_outside_resources_renders_without_them(app, caplog):
    html = (
        '<html><head><link rel="stylesheet" href="https://example.org/evil.css"></head><body>'
        '<img src="file:///etc/hostname"><img src="http://example.org/pixel.png">'
        "<p>Still here</p></body></html>"
    )
    with app.app_context(), caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = write(layout(html))
    assert "Still here" in pdf_text(data)
    refused = [r.getMessage() for r in caplog.records]
    assert any("FetchRefused" in message for message in refused), refused


def test_branding_falls_back_to_the_site_organiser_and_ignores_a_missing_logo(app, make_activity):
    activity = make_activity(organiser_name="", logo_path="logos/none.png")
    branding = branding_for(activity)
    assert branding.organiser == app.config["ORGANISER_NAME"]
    assert branding.logo is None
    activity.organiser_name = "Trade Union Training Centre"
    activity.logo_path = "../../../etc/passwd"
    assert branding_for(activity).organiser == "Trade Union Training Centre"
    assert branding_for(activity).logo is None


def test_the_activity_logo_is_printed_from_the_instance_folder(app, make_activity, tmp_path):
    from pathlib import Path

    from PIL import Image

    logos = Path(app.instance_path) / "test-logos"
    logos.mkdir(exist_ok=True)
    target = logos / "logo.png"
    Image.new("RGB", (40, 20), "navy").save(target)
    try:
        activity = make_activity(logo_path="test-logos/logo.png")
        branding = branding_for(activity)
        assert branding.logo == target.resolve()
        from eventreg.pdf import programme_pdf

        reader = PdfReader(io.BytesIO(programme_pdf(activity)))
        images = reader.pages[0]["/Resources"].get("/XObject", {})
        assert len(images) == 1
    finally:
        target.unlink()
        logos.rmdir()


def test_one_font_configuration_serves_the_whole_process(app):
    assert font_configuration() is font_configuration()


def test_data_uris_are_decoded_in_memory():
    from eventreg.pdf.render import decode_data_uri

    assert decode_data_uri("data:image/png;base64,iVBORw==") == ("image/png", b"\x89PNG")
    assert decode_data_uri("data:,a%20b") == ("text/plain", b"a b")

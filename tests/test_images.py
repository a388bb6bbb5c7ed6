"""Pictures staff upload are checked by what they contain, not by their name."""

import io

import pytest
from PIL import Image

from eventreg.images import InvalidImage, check_image


def picture(kind: str, size: tuple[int, int] = (40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, kind)
    return out.getvalue()


def test_a_png_and_a_jpeg_are_accepted_with_their_suffix(app):
    with app.test_request_context():
        assert check_image(picture("PNG"), field="logo", max_bytes=100_000) == "png"
        assert check_image(picture("JPEG"), field="logo", max_bytes=100_000) == "jpg"


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 not a picture", "not a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "not a PNG or JPEG"),
        (b"x" * 200_001, "larger than 195 KB"),
    ],
)
def test_what_is_not_a_small_png_or_jpeg_is_refused_by_name(app, content, refusal):
    with app.test_request_context(), pytest.raises(InvalidImage, match=refusal) as refused:
        check_image(content, field="logo", max_bytes=200_000)
    assert refused.value.field == "logo"


def test_a_gif_is_refused_even_though_it_is_a_picture(app):
    with app.test_request_context(), pytest.raises(InvalidImage, match="not a PNG or JPEG"):
        check_image(picture("GIF"), field="photo", max_bytes=100_000)


def test_a_picture_too_large_in_pixels_is_refused(app):
    with app.test_request_context(), pytest.raises(InvalidImage, match="6000 pixels"):
        check_image(picture("PNG", (6001, 10)), field="photo", max_bytes=10_000_000)

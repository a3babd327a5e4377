"""The QR code read back from the preview PNG and from the interpreter's PNG equals the payload."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
import zxingcpp
from PIL import Image
from samples import QR_TEXT, sample_licence, sample_receipt, sample_test_page

from printers.escpos_interpreter import interpret, parse
from printers.escpos_render import render_escpos
from printers.preview import preview_png, render_preview, save_preview
from printers.profiles import get_profile

PROFILES = ["xprinter-58", "xprinter-80", "epson-tm-t88", "generic-58-raster"]


def through_png(image: Image.Image) -> Image.Image:
    """Encode as PNG and decode again, as a screen or a capture folder would get it."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return decoded.convert("L")


def zxing_texts(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def opencv_text(image: Image.Image) -> str:
    text, _points, _straight = cv2.QRCodeDetector().detectAndDecode(np.asarray(image.convert("L")))
    return text


@pytest.mark.parametrize("name", PROFILES)
def test_qr_from_the_preview(name: str) -> None:
    image = Image.open(io.BytesIO(preview_png(sample_licence(), get_profile(name))))
    assert image.format == "PNG" and image.width == get_profile(name).width_dots
    assert zxing_texts(image) == [QR_TEXT]
    assert opencv_text(image) == QR_TEXT


@pytest.mark.parametrize("mode", ["text", "raster"])
@pytest.mark.parametrize("name", PROFILES)
def test_qr_from_the_interpreted_bytes(name: str, mode: str) -> None:
    profile = get_profile(name)
    image = through_png(interpret(render_escpos(sample_receipt(), profile, mode), profile.width_dots))
    assert zxing_texts(image) == [QR_TEXT]
    assert opencv_text(image) == QR_TEXT


def test_native_qr_payload_is_reported_by_the_interpreter() -> None:
    printed = parse(render_escpos(sample_receipt(), get_profile("xprinter-80"), "text"), 576, draw=False)
    assert printed.qr_payloads == [QR_TEXT]


def test_test_page_qr_names_the_profile(tmp_path) -> None:
    path = save_preview(sample_test_page("generic-58"), get_profile("generic-58"), tmp_path / "test.png")
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert zxing_texts(image) == ["MIAOBAN-TEST:generic-58:384"]


def test_preview_and_interpreter_agree_on_the_paper_length() -> None:
    profile = get_profile("xprinter-80")
    receipt = sample_licence()
    preview = render_preview(receipt, profile, show_cuts=True)
    printed = interpret(render_escpos(receipt, profile, "text"), profile.width_dots)
    assert abs((preview.height - 32) - printed.height) <= 2  # the preview adds a 16-dot margin each side

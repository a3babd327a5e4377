"""printers.escpos_bytes writes exactly what python-escpos 3.1's Dummy printer wrote for the slip renderer
(style, raster images in fragments, native QR), and `kiosk apply` no longer imports python-escpos."""

from __future__ import annotations

import random

import pytest
from PIL import Image
from samples import QR_TEXT, sample_licence, sample_receipt

from printers.escpos_bytes import EscposBytes, ImageTooWide
from printers.escpos_lib import escpos_printer
from printers.escpos_render import render_escpos
from printers.profiles import get_profile
from printers.raster import to_bitmap


def dummy(width_dots: int):
    """python-escpos' Dummy printer, told the paper width (as the renderer used to set it up)."""
    printer = escpos_printer().Dummy()
    data = dict(printer.profile.profile_data)
    data["media"] = {"dpi": 203, "width": {"mm": 80, "pixels": width_dots}}
    printer.profile.profile_data = data
    return printer


def noise(width: int, height: int, seed: int) -> Image.Image:
    """A grey image with every kind of pixel: dithering and rounding would show."""
    rng = random.Random(seed)
    image = Image.new("L", (width, height))
    image.putdata([rng.choice((0, 40, 127, 128, 200, 255)) for _ in range(width * height)])
    return image


@pytest.mark.parametrize("size", [(1, 1), (2, 2), (3, 1), (8, 8)])
def test_text_size_bold_and_alignment_are_python_escpos_bytes(size: tuple[int, int]) -> None:
    ours, theirs = EscposBytes(576), dummy(576)
    ours.size(*size)
    theirs.set(custom_size=True, width=size[0], height=size[1])
    for on in (True, False):
        ours.bold(on)
        theirs.set(bold=on)
    for where in ("center", "right", "left"):
        ours.align(where)
        theirs.set(align=where)
    assert ours.output == theirs.output


@pytest.mark.parametrize(("width", "height", "mode"), [
    (8, 1, "1"), (383, 40, "L"), (576, 960, "1"), (576, 961, "1"), (300, 2500, "L"), (17, 5, "RGBA"),
])
def test_raster_images_in_fragments_are_python_escpos_bytes(width: int, height: int, mode: str) -> None:
    image = noise(width, height, width * height)
    image = to_bitmap(image) if mode == "1" else image.convert(mode)
    ours, theirs = EscposBytes(576), dummy(576)
    ours.image(image, 960)
    theirs.image(image, impl="bitImageRaster", fragment_height=960)
    assert ours.output == theirs.output
    assert ours.output.count(b"\x1dv0") == -(-height // 960)


def test_an_image_wider_than_the_paper_is_refused() -> None:
    with pytest.raises(ImageTooWide):
        EscposBytes(384).image(Image.new("1", (392, 8)))


@pytest.mark.parametrize("content", ["", "MB1:ABC", QR_TEXT, "中文 and ¥ 𠮷"])
@pytest.mark.parametrize("module", [1, 6, 16])
def test_native_qr_codes_are_python_escpos_bytes(content: str, module: int) -> None:
    ours, theirs = EscposBytes(576), dummy(576)
    ours.qr(content, 1, module)
    theirs.qr(content, ec=1, size=module, native=True)
    assert ours.output == theirs.output


def test_bad_qr_arguments_are_refused_as_python_escpos_refused_them() -> None:
    for ecc, module in ((4, 6), (1, 0), (1, 17)):
        with pytest.raises(ValueError):
            EscposBytes(576).qr("x", ecc, module)


@pytest.mark.parametrize("profile", ["xprinter-58", "xprinter-80", "generic-80-raster"])
@pytest.mark.parametrize("mode", ["text", "raster"])
def test_whole_slips_render_without_python_escpos(profile: str, mode: str) -> None:
    """The renderer's output holds together (the golden files pin the exact bytes) and needs no escpos."""
    for receipt in (sample_receipt(), sample_licence()):
        data = render_escpos(receipt, get_profile(profile), mode)
        assert data.startswith(b"\x1b@")

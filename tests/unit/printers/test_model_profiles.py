"""The receipt model's validation and the printer profiles."""

from __future__ import annotations

import pytest

from printers.errors import PrinterError
from printers.model import Feed, QrCode, Receipt, Rule, Text, Title
from printers.profiles import PROFILES, UnknownProfileError, get_profile


@pytest.mark.parametrize("make", [
    lambda: Text("x", size=4),
    lambda: Text("x", align="middle"),
    lambda: Title("x", align="justify"),
    lambda: Rule("--"),
    lambda: QrCode(""),
    lambda: Feed(0),
])
def test_bad_blocks_are_refused(make) -> None:
    with pytest.raises(ValueError):
        make()


def test_receipt_takes_a_list_and_refuses_foreign_blocks() -> None:
    receipt = Receipt([Title("标题"), QrCode("A"), QrCode("B")])
    assert isinstance(receipt.blocks, tuple)
    assert receipt.qr_payloads() == ["A", "B"]
    with pytest.raises(TypeError, match="not a receipt block"):
        Receipt(("just a string",))


@pytest.mark.parametrize(("name", "width", "columns"), [
    ("xprinter-58", 384, 32), ("xprinter-80", 576, 48), ("generic-58", 384, 32),
    ("generic-80", 576, 48), ("epson-tm-t88", 512, 42),
])
def test_named_profiles(name: str, width: int, columns: int) -> None:
    profile = get_profile(name)
    assert (profile.width_dots, profile.columns) == (width, columns)


def test_raster_only_profiles_have_no_chinese_font_nor_native_qr() -> None:
    for name in ("generic-58-raster", "generic-80-raster"):
        profile = get_profile(name)
        assert not profile.chinese_font and not profile.native_qr and profile.default_mode == "raster"


def test_every_profile_fits_its_columns() -> None:
    for profile in PROFILES.values():
        assert profile.columns * 12 <= profile.width_dots


def test_width_override_recomputes_columns() -> None:
    profile = get_profile("generic-80", width_dots=384)
    assert (profile.width_dots, profile.columns, profile.paper_mm) == (384, 32, 58)


def test_unknown_profile_is_a_printer_error_naming_the_known_ones() -> None:
    with pytest.raises(UnknownProfileError, match="xprinter-80") as caught:
        get_profile("no-such-printer")
    assert isinstance(caught.value, PrinterError)

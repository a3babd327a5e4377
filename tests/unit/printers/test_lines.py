"""Laying the model out into printed lines: fields, sizes, rules and QR sizing."""

from __future__ import annotations

import pytest
import segno

from printers.lines import (
    CutPaper,
    FeedLines,
    QrLine,
    QrTooLargeError,
    TextLine,
    lay_out,
    qr_byte_mode_modules,
    qr_matrix,
    qr_module_size,
)
from printers.model import Cut, Feed, Field, QrCode, Receipt, Rule, Text, Title
from printers.profiles import get_profile
from printers.textwidth import text_width

P58 = get_profile("xprinter-58")
P80 = get_profile("xprinter-80")


def test_field_value_wraps_under_itself() -> None:
    lines = lay_out(Receipt((Field("地址", "一二三四五六七八九十一二三四五六七八"),)), P58)
    assert [line.text for line in lines] == ["地址：一二三四五六七八九十一二三", "      四五六七八"]


def test_field_with_a_long_label_puts_the_value_below() -> None:
    lines = lay_out(Receipt((Field("这是一个特别特别长的标签名称", "值"),)), P58)
    assert [line.text for line in lines] == ["这是一个特别特别长的标签名称：", "  值"]


def test_title_is_double_size_bold_and_wraps_at_half_the_columns() -> None:
    lines = lay_out(Receipt((Title("一二三四五六七八九"),)), P58)
    assert lines == [TextLine("一二三四五六七八", 2, True, "center"), TextLine("九", 2, True, "center")]


def test_rule_fills_the_width_even_with_a_double_width_character() -> None:
    lines = lay_out(Receipt((Rule(), Rule("─"))), P80)
    assert [text_width(line.text) for line in lines] == [48, 48]


def test_every_text_line_fits_at_its_size() -> None:
    receipt = Receipt((Text("测试" * 50, size=3), Text("ab " * 60, size=2), Field("名称", "x" * 500)))
    for profile in (P58, P80):
        for line in lay_out(receipt, profile):
            assert text_width(line.text) * line.size <= profile.columns


def test_feed_cut_and_qr_caption() -> None:
    lines = lay_out(Receipt((QrCode("HELLO", caption="扫码"), Feed(3), Cut(partial=True))), P80)
    assert isinstance(lines[0], QrLine) and lines[0].data == "HELLO"
    assert lines[1:] == [TextLine("扫码", align="center"), FeedLines(3), CutPaper(True)]


def test_qr_module_shrinks_to_fit_58mm() -> None:
    assert qr_module_size(57, P80) == 6
    assert qr_module_size(57, P58) == 4     # (57 + 8) * 4 = 260 <= 384
    assert qr_module_size(89, P58) == 3     # (89 + 8) * 4 = 388 > 384


def test_qr_too_long_for_the_printer_is_a_typed_error() -> None:
    with pytest.raises(QrTooLargeError, match="exceeds"):
        lay_out(Receipt((QrCode("A" * 1500),)), P58)
    with pytest.raises(QrTooLargeError, match="does not fit"):
        lay_out(Receipt((QrCode("A" * 900),)), get_profile("xprinter-58", width_dots=200))
    with pytest.raises(QrTooLargeError, match="too long"):
        lay_out(Receipt((QrCode("A" * 3000),)), get_profile("epson-tm-t88"))


@pytest.mark.parametrize("length", [1, 14, 15, 106, 107, 213, 214, 997, 998, 2331])
def test_byte_capacity_table_matches_segno(length: int) -> None:
    symbol = segno.make_qr(b"\xff" * length, error="m", boost_error=False, mode="byte")
    assert qr_byte_mode_modules(length) == symbol.symbol_size(border=0)[0]


def test_qr_matrix_is_cached_and_square() -> None:
    first = qr_matrix("HELLO")
    assert first is qr_matrix("HELLO")
    assert len(first) == len(first[0]) == 21

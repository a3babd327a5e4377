"""ESC/POS rendering: bytes on the wire for text and raster mode, Chinese, rare characters, QR."""

from __future__ import annotations

import pytest
from samples import QR_TEXT, sample_licence, sample_receipt

from printers.escpos_interpreter import decode_text, parse
from printers.escpos_render import RenderError, render_escpos
from printers.model import Cut, Field, QrCode, Receipt, Text, Title
from printers.profiles import get_profile

P58 = get_profile("xprinter-58")
P80 = get_profile("xprinter-80")
RASTER80 = get_profile("generic-80-raster")
GS_V0 = b"\x1dv0"
QR_STORE = b"\x1d(k"


def test_text_mode_starts_with_init_and_chinese_mode() -> None:
    data = render_escpos(Receipt((Text("中文"),)), P80, "text")
    assert data == b"\x1b@\x1c&" + "中文".encode("gbk") + b"\n"


def test_chinese_punctuation_and_yen_go_out_as_gbk_not_question_marks() -> None:
    data = render_escpos(Receipt((Text("金额：¥100，已缴。"),)), P80, "text")
    assert "金额：￥100，已缴。".encode("gbk") in data
    assert b"?" not in data
    assert decode_text(data) == ["金额：￥100，已缴。"]


def test_style_commands_are_sent_only_on_change() -> None:
    data = render_escpos(Receipt((Title("标题"), Text("一"), Text("二"), Text("粗", bold=True))), P80)
    assert data.count(b"\x1d!\x11") == 1 and data.count(b"\x1d!\x00") == 1
    assert data.count(b"\x1bE\x01") == 2 and data.count(b"\x1bE\x00") == 1
    assert b"\x1ba\x01" in data and b"\x1ba\x00" in data


def test_rare_character_line_goes_raster_and_the_rest_stays_text() -> None:
    data = render_escpos(Receipt((Text("申请人：吉𠮷"), Text("普通行"))), P80)
    assert data.count(GS_V0) == 1
    assert "𠮷".encode("gb18030") not in data
    printed = parse(data, P80.width_dots, draw=False)
    assert printed.text_lines == ["普通行"] and printed.raster_images == 1


def test_emoji_goes_raster_too() -> None:
    assert render_escpos(Receipt((Text("好评😀"),)), P58).count(GS_V0) == 1


def test_gb2312_printer_rasters_a_gbk_only_character() -> None:
    receipt = Receipt((Text("王喆"),))  # 喆 is in GBK but not in GB2312
    assert GS_V0 not in render_escpos(receipt, P58)
    assert GS_V0 in render_escpos(receipt, get_profile("sprt-58"))


def test_native_qr_carries_the_payload_with_ecc_m() -> None:
    data = render_escpos(Receipt((QrCode(QR_TEXT),)), P80)
    payload = QR_TEXT.encode()
    store = QR_STORE + (len(payload) + 3).to_bytes(2, "little") + b"\x31\x50\x30" + payload
    assert store in data
    assert b"\x1d(k\x03\x001E1" in data      # ECC M
    assert b"\x1d(k\x03\x001Q0" in data      # print
    assert GS_V0 not in data


def test_without_native_qr_the_qr_is_a_raster() -> None:
    data = render_escpos(Receipt((QrCode("HELLO"),)), get_profile("generic-80-raster"), "text")
    assert QR_STORE not in data and GS_V0 in data
    assert parse(data, 576, draw=False).qr_payloads == []


def test_raster_mode_is_images_only() -> None:
    data = render_escpos(sample_licence(), RASTER80)
    assert data.startswith(b"\x1b@\x1dv0")
    assert b"\x1c&" not in data and QR_STORE not in data
    printed = parse(data, 576, draw=False)
    assert printed.text_lines == [] and printed.cuts == 1 and printed.unknown_commands == []


@pytest.mark.parametrize("profile", [P58, P80], ids=["58mm", "80mm"])
@pytest.mark.parametrize("make", [sample_licence, sample_receipt], ids=["licence", "receipt"])
def test_text_mode_is_small_next_to_raster(profile, make) -> None:
    text = render_escpos(make(), profile, "text")
    raster = render_escpos(make(), profile, "raster")
    assert len(text) <= 2048
    assert len(text) <= 0.05 * len(raster)


def test_cut_only_on_printers_with_a_cutter() -> None:
    receipt = Receipt((Text("x"), Cut()))
    assert render_escpos(receipt, P80).endswith(b"\x1bd\x04\x1dV\x00")
    assert render_escpos(receipt, P58).endswith(b"\x1bd\x04")
    assert render_escpos(Receipt((Cut(partial=True),)), P80).endswith(b"\x1dV\x01")


def test_markup_like_text_is_printed_literally() -> None:
    data = render_escpos(Receipt((Text("<b>&</b>"), Field("<i>", "&amp;"))), P58)
    assert decode_text(data) == ["<b>&</b>", "<i>：&amp;"]


def test_ten_thousand_character_value_does_not_crash() -> None:
    data = render_escpos(Receipt((Field("备注", "长" * 10_000), Text("x" * 10_000))), P58)
    lines = decode_text(data)
    assert sum(line.count("长") for line in lines) == 10_000
    assert all(len(line.encode("gbk")) <= 32 for line in lines)


def test_unknown_mode_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="text"):
        render_escpos(Receipt(()), P80, "colour")


def test_default_mode_comes_from_the_profile() -> None:
    receipt = Receipt((Text("中"),))
    assert render_escpos(receipt, RASTER80) == render_escpos(receipt, RASTER80, "raster")
    assert render_escpos(receipt, P80) == render_escpos(receipt, P80, "text")


def test_rendering_is_deterministic() -> None:
    assert render_escpos(sample_receipt(), P58, "raster") == render_escpos(sample_receipt(), P58, "raster")


def test_euro_sign_outside_gbk_goes_raster() -> None:
    data = render_escpos(Receipt((Text("价格 €5"),)), P80)
    assert b"\x80" not in data.split(b"\x1dv0")[0] and data.count(GS_V0) == 1

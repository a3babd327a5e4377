"""Layouts: what the licence slip, the acceptance receipt and the test page print, read back as text."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from samples import HOLDER_ID, PRINTED_AT, QR_TEXT, sample_licence, sample_receipt

from printers.escpos_interpreter import decode_text
from printers.escpos_render import render_escpos
from printers.layouts import LayoutError, acceptance_receipt, licence_slip, mask_name
from printers.layouts import test_page as make_test_page
from printers.model import Cut, QrCode
from printers.profiles import PROFILES, get_profile

P80 = get_profile("xprinter-80")


def printed_text(receipt, profile=P80) -> str:
    return "\n".join(decode_text(render_escpos(receipt, profile, "text"), profile.width_dots))


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("张三丰", "张**"), ("欧阳娜娜", "欧***"),
                                              ("王", "王"), ("张*", "张*")])
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_licence_slip_prints_its_facts_and_masks_the_holder() -> None:
    text = printed_text(sample_licence())
    for expected in ("许可证号：JY35001510012345", "申请人：张**", "证件号码：5001**********0019",
                     "有效期限：2026年11月21日 至 2031年11月20日", "发证机关：重庆市南川区市场监督管理局",
                     "打印时间：2026年11月21日 14:05", "终端 NC-07"):
        assert expected in text
    assert HOLDER_ID not in text and "张三丰" not in text


def test_the_licence_slip_names_the_window_where_the_original_is_collected() -> None:
    receipt = licence_slip(
        licence_no="L1", service_title="测试", holder_name="张三", business_name="店", address="地址",
        category="类", office="局", issue_date=dt.date(2026, 1, 2), valid_from=None, valid_to=None,
        qr_text="Q", hall_name="大厅", kiosk_id="K1", printed_at=PRINTED_AT, pickup_window="3")
    assert "许可证正本请凭本凭条到3号发证窗口领取" in printed_text(receipt).replace("\n", "")
    assert "到大厅发证窗口领取" in printed_text(sample_licence()).replace("\n", "")  # no window configured


def test_full_id_number_never_reaches_the_wire() -> None:
    for receipt in (sample_licence(), sample_receipt()):
        for mode in ("text", "raster"):
            assert HOLDER_ID.encode() not in render_escpos(receipt, P80, mode)


def test_licence_without_end_date_is_long_term() -> None:
    receipt = licence_slip(
        licence_no="L1", service_title="测试", holder_name="张三", business_name="店", address="地址",
        category="类", office="局", issue_date=dt.date(2026, 1, 2), valid_from=None, valid_to=None,
        qr_text="Q", hall_name="大厅", kiosk_id="K1", printed_at=PRINTED_AT)
    assert "有效期限：2026年01月02日 至 长期" in printed_text(receipt)
    assert receipt.kind == "licence" and isinstance(receipt.blocks[-1], Cut)


def test_receipt_lists_the_corrections_owed() -> None:
    text = printed_text(sample_receipt())
    assert "需补正材料" in text
    assert "1. 从业人员健康合格证明（2人）" in text
    assert "2. 卫生管理制度文本（加盖公章）" in text
    assert "预计办结：2026年12月03日" in text
    assert "EMS邮寄至" in text


def _receipt(**changes):
    base = dict(receipt_no="R1", service_title="事项", holder_name="李四", business_name="店",
                address="地址", office="局", accepted_at=PRINTED_AT, expected_completion=dt.date(2026, 12, 1),
                delivery="pickup", qr_text=QR_TEXT, hall_name="大厅", kiosk_id="K1", printed_at=PRINTED_AT)
    base.update(changes)
    return acceptance_receipt(**base)


def test_receipt_without_corrections_has_no_correction_section() -> None:
    text = printed_text(_receipt())
    assert "补正" not in text and "送达方式：窗口领取" in text


def test_mail_delivery_needs_an_address_and_unknown_delivery_is_refused() -> None:
    with pytest.raises(LayoutError, match="address"):
        _receipt(delivery="ems")
    with pytest.raises(LayoutError, match="delivery"):
        _receipt(delivery="drone")


def test_receipt_qr_is_the_given_text() -> None:
    assert _receipt().qr_payloads() == [QR_TEXT]


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_test_page_renders_on_every_profile(name: str) -> None:
    profile = get_profile(name)
    receipt = make_test_page(profile)
    data = render_escpos(receipt, profile)
    assert data.startswith(b"\x1b@")
    qr = [block for block in receipt.blocks if isinstance(block, QrCode)]
    assert qr[0].data.endswith(f"{name}:{profile.width_dots}")
    if profile.text_encoding == "gbk":
        lines = decode_text(data, profile.width_dots)
        assert "".join(str(i % 10) for i in range(1, profile.columns + 1)) in lines
        assert "标点：，。、；：？！“”‘’（）《》【】—…￥" in "".join(lines)


def test_layout_inputs_are_plain_values() -> None:
    receipt = sample_receipt()
    assert dataclasses.is_dataclass(receipt) and receipt.kind == "receipt"


def test_a_certificate_slip_names_the_certificate_not_a_licence() -> None:
    receipt = licence_slip(
        licence_no="NC-ZM-2026-000123", service_title="户口登记信息证明", holder_name="张三",
        business_name="", address="", category="", office="重庆市南川区公安局", issue_date=dt.date(2026, 11, 21),
        valid_from=None, valid_to=dt.date(2026, 12, 21), qr_text="MB1.test", hall_name="南川区政务服务中心",
        kiosk_id="NC-07", printed_at=dt.datetime(2026, 11, 21, 14, 5), document_name="户口登记信息证明",
    )
    text = printed_text(receipt)
    assert "文书编号：NC-ZM-2026-000123" in text and "办理结果：户口登记信息证明" in text
    assert "出具机关：重庆市南川区公安局" in text and "即时办结（秒批）凭条" in text
    for licence_word in ("许可证号", "发证机关", "许可证正本", "经营者名称", "经营场所"):
        assert licence_word not in text

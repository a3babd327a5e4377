"""Fixed sample inputs for the printers tests and golden files (no clock, no randomness)."""

from __future__ import annotations

import datetime as dt

from printers.layouts import acceptance_receipt, licence_slip, test_page
from printers.model import Receipt
from printers.profiles import get_profile

PRINTED_AT = dt.datetime(2026, 11, 21, 14, 5)
#: A signed-QR-like payload: ASCII (Base45 alphabet), about the length the kiosk's credentials make.
QR_TEXT = "MB1:" + "6BFOXN*TS0BI$ZD.P9UOL97O4-2HH77HRM3DSPTLRR+%3.ZJLGZPDSNVDQKSR-4U5O%1BB%KS7W7Z" * 2
HOLDER_ID = "500151199001010019"


def sample_licence() -> Receipt:
    return licence_slip(
        licence_no="JY35001510012345", service_title="食品经营许可（仅销售预包装食品）备案",
        holder_name="张三丰", holder_id_number=HOLDER_ID, business_name="重庆市南川区三丰百货便利店",
        address="重庆市南川区东城街道金佛大道88号1幢1-2", category="预包装食品（含冷藏冷冻食品）销售",
        office="重庆市南川区市场监督管理局", issue_date=dt.date(2026, 11, 21),
        valid_from=dt.date(2026, 11, 21), valid_to=dt.date(2031, 11, 20), qr_text=QR_TEXT,
        hall_name="南川区政务服务中心", kiosk_id="NC-07", printed_at=PRINTED_AT,
        receipt_no="SB20261121000042")


def sample_receipt() -> Receipt:
    return acceptance_receipt(
        receipt_no="SL20261121000043", service_title="公共场所卫生许可（新办）", holder_name="李小龙",
        holder_id_number=HOLDER_ID, business_name="南川区小龙理发店",
        address="重庆市南川区西城街道西大街12号附3号", office="重庆市南川区卫生健康委员会",
        accepted_at=PRINTED_AT, expected_completion=dt.date(2026, 12, 3), delivery="ems",
        delivery_address="重庆市南川区西城街道西大街12号附3号 李小龙 138****0000",
        corrections=("从业人员健康合格证明（2人）", "卫生管理制度文本（加盖公章）"),
        correction_deadline=dt.date(2026, 12, 1), qr_text=QR_TEXT, hall_name="南川区政务服务中心",
        kiosk_id="NC-07", printed_at=PRINTED_AT, phone="023-71234567")


def sample_test_page(profile_name: str) -> Receipt:
    return test_page(get_profile(profile_name), printed_at=PRINTED_AT)


LAYOUTS = {"licence": sample_licence, "receipt": sample_receipt}

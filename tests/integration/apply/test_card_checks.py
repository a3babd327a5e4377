"""Through the headless apply on a fixed day: a card not yet valid, or whose birth date is not the one its
number carries, is blocked with a finding — never approved, and nothing is stored."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.headless import HeadlessApplicant
from kiosk.session import FakeClock

TODAY = dt.date(2026, 11, 21)
PP = "public-place-health-permit"
ANSWERS = {"staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
           "has_central_ac": "否", "hygiene_report_date": "2026-10-01", "hygiene_report_result": "合格"}


def _apply(data_dir, card):
    with Kiosk.build(demo_config(data_dir), today=lambda: TODAY) as kiosk:
        applicant = HeadlessApplicant(kiosk, pdfs=False, print_wait=5)
        applicant.session = kiosk.new_session(FakeClock(TODAY))  # the visit runs on the fixed day
        result = applicant.apply(PP, card, ANSWERS)
        stored = kiosk.store.recent_applications()
    return result, stored


def test_the_good_card_is_approved_on_the_fixed_day(tmp_path):
    result, stored = _apply(tmp_path, demo_cards.get("adult"))
    assert result.decision == "approved", result.findings
    assert len(stored) == 1


@pytest.mark.parametrize(("change", "rule", "words"), [
    ({"valid_from": TODAY + dt.timedelta(days=30)}, "CARD-NOT-YET-VALID", "2026年12月21日才开始"),
    ({"birth_date": dt.date(1986, 3, 12)}, "CARD-BIRTH-MISMATCH",
     "（1986年3月12日）和证件号码里的出生日期（1985年3月12日）"),
], ids=["valid_from in the future", "birth date not the number's"])
def test_a_card_that_cannot_be_right_is_blocked_not_approved(tmp_path, change, rule, words):
    card = dataclasses.replace(demo_cards.get("adult"), **change)
    result, stored = _apply(tmp_path, card)
    assert result.decision == "blocked"
    (finding,) = [f for f in result.findings if f["rule"] == rule]
    assert finding["severity"] == "block" and words in finding["message"]
    assert stored == [] and result.receipt_no is None

"""The lookup (扫码查询·补打) reads the slip's signed QR with every key of this hall, not only the
current one: a slip printed before `kiosk keys rotate` still finds its application (masked status)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.credentials import rotate_signing_key
from kiosk.effect_runner import EffectRunner
from kiosk.headless import HeadlessApplicant
from kiosk.lookup import LookupDesk
from kiosk.reprint_policy import Code

ROOT = Path(__file__).resolve().parents[3]
PP = "public-place-health-permit"
TODAY = dt.date(2026, 11, 21)  # the demo answers' report date (2026-10-15) is then a month old


def test_a_slip_signed_before_rotation_is_still_found(tmp_path):
    data = tmp_path / "data"
    answers = json.loads((ROOT / "assets/demo/answers" / f"{PP}.json").read_text(encoding="utf-8"))
    with Kiosk.build(demo_config(data), today=lambda: TODAY) as kiosk:
        result = HeadlessApplicant(kiosk, pdfs=False, print_wait=0).apply(PP, demo_cards.load("adult"), answers)
    assert result.decision == "approved" and result.qr

    rotate_signing_key(data)
    with Kiosk.build(demo_config(data), today=lambda: TODAY) as kiosk:
        desk = LookupDesk(kiosk, EffectRunner(kiosk))
        answer = desk.lookup(result.qr)
        assert answer.code is Code.FOUND, answer
        assert answer.number == result.licence_no  # an approved permit's QR names its licence
        assert desk.lookup("MB1:" + result.qr[4:-2] + "AA").code is Code.BAD_QR

"""一码通行 on request at 扫码查询: the legal representative's card prints one code per business (Qt-free
LookupDesk over a real demo kiosk); the print job is audited, another person's card prints nothing."""

from __future__ import annotations

import datetime as dt

import numpy as np

from forms.demo_registry import HOTEL_USCC
from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.credentials import verify_credential
from kiosk.credentials.qr import decode_with_zxing
from kiosk.effect_runner import EffectRunner
from kiosk.lookup import ONECODE_KIND, LookupDesk
from kiosk.onecode import business_claims, onecode_slip, printable_code
from kiosk.reprint_policy import Code, lookup_text
from printers.preview import render_preview
from printers.profiles import get_profile

TODAY = dt.date(2026, 11, 21)


def test_the_legal_representatives_card_prints_the_business_code(tmp_path):
    with Kiosk.build(demo_config(tmp_path / "data"), today=lambda: TODAY) as kiosk:
        desk = LookupDesk(kiosk, EffectRunner(kiosk))
        answer = desk.print_business_codes(demo_cards.load("elderly"))  # 李德明: 悦来宾馆
        assert answer.code is Code.ONECODE_PRINTED, answer
        assert answer.number == "铜梁区悦来宾馆"
        assert "已打印一码通行：铜梁区悦来宾馆" in lookup_text(answer.code, number=answer.number)
        (job,) = kiosk.store.select("SELECT id, kind, reference FROM print_jobs WHERE kind = ?", (ONECODE_KIND,))
        assert job["id"] == answer.job_id and job["reference"] == HOTEL_USCC
        audit = kiosk.store.select("SELECT event, detail FROM audit WHERE event = 'onecode.printed'")
        assert len(audit) == 1 and "5001" in audit[0]["detail"] and "500151194211030050" not in audit[0]["detail"]
        assert kiosk.store.verify_audit().ok

        claims = business_claims(kiosk.registry, kiosk.store, HOTEL_USCC, today=TODAY, kiosk_id="K01")
        text = printable_code(claims, kiosk.signing_key)
        slip = onecode_slip(claims, text, hall_name=kiosk.hall.name, printed_at=dt.datetime(2026, 11, 21, 9))
        image = np.asarray(render_preview(slip, get_profile("generic-58"), show_cuts=False).convert("L"))
        assert decode_with_zxing(image) == [text]
        assert verify_credential(text, [kiosk.signing_key.public_key()]) == claims
        assert any("（已过期）" in getattr(block, "text", "") for block in slip.blocks)


def test_a_card_that_represents_no_business_prints_nothing(tmp_path):
    with Kiosk.build(demo_config(tmp_path / "data"), today=lambda: TODAY) as kiosk:
        desk = LookupDesk(kiosk, EffectRunner(kiosk))
        answer = desk.print_business_codes(demo_cards.load("minor"))
        assert answer.code is Code.NO_BUSINESS
        assert kiosk.store.select("SELECT id FROM print_jobs WHERE kind = ?", (ONECODE_KIND,)) == []
        assert len(kiosk.store.select("SELECT id FROM audit WHERE event = 'onecode.none'")) == 1

"""The number typed at 扫码查询 is found when it is typed as people type it: the brackets of 〔2026〕 as
[ ] or ( ) or left out, without 第 and 号, without dashes or spaces, in lower case or full-width forms.
A number that matches two applications loosely finds neither (never the wrong holder's status)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forms.numbering import number_key
from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.effect_runner import EffectRunner
from kiosk.headless import HeadlessApplicant
from kiosk.lookup import LookupDesk
from kiosk.reprint_policy import Code

ROOT = Path(__file__).resolve().parents[3]
PP = "public-place-health-permit"
TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    data = tmp_path_factory.mktemp("loose") / "data"
    answers = json.loads((ROOT / "assets/demo/answers" / f"{PP}.json").read_text(encoding="utf-8"))
    with Kiosk.build(demo_config(data), today=lambda: TODAY) as kiosk:
        result = HeadlessApplicant(kiosk, pdfs=False, print_wait=0).apply(PP, demo_cards.load("adult"), answers)
    assert result.decision == "approved" and result.licence_no
    return data, result


@pytest.mark.parametrize("typed", [
    "{prefix}[2026]000001", "{prefix}(2026)第000001号", "{prefix}（２０２６）000001", " {prefix} 2026 000001 ",
    "{prefix}【2026】第000001号"])
def test_a_licence_number_typed_loosely_is_found_as_printed(issued, typed):
    data, result = issued
    prefix = result.licence_no.split("〔")[0]
    with Kiosk.build(demo_config(data), today=lambda: TODAY) as kiosk:
        answer = LookupDesk(kiosk, EffectRunner(kiosk)).lookup(typed.format(prefix=prefix))
    assert answer.code is Code.FOUND, answer
    assert answer.number == result.licence_no, "the status shows the number as printed"


def test_a_receipt_number_without_dashes_in_lower_case_is_found(issued):
    data, result = issued
    typed = result.receipt_no.replace("-", "").lower()
    with Kiosk.build(demo_config(data), today=lambda: TODAY) as kiosk:
        answer = LookupDesk(kiosk, EffectRunner(kiosk)).lookup(typed)
    assert answer.code is Code.FOUND and answer.number == result.receipt_no, answer


def test_a_different_serial_is_still_not_found(issued):
    data, result = issued
    wrong = result.licence_no.replace("000001", "000002")
    with Kiosk.build(demo_config(data), today=lambda: TODAY) as kiosk:
        assert LookupDesk(kiosk, EffectRunner(kiosk)).lookup(wrong).code is Code.NOT_FOUND


def test_number_keys_drop_only_the_decoration():
    assert number_key("铜卫公证字〔2026〕第000001号") == number_key("铜卫公证字[2026]000001") == "铜卫公证字2026000001"
    assert number_key("500151-20261121-K01-0001") == number_key("50015120261121k010001")
    assert number_key("500151-20261121-K01-0001") != number_key("500151-20261121-K01-0002")

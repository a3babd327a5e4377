"""A card that is not yet valid, or whose birth date is not the one in its ID number, is blocked by
pre-review for every item (forms.cardcheck), on a fixed day."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from forms import demo_registry as demo
from forms.cardcheck import BIRTH_MISMATCH, NOT_YET_VALID, card_findings, number_birth_date
from forms.context import ReviewContext
from forms.engine import decide, prefill, review
from forms.loader import load_catalog
from forms.settings import HallSettings
from idreader import demo_cards

TODAY = dt.date(2026, 11, 21)
CATALOG = load_catalog()


def _review(spec_id: str, card):
    spec = CATALOG[spec_id]
    context = ReviewContext(TODAY, HallSettings(), card, demo.demo_registry(TODAY))
    findings = review(spec, prefill(spec, card, context.registry, TODAY), context)
    return findings, decide(spec, findings).outcome


@pytest.mark.parametrize("spec_id", sorted(CATALOG))
def test_a_card_valid_only_from_tomorrow_is_blocked_for_every_item(spec_id):
    card = dataclasses.replace(demo_cards.get("adult"), valid_from=TODAY + dt.timedelta(days=1))
    findings, outcome = _review(spec_id, card)
    (finding,) = [f for f in findings if f.rule == NOT_YET_VALID]
    assert finding.severity == "block" and finding.field == "applicant_id_number"
    assert finding.message.startswith("这张证件的有效期从2026年11月22日才开始，现在还不能用来办理。")
    assert outcome == "blocked"


@pytest.mark.parametrize("spec_id", sorted(CATALOG))
def test_a_birth_date_other_than_the_numbers_is_blocked_for_every_item(spec_id):
    card = dataclasses.replace(demo_cards.get("adult"), birth_date=dt.date(1985, 3, 13))  # number says 0312
    findings, outcome = _review(spec_id, card)
    (finding,) = [f for f in findings if f.rule == BIRTH_MISMATCH]
    assert finding.severity == "block"
    assert "证件上的出生日期（1985年3月13日）和证件号码里的出生日期（1985年3月12日）对不上" in finding.message
    assert outcome == "blocked"


def test_valid_from_today_and_every_demo_card_pass():
    spec = CATALOG["public-place-health-permit"]
    for name in demo_cards.NAMES:
        card = demo_cards.get(name)
        assert card_findings(spec, card, TODAY) == [], name
    today_card = dataclasses.replace(demo_cards.get("adult"), valid_from=TODAY)
    assert card_findings(spec, today_card, TODAY) == []


@pytest.mark.parametrize(("name", "birth", "blocked"), [
    ("foreign2017", dt.date(1975, 10, 5), False),   # YYMMDD inside a 15-character 2017 permit number
    ("foreign2017", dt.date(1975, 10, 6), True),
    ("foreign2023", dt.date(1982, 7, 14), False),
    ("foreign2023", dt.date(1982, 7, 15), True),
    ("hmt", dt.date(1991, 4, 22), True),
])
def test_permits_compare_the_birth_date_their_number_carries(name, birth, blocked):
    card = dataclasses.replace(demo_cards.get(name), birth_date=birth)
    rules = [f.rule for f in card_findings(CATALOG["public-place-health-permit"], card, TODAY)]
    assert (BIRTH_MISMATCH in rules) is blocked


@pytest.mark.parametrize("number", ["", "123", "50015119850230003X", "ABC123", "５００１５１１９８５０３１２００３Ｘ"])
def test_a_number_without_a_readable_birth_date_is_left_to_its_field_check(number):
    card = dataclasses.replace(demo_cards.get("adult"), id_number=number)
    assert number_birth_date(card) is None
    assert card_findings(CATALOG["public-place-health-permit"], card, TODAY) == []

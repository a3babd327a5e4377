"""The demo cards (idreader.demo_cards) against the demo registry: each card tells its story."""

from __future__ import annotations

import datetime as dt

import pytest

from forms import demo_registry as demo
from forms.context import ReviewContext
from forms.engine import apply_answers, decide, prefill, review
from forms.loader import load_catalog
from forms.settings import HallSettings
from idreader import demo_cards

TODAY = dt.date(2026, 11, 21)
CATALOG = load_catalog()
STAFF = {"staff_count": 2, "staff_health_certified": 2, "staff_trained": 2}
PERMIT = {**STAFF, "hygiene_manager": "张伟", "has_central_ac": "否", "hygiene_report_date": "2026-10-01",
          "hygiene_report_result": "合格"}  # fmt: skip
FOOD = {"scope": "仅销售预包装食品（不含冷藏冷冻食品）", "special_foods": "否", "sells_bulk_or_made": "否",
        "food_safety_manager": "陈家明"}  # fmt: skip

SAYS_SELF = {"uscc": demo.FOOT_SPA_USCC, "is_legal_rep": "是"}  # an agent who claims to be the legal rep
BASE = {
    "public-place-health-permit": PERMIT,
    "public-place-health-permit-renewal": STAFF,
    "food-prepackaged-filing": {},
}


@pytest.mark.parametrize(
    ("card", "service", "extra", "outcome", "rules"),
    [
        ("adult", "public-place-health-permit", {}, "approved", []),
        ("longterm", "public-place-health-permit", {"uscc": demo.FOOT_SPA_USCC}, "accepted", ["PP-AGENT"]),
        ("longterm", "public-place-health-permit", SAYS_SELF, "blocked", ["PP-LEGAL-REP"]),
        ("rare_char", "public-place-health-permit", {}, "accepted", ["PP-CREDIT"]),
        ("elderly", "public-place-health-permit", {}, "approved", ["PP-EXISTING"]),
        ("elderly", "public-place-health-permit-renewal", {"conditions_changed": "否"}, "approved", []),
        ("foreign2023", "public-place-health-permit", {}, "blocked", ["PP-DISTRICT"]),
        ("expired", "public-place-health-permit", {}, "blocked", ["PP-AREA", "PP-CARD-VALID"]),
        ("minor", "public-place-health-permit", {"uscc": demo.BARBER_USCC, "applicant_phone": "13800000000"},
         "blocked", ["PP-ADULT", "PP-AGENT"]),
        ("hmt", "food-prepackaged-filing", FOOD, "approved", []),
    ],
)  # fmt: skip
def test_demo_card_story(card: str, service: str, extra: dict, outcome: str, rules: list[str]) -> None:
    spec = CATALOG[service]
    id_card = demo_cards.get(card)
    context = ReviewContext(TODAY, HallSettings(), id_card, demo.demo_registry(TODAY))
    answers = prefill(spec, context.card, context.registry, context.today)
    findings = review(spec, apply_answers(spec, answers, {**BASE[service], **extra}, context), context)
    decision = decide(spec, findings)
    assert (decision.outcome, sorted(f.rule for f in findings)) == (outcome, rules)

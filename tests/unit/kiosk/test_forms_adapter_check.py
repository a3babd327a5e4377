"""`FormsRules.check` (what the session asks after every keystroke) answers exactly what
`visible_fields` and `review` answer separately, from one pass over the answers."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.demo_registry import demo_registry
from forms.loader import load_catalog
from forms.settings import HallSettings
from idreader import demo_cards
from kiosk.forms_adapter import FormsDirectory

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def directory() -> FormsDirectory:
    return FormsDirectory(load_catalog(), demo_registry(TODAY), HallSettings())


@pytest.mark.parametrize("edits", [
    {},
    {"staff_count": "3", "has_central_ac": "是"},  # reveals the 集中空调 report date
    {"staff_count": "abc", "is_legal_rep": "否"},  # a bad number and an agent: findings of each kind
])
def test_check_is_visible_fields_and_review_together(directory, edits):
    rules = directory.rules_for("public-place-health-permit")
    card = demo_cards.get("adult")
    answers = dict(rules.prefill(card, TODAY))
    for key, value in edits.items():
        answers = dict(rules.edit(card, answers, key, value, TODAY))
    visible, findings = rules.check(card, answers, TODAY)
    assert visible == rules.visible_fields(card, answers, TODAY)
    assert findings == rules.review(card, answers, TODAY)
    assert ("ac_report_date" in visible) == (edits.get("has_central_ac") == "是")

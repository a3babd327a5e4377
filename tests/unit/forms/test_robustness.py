"""Whatever lands in the answers, review and decide return findings; they never raise."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from forms import demo_registry as demo
from forms.answers import Answer, Answers
from forms.context import ReviewContext
from forms.engine import decide, final_values, review, visible_fields
from forms.loader import load_catalog
from forms.settings import HallSettings
from idreader import demo_cards

CATALOG = load_catalog()
SPECS = list(CATALOG.values())
TODAY = dt.date(2026, 11, 21)
VALUES = st.one_of(
    st.none(), st.text(max_size=300), st.integers(), st.floats(allow_nan=True), st.booleans(),
    st.dates(), st.sampled_from(["是", "否", "３", "2026-13-01", "<b>张伟&理发</b>", "😀", "字" * 10_000]),
    st.lists(st.integers(), max_size=3),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SPECS), st.sampled_from(demo_cards.names()), st.data())
def test_review_never_raises(spec, card_name: str, data) -> None:
    card = demo_cards.get(card_name)
    context = ReviewContext(TODAY, HallSettings(), card, demo.demo_registry(TODAY))
    answers = Answers({f.key: Answer(data.draw(VALUES, label=f.key)) for f in spec.fields})
    findings = review(spec, answers, context)
    assert decide(spec, findings).outcome in ("approved", "accepted", "blocked")
    assert all(f.severity in ("block", "review", "warn") and f.message for f in findings)
    visible_fields(spec, answers, context)
    final_values(spec, answers, context)

"""`visible_keys` (the fields shown, checking only what the show_if conditions read) gives exactly
`check_fields(...).visible` on every item of the catalog, for many answers, with a card and without one;
it looks no shared data up unless a condition reads the registry's symbols."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any

import pytest

from forms import demo_registry as demo
from forms.answers import Answers
from forms.casefiles import make_card
from forms.conditions import compile_condition
from forms.context import CONTEXT_SYMBOLS, PLAIN_CONTEXT_SYMBOLS, ReviewContext, context_symbols
from forms.engine import prefill
from forms.loader import load_catalog
from forms.review import check_fields, visible_keys
from forms.settings import HallSettings
from forms.spec import FieldSpec, ServiceSpec

TODAY = dt.date(2026, 11, 21)
CATALOG = load_catalog()
ODD_VALUES = (None, "", "<b>是</b>", "是", "否", 0, 1, 3, -1, "2026-10-01", "x" * 10_000, "😀")


class CountingRegistry:
    """The demo registry, counting the lookups made through it."""

    def __init__(self) -> None:
        self.inner = demo.demo_registry(TODAY)
        self.lookups = 0

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.inner, name)
        if not callable(found):
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.lookups += 1
            return found(*args, **kwargs)

        return counted


def contexts(registry: Any = None) -> list[ReviewContext]:
    registry = registry or demo.demo_registry(TODAY)
    card = make_card({"name": "张伟", "id_number": demo.ZHANG_WEI})
    return [ReviewContext(TODAY, HallSettings(), card, registry), ReviewContext(TODAY, HallSettings(), None, registry)]


def values_for(field: FieldSpec) -> tuple[Any, ...]:
    return (*(field.options or ()), *ODD_VALUES)


def answer_sets(spec: ServiceSpec, context: ReviewContext) -> list[Answers]:
    """Empty answers, the prefill, and the prefill with every combination of values of the fields the
    show_if conditions read (up to three of them), each value from its options or an odd one."""
    start = prefill(spec, context.card, context.registry, TODAY) if context.card is not None else Answers()
    read = set().union(*(compile_condition(f.show_if).names for f in spec.fields if f.show_if))
    fields = [f for f in spec.fields if f.key in read][:3]
    sets = [Answers(), start]
    for combination in itertools.product(*(values_for(f) for f in fields)):
        answers = start
        for field, value in zip(fields, combination, strict=True):
            answers = answers.edited(field.key, value)
        sets.append(answers)
    return sets


@pytest.mark.parametrize("service_id", sorted(CATALOG))
def test_the_fields_shown_are_those_check_fields_shows(service_id: str) -> None:
    spec = CATALOG[service_id]
    for context in contexts():
        for answers in answer_sets(spec, context):
            assert visible_keys(spec, answers, context) == check_fields(spec, answers, context).visible


def test_the_catalog_has_items_with_and_without_show_if() -> None:
    with_show_if = [spec for spec in CATALOG.values() if any(f.show_if for f in spec.fields)]
    assert 5 <= len(with_show_if) < len(CATALOG)


def test_an_item_whose_conditions_read_only_fields_looks_nothing_up() -> None:
    registry = CountingRegistry()
    spec = CATALOG["public-place-health-permit"]
    context = contexts(registry)[0]
    answers = prefill(spec, context.card, registry, TODAY).edited("has_central_ac", "是")
    registry.lookups = 0
    assert "ac_report_date" in visible_keys(spec, answers, context)
    assert registry.lookups == 0
    check_fields(spec, answers, context)
    assert registry.lookups > 0  # the whole check looks the business and the person up


def test_a_condition_reading_the_registry_takes_the_whole_check() -> None:
    spec = CATALOG["public-place-health-permit"]
    fields = [dataclasses.replace(f, show_if="reg_business_found") if f.key == "ac_report_date" else f
              for f in spec.fields]
    spec = dataclasses.replace(spec, fields=fields)
    registry = CountingRegistry()
    for context in contexts(registry):
        for answers in answer_sets(spec, context):
            registry.lookups = 0
            assert visible_keys(spec, answers, context) == check_fields(spec, answers, context).visible
            assert registry.lookups > 0 or context.card is None


def test_a_field_hidden_hides_the_fields_whose_condition_reads_it() -> None:
    spec = CATALOG["public-place-health-permit"]
    chain = {"ac_report_date": "has_central_ac == '是'", "hygiene_manager": "ac_report_date != null",
             "staff_count": "applicant_age != null and applicant_age >= 18 and hygiene_manager != null"}
    fields = [dataclasses.replace(f, show_if=chain.get(f.key, f.show_if)) for f in spec.fields]
    spec = dataclasses.replace(spec, fields=fields)
    for context in contexts():
        start = prefill(spec, context.card, context.registry, TODAY) if context.card else Answers()
        for ac, report, manager, number in itertools.product(
                ("是", "否", None), ("2026-10-01", "not a date", None), ("张伟", None),
                (demo.ZHANG_WEI, "110101201001011234", None)):
            answers = (start.edited("has_central_ac", ac).edited("ac_report_date", report)
                       .edited("hygiene_manager", manager))
            if context.card is None:  # with a card the number is the card's (locked) and so is the age
                answers = answers.edited("applicant_id_number", number)
            assert visible_keys(spec, answers, context) == check_fields(spec, answers, context).visible


def test_the_plain_context_symbols_are_those_context_symbols_computes() -> None:
    for context in contexts():
        assert set(context_symbols({}, context)) == PLAIN_CONTEXT_SYMBOLS
    assert all(name.startswith("reg_") for name in CONTEXT_SYMBOLS - PLAIN_CONTEXT_SYMBOLS)

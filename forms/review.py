"""Pre-review (智能预审): field validators, then the spec's rules, giving a list of `Finding`s.

Order of work: every answer is checked by its field type (`forms.fieldtypes`); `show_if` hides fields
(a hidden field's value is null and its problems are not reported); then each rule's condition runs
over the symbols of `forms.context`; the card's own checks (`forms.cardcheck`: not yet valid, birth
date not the one in its number) apply to every item. A rule is skipped while a field it reads is empty
or invalid (the field's own finding already says what to do), except fields it lists in `allow_missing`.

`Finding` (contract, used by `kiosk apply --json`): rule, field, severity, message. Field-level
findings use rule ids `FIELD-<CODE>` (FIELD-REQUIRED, FIELD-CHECK, FIELD-FORMAT, FIELD-RANGE,
FIELD-TOO-LONG, FIELD-CHOICE, FIELD-ORG-CODE, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.answers import Answers, Source
from forms.cardcheck import card_findings
from forms.conditions import compile_condition
from forms.context import ReviewContext, build_symbols
from forms.fieldtypes import Checked, check_value
from forms.spec import Severity

if TYPE_CHECKING:
    from forms.spec import FieldSpec, ServiceSpec

SEVERITIES = tuple(Severity)


@dataclass(frozen=True)
class Finding:
    """A rule that fired on an application: rule id, field, severity, message."""

    rule: str
    field: str
    severity: Severity
    message: str

    def __post_init__(self) -> None:  # "block" given as text is the same Severity; anything else is refused
        object.__setattr__(self, "severity", Severity(self.severity))

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "field": self.field, "severity": self.severity.value, "message": self.message}


@dataclass(frozen=True)
class Checkup:
    """The result of checking every field: typed values (null when hidden/unusable) and visibility."""

    checked: Mapping[str, Checked]
    values: Mapping[str, Any]
    visible: frozenset[str]
    symbols: Mapping[str, Any]


def _card_type_for(field: FieldSpec, answers: Answers, context: ReviewContext) -> str | None:
    answer = answers.get(field.key)
    if (
        field.type == "id_number" and context.card is not None and answer is not None
        and answer.source is Source.CARD
    ):
        return context.card.card_type
    return None


def check_fields(spec: ServiceSpec, answers: Answers, context: ReviewContext) -> Checkup:
    """Check every answer, resolve show_if, and build the condition symbols."""
    checked: dict[str, Checked] = {}
    values: dict[str, Any] = {}
    for field in spec.fields:
        card_type = _card_type_for(field, answers, context)
        result = check_value(field, answers.value(field.key), context.today, card_type)
        checked[field.key] = result
        values[field.key] = result.value if result.usable else None
    symbols = build_symbols(spec, values, context)
    visible = set()
    for field in spec.fields:
        if field.show_if is None or compile_condition(field.show_if).holds(symbols):
            visible.add(field.key)
        else:
            values[field.key] = None
            symbols[field.key] = None
    return Checkup(checked, values, frozenset(visible), symbols)


def review(
    spec: ServiceSpec, answers: Answers, context: ReviewContext, checkup: Checkup | None = None
) -> list[Finding]:
    """All findings for the answers as they stand: field problems first, then rules, in spec order.
    `checkup`: `check_fields` of the same answers when the caller has it already."""
    checkup = checkup if checkup is not None else check_fields(spec, answers, context)
    findings = [
        Finding(f"FIELD-{problem.code}", field.key, problem.severity, problem.message)
        for field in spec.fields
        if field.key in checkup.visible
        for problem in checkup.checked[field.key].problems
    ]
    findings += card_findings(spec, context.card, context.today)
    keys = set(spec.field_keys)
    for rule in spec.rules:
        condition = compile_condition(rule.condition)
        needed = (condition.names & keys) - set(rule.allow_missing)
        if any(checkup.values.get(key) is None for key in needed):
            continue
        if condition.holds(checkup.symbols):
            message = render_message(rule.message, checkup.symbols)
            findings.append(Finding(rule.id, rule.field, rule.severity, message))
    return findings


def display(value: Any) -> str:
    """A value as the message shows it: dates as 2026年11月21日, 300.0 as 300, lists joined with 、."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, list | tuple):
        return "、".join(display(v) for v in value)
    return str(value)


class _Shown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_message(template: str, symbols: Mapping[str, Any]) -> str:
    """Fill {name} placeholders from the symbols; unknown names stay as written, never raise."""
    shown = _Shown({key: display(value) for key, value in symbols.items()})
    try:
        return template.format_map(shown)
    except (ValueError, IndexError, AttributeError, KeyError):
        return template

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
from forms.context import PLAIN_CONTEXT_SYMBOLS, ReviewContext, answers_read, build_symbols, context_symbols
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
        result = _checked(field, answers, context)
        checked[field.key] = result
        values[field.key] = result.value if result.usable else None
    symbols = build_symbols(spec, values, context)
    visible = _resolve_show_if(spec, values, symbols)
    return Checkup(checked, values, visible, symbols)


def visible_keys(spec: ServiceSpec, answers: Answers, context: ReviewContext) -> frozenset[str]:
    """`check_fields(...).visible`, checking only what the `show_if` conditions read: nothing when the item
    has none, the fields they name when they read only fields and the card, hall and date symbols. Any
    other symbol (the registry's `reg_*`, read by looking shared data up) takes the whole `check_fields`.
    The session asks this after each of the answers `kiosk apply` sets (the health permit: ~40 µs, the
    whole check ~270 µs with the registry in memory, ~0.5 ms with the kiosk's SQLite one; tests compare
    both on every item of the catalog)."""
    conditions = [(field, compile_condition(field.show_if)) for field in spec.fields if field.show_if is not None]
    if not conditions:
        return frozenset(spec.field_keys)
    keys = set(spec.field_keys)
    read = set().union(*(condition.names for _, condition in conditions))
    if not read <= keys | PLAIN_CONTEXT_SYMBOLS:
        return check_fields(spec, answers, context).visible
    read |= answers_read(read, context)
    values: dict[str, Any] = dict.fromkeys(keys)
    for field in spec.fields:
        if field.key in read:
            result = _checked(field, answers, context)
            values[field.key] = result.value if result.usable else None
    symbols = {**values, **context_symbols(values, context)}
    return _resolve_show_if(spec, values, symbols)


def _checked(field: FieldSpec, answers: Answers, context: ReviewContext) -> Checked:
    return check_value(field, answers.value(field.key), context.today, _card_type_for(field, answers, context))


def _resolve_show_if(spec: ServiceSpec, values: dict[str, Any], symbols: dict[str, Any]) -> frozenset[str]:
    """The keys of the fields shown, in spec order: a hidden field's value and symbol become None before
    the conditions of the fields after it are read."""
    visible = set()
    for field in spec.fields:
        if field.show_if is None or compile_condition(field.show_if).holds(symbols):
            visible.add(field.key)
        else:
            values[field.key] = None
            symbols[field.key] = None
    return frozenset(visible)


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

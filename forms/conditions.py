"""Conditions (rules, show_if, material `when`) compiled with the `rule-engine` package: no `eval`.

A condition is a rule-engine expression over the review symbols (see `forms.context`): the answers by
field key plus `today`, `applicant_age`, `card_*`, `hall_*` and `reg_*` facts. Compiling costs about a
millisecond, so compiled conditions are cached by their text for the life of the process: the catalog
loads fast and each distinct expression is parsed once, on first use. `compile_condition` also reports
which names an expression reads, so a rule can be skipped while a field it needs is still empty and
`kiosk services check` can reject unknown names.

`rule_engine` is imported on first use, not with this module, and through `forms.ruletables`: it builds
its PLY parser when imported (~0.4 s of CPU), which commands that never evaluate a rule (verify, jobs,
audit) should not pay, and which every other process reads from the compiled cache instead.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.errors import ConditionError

if TYPE_CHECKING:
    import rule_engine


@dataclass(frozen=True)
class Condition:
    """A compiled condition: its text, the rule-engine rule and the names it reads."""

    text: str
    rule: rule_engine.Rule
    names: frozenset[str]

    def holds(self, symbols: Mapping[str, Any]) -> bool:
        import rule_engine

        try:
            return bool(self.rule.evaluate(symbols))
        except rule_engine.EngineError as exc:
            raise ConditionError(f"condition {self.text!r} failed: {exc.message}") from exc


_CACHE: dict[str, Condition] = {}
_LOCK = threading.Lock()


def compile_condition(text: str) -> Condition:
    """The compiled condition for `text` (cached); ConditionError when it does not parse."""
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    from forms.ruletables import import_rule_engine

    rule_engine = import_rule_engine()

    names: set[str] = set()

    def record(name: str) -> rule_engine.DataType:
        names.add(name)
        return rule_engine.DataType.UNDEFINED

    context = rule_engine.Context(type_resolver=record, default_value=None)
    try:
        rule = rule_engine.Rule(text, context=context)
    except rule_engine.EngineError as exc:
        raise ConditionError(f"condition {text!r} does not parse: {exc.message}") from exc
    condition = Condition(text, rule, frozenset(names))
    with _LOCK:
        _CACHE.setdefault(text, condition)
    return _CACHE[text]


def cached_count() -> int:
    """How many distinct conditions are compiled (for benchmarks and diagnostics)."""
    return len(_CACHE)

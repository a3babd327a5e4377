"""Answers: the form's values, each tagged with where it came from and whether it is locked.

Sources: `card` (来自身份证), `registry` (来自共享数据), `earlier` (来自上次申请), `applicant` (本人填写).
Values from an authority (card, registry) are locked unless the field is `editable`; the screen shows
the source label and refuses edits to locked values (`LockedFieldError`). `Answers` is immutable:
every change returns a new object, so the session can keep the previous state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from forms.errors import LockedFieldError
from forms.normalize import clean_identifier


class Source(StrEnum):
    CARD = "card"
    REGISTRY = "registry"
    EARLIER = "earlier"
    APPLICANT = "applicant"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]

    @property
    def is_authority(self) -> bool:
        return self in (Source.CARD, Source.REGISTRY)


SOURCE_LABELS = {
    Source.CARD: "来自身份证",
    Source.REGISTRY: "来自共享数据",
    Source.EARLIER: "来自上次申请",
    Source.APPLICANT: "本人填写",
}


@dataclass(frozen=True)
class Choice:
    """An offered value, e.g. one of the applicant's businesses: value 92500151..., label 张伟理发店."""

    value: str
    label: str


@dataclass(frozen=True)
class Answer:
    """One field's answer: its value, where it came from, whether it is locked."""

    value: Any = None
    source: Source = Source.APPLICANT
    locked: bool = False
    choices: tuple[Choice, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        out: dict[str, Any] = {"value": value, "source": str(self.source), "locked": self.locked}
        if self.choices:
            out["choices"] = [{"value": c.value, "label": c.label} for c in self.choices]
        return out


def _canonical(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_identifier(value) if value is not None else ""


def same_value(given: Any, held: Any) -> bool:
    """True when an answer repeats a held value up to normalising (case, spaces, full-width, 80 vs 80.0)."""
    return given == held or _canonical(given) == _canonical(held)


class Answers(Mapping[str, Answer]):
    """An immutable mapping field key -> Answer. Keys not present are unanswered."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, Answer] | None = None) -> None:
        self._items: dict[str, Answer] = dict(items or {})

    def __getitem__(self, key: str) -> Answer:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        shown = {k: (a.source.value, a.locked) for k, a in self._items.items()}
        return f"Answers({shown})"  # values left out: they may hold ID numbers

    def value(self, key: str) -> Any:
        answer = self._items.get(key)
        return None if answer is None else answer.value

    def raw_values(self) -> dict[str, Any]:
        return {key: answer.value for key, answer in self._items.items()}

    def with_answer(self, key: str, answer: Answer) -> Answers:
        items = dict(self._items)
        items[key] = answer
        return Answers(items)

    def edited(self, key: str, value: Any) -> Answers:
        """The applicant's own edit; refused on a locked value (unless it does not change it)."""
        current = self._items.get(key)
        if current is not None and current.locked and not same_value(value, current.value):
            raise LockedFieldError(f"“{key}” {current.source.label}，不能修改")
        choices = current.choices if current is not None else ()
        if current is not None and current.locked:
            return self
        return self.with_answer(key, Answer(value, Source.APPLICANT, False, choices))

    def with_choices(self, key: str, choices: tuple[Choice, ...]) -> Answers:
        current = self._items.get(key, Answer())
        return self.with_answer(key, replace(current, choices=choices))

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """JSON-ready: key -> {"value", "source", "locked"[, "choices"]} (dates as ISO strings)."""
        return {key: answer.to_dict() for key, answer in self._items.items()}

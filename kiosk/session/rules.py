"""What the session needs from the form engine, as small Protocols the composition root fills in.

The session never imports `forms`: `kiosk/app.py` adapts the real engine (spec, prefill, review,
decide, hall settings, registry) to `ServiceDirectory` / `ApplicationRules`, and tests pass tiny
honest implementations over a few fields. All methods are pure: no I/O, same input → same output.
Every method that looks at answers also gets the card and the date, because conditions (`show_if`, a
material's `when`, rules) may use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from idreader import IdCard
from kiosk.session.state import AnswerLike


class Finding(Protocol):
    """One pre-review finding (forms' Finding has these attributes)."""

    @property
    def rule(self) -> str: ...

    @property
    def field(self) -> str: ...

    @property
    def severity(self) -> str:
        """`block`, `review` or `warn`."""
        ...

    @property
    def message(self) -> str: ...


class ApplicationRules(Protocol):
    """The pure logic of one service item, bound to its spec, the hall settings and shared data."""

    @property
    def requires_commitment(self) -> bool:
        """True when the applicant must sign or agree to the 承诺书 before submitting."""
        ...

    def prefill(self, card: IdCard, today: dt.date) -> Mapping[str, AnswerLike]:
        """Values known before the applicant types anything, each with its source and lock."""
        ...

    def edit(
        self, card: IdCard, answers: Mapping[str, AnswerLike], key: str, value: object, today: dt.date
    ) -> Mapping[str, AnswerLike]:
        """The answers after the applicant set `key` to `value` (source `applicant`), with whatever
        follows from it (e.g. a new credit code refills the business fields from shared data).
        The session has already checked that the field is shown and not locked."""
        ...

    def visible_fields(
        self, card: IdCard, answers: Mapping[str, AnswerLike], today: dt.date
    ) -> Sequence[str]:
        """The keys of the fields shown for these answers, in screen order (`show_if` applied)."""
        ...

    def review(self, card: IdCard, answers: Mapping[str, AnswerLike], today: dt.date) -> Sequence[Finding]:
        """Pre-review the answers (field validators and the item's rules)."""
        ...

    def check(
        self, card: IdCard, answers: Mapping[str, AnswerLike], today: dt.date
    ) -> tuple[Sequence[str], Sequence[Finding]]:
        """`visible_fields` and `review` together, from one pass over the answers: what the session asks
        after every keystroke (the fields are checked once, not once for each)."""
        ...

    def decide(self, findings: Sequence[Finding]) -> str:
        """`approved`, `accepted` or `blocked` for these findings (the item's mode included)."""
        ...

    def materials(self, card: IdCard, answers: Mapping[str, AnswerLike], today: dt.date) -> Sequence[str]:
        """Names of the materials this application needs (empty when none)."""
        ...

    @property
    def promised_unless_photographed(self) -> frozenset[str]:
        """Materials that count as promised under 告知承诺 when the applicant confirms the materials without
        photographing them (a spec's `camera_or_promise`): the session marks them promised, as the papers say."""
        ...


class ServiceDirectory(Protocol):
    def rules_for(self, service_id: str) -> ApplicationRules:
        """The rules of one service item; raise KeyError when the catalog has no such item."""
        ...

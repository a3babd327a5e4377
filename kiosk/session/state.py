"""The applicant session's state: one immutable value per moment of a visit.

`SessionState` is a frozen dataclass holding everything a screen shows — the step, the card, the
answers with their source, the live findings, the outcome, the delivery choice, the saved numbers and
the current notice — plus the idle timer. A test asserts on it directly; the UI renders it (it comes
inside every `ShowScreen` effect). Collections are tuples so a state can never be changed in place.

`repr()` of a state or a draft never shows a full ID number or any answer value, so a state that ends
up in a log line leaks nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from idreader import IdCard

OUTCOMES = ("approved", "accepted", "blocked")
SEVERITIES = ("block", "review", "warn")
LANGUAGES = ("zh", "en")


class Step(StrEnum):
    """Where the applicant is. The value is the screen name the UI shows for it."""

    START = "start"
    CARD = "card"
    FORM = "form"
    PREREVIEW = "prereview"
    MATERIALS = "materials"
    SIGN = "sign"
    RESULT = "result"
    SAVING = "saving"
    PRINTING = "printing"
    PRINT_FAILED = "print_failed"
    RATING = "rating"
    THANKS = "thanks"

    @property
    def stage(self) -> int:
        """Index into the progress header 选择事项 · 身份核验 · 填写信息 · 智能预审 · 确认承诺 · 办结打印."""
        return _STAGES[self]

    @property
    def before_submission(self) -> bool:
        """True while Back is possible and nothing has been saved."""
        return self in _BEFORE_SUBMISSION


STAGE_NAMES = ("选择事项", "身份核验", "填写信息", "智能预审", "确认承诺", "办结打印")
_STAGES = {
    Step.START: 0, Step.CARD: 1, Step.FORM: 2, Step.PREREVIEW: 3, Step.MATERIALS: 4, Step.SIGN: 4, Step.RESULT: 5,
    Step.SAVING: 5, Step.PRINTING: 5, Step.PRINT_FAILED: 5, Step.RATING: 5, Step.THANKS: 5,
}
_BEFORE_SUBMISSION = frozenset(
    {Step.START, Step.CARD, Step.FORM, Step.PREREVIEW, Step.MATERIALS, Step.SIGN, Step.RESULT}
)

CARD_SWAP_SCREEN = "card_swap"
"""The screen name shown while the session asks whether a different person's card should replace."""
CAPTURE_SCREEN = "capture"
"""The screen name shown while the applicant photographs a material (within the materials step)."""


class AnswerLike(Protocol):
    """What the session reads of an answer (forms' `Answer` has these, plus `choices`)."""

    @property
    def value(self) -> object: ...

    @property
    def source(self) -> str:
        """`card`, `registry`, `earlier` or `applicant`."""
        ...

    @property
    def locked(self) -> bool:
        """True when the value came from an authority and cannot be edited on screen."""
        ...


@dataclass(frozen=True)
class Answer:
    """A plain `AnswerLike`: one form value and where it came from (`card`, `registry`, `earlier` or
    `applicant`). `locked` values came from an authority and cannot be edited on screen.
    """

    value: object
    source: str = "applicant"
    locked: bool = False

    def __repr__(self) -> str:
        return f"Answer(source={self.source!r}, locked={self.locked})"


@dataclass(frozen=True)
class FindingView:
    """A pre-review finding as the session keeps it (copied from the rules' own Finding objects)."""

    rule: str
    field: str
    severity: str
    message: str


@dataclass(frozen=True)
class Notice:
    """A fault or a missing step, told as what happened, what it means, and what to do."""

    code: str
    what_happened: str
    what_it_means: str
    what_to_do: str

    def spoken(self, language: str) -> str:
        """What elder mode reads aloud: what happened, then what to do, as sentences of `language`."""
        stop = "。" if language == "zh" else ". "
        return f"{self.what_happened}{stop}{self.what_to_do}" if self.what_to_do else self.what_happened


@dataclass(frozen=True)
class Delivery:
    """How an accepted application's result reaches the applicant: `pickup`, or `mail` to `address`."""

    method: str
    address: str = ""


@dataclass(frozen=True)
class Commitment:
    """The signed 承诺书: `signature` (finger-drawn PNG, kept in memory only) or `agree` (I agree)."""

    method: str
    signature_png: bytes | None = dataclasses.field(default=None, repr=False)


@dataclass(frozen=True)
class MaterialPage:
    """A paper material photographed with the document camera: the flattened page as PNG (memory only
    until the application is saved; then a registered file, purged with the application)."""

    material: str
    png: bytes = dataclasses.field(repr=False)
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class SavedApplication:
    """What storage returned once the application was committed: its id and numbers."""

    application_id: str
    receipt_no: str
    licence_no: str | None = None
    print_job_id: int | None = None

    @property
    def number(self) -> str:
        """The number the applicant needs: the licence number when there is one, else the receipt's."""
        return self.licence_no or self.receipt_no


@dataclass(frozen=True)
class IdleTimer:
    """When the applicant last did something, and the countdown if one is showing."""

    last_activity: float
    countdown_deadline: float | None = None
    shown_seconds: int | None = None

    @property
    def counting_down(self) -> bool:
        return self.countdown_deadline is not None


Answers = tuple[tuple[str, AnswerLike], ...]


@dataclass(frozen=True)
class ApplicationDraft:
    """Everything `SaveApplication` asks storage to commit (before anything prints).

    The card never carries its photo; `answers` holds only the fields visible on the final form, as the
    rules made them (forms' `Answer` objects in production).
    """

    service_id: str
    card: IdCard
    answers: Answers
    findings: tuple[FindingView, ...]
    outcome: str
    delivery: Delivery | None
    commitment: Commitment | None
    materials_promised: tuple[str, ...]
    language: str
    material_pages: tuple[MaterialPage, ...] = ()

    def values_dict(self) -> dict[str, object]:
        return {key: answer.value for key, answer in self.answers}

    def sources_dict(self) -> dict[str, str]:
        return {key: str(answer.source) for key, answer in self.answers}

    def __repr__(self) -> str:
        return (
            f"ApplicationDraft(service_id={self.service_id!r}, card={self.card!r}, "
            f"outcome={self.outcome!r}, fields={len(self.answers)}, delivery={self.delivery!r})"
        )


@dataclass(frozen=True)
class SessionState:
    """One moment of a visit. Build the first one with `SessionState.initial(now)`."""

    idle: IdleTimer
    step: Step = Step.START
    elder_mode: bool = False
    language: str = "zh"
    service_id: str | None = None
    card: IdCard | None = None
    card_present: bool = False
    card_reading: bool = False
    """A card answered find and is being read (the card screen says 正在读取，请不要移动证件)."""
    pending_card: IdCard | None = None
    answers: Answers = ()
    answers_service: str | None = None
    visible_fields: tuple[str, ...] = ()
    findings: tuple[FindingView, ...] = ()
    show_fixes: bool = False
    fix_round: int = 0
    outcome: str | None = None
    materials: tuple[str, ...] = ()
    materials_confirmed: bool = False
    materials_promised: tuple[str, ...] = ()
    commitment: Commitment | None = None
    delivery: Delivery | None = None
    saved: SavedApplication | None = None
    print_attempts: int = 0
    notice: Notice | None = None
    staff_called: bool = False
    confirm_cancel: bool = False
    """取消办理 was tapped: the screen asks to confirm and reminds to take the ID card."""
    printed_late: bool = False
    """The slip printed after a printer fault was told (paper loaded): the screen may say it printed."""
    print_skipped: bool = False
    """不打印，继续 was tapped after a printer fault: nothing printed (yet); the rating screen says so."""
    page: str = "home"
    """The start screen's own page (home, catalog, intro, lookup) while the step is `start`."""
    material_pages: tuple[MaterialPage, ...] = ()
    capturing: str | None = None
    """The material being photographed (the `capture` screen over the materials step), else None."""

    @classmethod
    def initial(cls, now: float, elder_mode: bool = False, language: str = "zh") -> SessionState:
        """A fresh visit, in the hall's default elder mode and language."""
        return cls(idle=IdleTimer(last_activity=now), elder_mode=elder_mode, language=language)

    # --- what screens read -------------------------------------------------------------------

    @property
    def screen(self) -> str:
        """The screen to show: the step's name, `card_swap` while a different card waits, or `capture`
        while a material is being photographed."""
        if self.pending_card is not None:
            return CARD_SWAP_SCREEN
        if self.capturing is not None and self.step is Step.MATERIALS:
            return CAPTURE_SCREEN
        return self.step.value

    def answers_dict(self) -> dict[str, AnswerLike]:
        return dict(self.answers)

    def values(self) -> dict[str, object]:
        """Every answer's value (hidden fields included, so Back never loses one)."""
        return {key: answer.value for key, answer in self.answers}

    def answer(self, key: str) -> AnswerLike | None:
        return self.answers_dict().get(key)

    @property
    def captured(self) -> tuple[str, ...]:
        """The materials photographed, in the order the screen lists them."""
        names = {page.material for page in self.material_pages}
        return tuple(name for name in self.materials if name in names)

    @property
    def blocking_findings(self) -> tuple[FindingView, ...]:
        return tuple(finding for finding in self.findings if finding.severity == "block")

    def findings_for(self, field: str) -> tuple[FindingView, ...]:
        return tuple(finding for finding in self.findings if finding.field == field)

    @property
    def suggested_mail_address(self) -> str:
        """The address to prefill on the mail-delivery choice: the chosen one, else the card's."""
        if self.delivery is not None and self.delivery.method == "mail":
            return self.delivery.address
        return self.card.address if self.card is not None else ""

    @property
    def has_personal_data(self) -> bool:
        """True while anything about the applicant is held: card, answers, choices, numbers."""
        return any((
            self.card, self.pending_card, self.answers, self.commitment, self.delivery, self.saved,
            self.materials_promised, self.material_pages,
        ))

    def __repr__(self) -> str:
        return (
            f"SessionState(step={self.step.value!r}, service_id={self.service_id!r}, card={self.card!r}, "
            f"pending_card={self.pending_card!r}, answers={len(self.answers)}, outcome={self.outcome!r}, "
            f"notice={self.notice.code if self.notice else None!r}, elder_mode={self.elder_mode})"
        )

"""Fixtures for the applicant-session tests: two tiny, honest service items and a driver.

`MiniRules` is a real (if small) implementation of the session's `ApplicationRules` protocol over three
fields plus one `show_if` field: the applicant's name comes locked from the card, the phone number is
validated, and an agent (is_legal_rep = 否) sends the application to staff review and needs a letter
of authorisation. Its decisions follow from the values, as the real forms engine's do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from idreader import IdCard
from kiosk.session import (
    Answer,
    ApplicantSession,
    ApplicationSaved,
    CommitmentConfirmed,
    Confirmed,
    DeliveryChosen,
    Effect,
    FakeClock,
    IdleSettings,
    MaterialsConfirmed,
    Next,
    PrintFinished,
    ServiceChosen,
    Step,
    Tick,
)
from kiosk.session.events import AnswerChanged, CardRead, Event

TODAY = dt.date(2026, 11, 21)
PHONE_PATTERN = re.compile(r"1[3-9]\d{9}")


def resident(name: str, id_number: str, born: dt.date, valid_to: dt.date | None, **extra) -> IdCard:
    return IdCard(card_type="resident", name=name, sex="男", sex_code="1", birth_date=born,
                  id_number=id_number, valid_from=dt.date(2016, 1, 1), valid_to=valid_to,
                  address="重庆市铜梁区巴川街道龙城大道1号", **extra)


ZHANG = resident("张伟", "11010519491231002X", dt.date(1949, 12, 31), dt.date(2030, 1, 1),
                 photo_wlt=bytes(range(256)) * 4)
ZHANG_NEW_CARD = resident("张伟", "11010519491231002X", dt.date(1949, 12, 31), None)
LI = resident("李娜", "440524188001010014", dt.date(1880, 1, 1), None)
WANG_EXPIRED = resident("王芳", "500151199001010019", dt.date(1990, 1, 1), dt.date(2025, 1, 1))
MINOR = resident("赵小", "500151201201010011", dt.date(2012, 1, 1), dt.date(2030, 1, 1))


@dataclass(frozen=True)
class MiniFinding:
    rule: str
    field: str
    severity: str
    message: str


SHOPS = {"S1": "张伟理发店", "S2": "李娜书店"}
"""mini-filing's shared data: shop code -> registered shop name."""


def _values(answers: Mapping[str, Answer]) -> dict[str, object]:
    return {key: answer.value for key, answer in answers.items()}


class MiniRules:
    """mini-permit (instant, 告知承诺) or mini-filing (accept, no commitment, no materials, and a shop
    code whose registered name is filled in from shared data)."""

    def __init__(self, mode: str, requires_commitment: bool, materials: tuple[str, ...]) -> None:
        self.mode = mode
        self.requires_commitment = requires_commitment
        self._materials = materials
        self.checks = 0  # calls of check(): the session asks once per keystroke

    def prefill(self, card: IdCard, today: dt.date) -> Mapping[str, Answer]:
        return {
            "applicant_name": Answer(card.name, "card", locked=True),
            "is_legal_rep": Answer("是", "registry"),
        }

    def edit(self, card: IdCard, answers: Mapping[str, Answer], key: str, value: object,
             today: dt.date) -> Mapping[str, Answer]:
        edited = {**answers, key: Answer(value, "applicant")}
        if key == "shop_code":
            name = SHOPS.get(str(value))
            if name is not None:
                edited["shop_name"] = Answer(name, "registry", locked=True)
            else:
                edited.pop("shop_name", None)
        return edited

    def visible_fields(self, card: IdCard, answers: Mapping[str, Answer], today: dt.date) -> Sequence[str]:
        keys = ["applicant_name", "applicant_phone", "is_legal_rep"]
        if _values(answers).get("is_legal_rep") == "否":
            keys.append("agent_letter_no")
        if self.mode == "accept":
            keys += ["shop_code", "shop_name"]
        return keys

    def check(self, card: IdCard, answers: Mapping[str, Answer], today: dt.date) -> tuple[Sequence[str], list]:
        self.checks += 1
        return self.visible_fields(card, answers, today), self.review(card, answers, today)

    def card_findings(self, card: IdCard, today: dt.date) -> list[MiniFinding]:
        """What the card alone decides (its holder's age), told before the form."""
        if card.age_on(today) < 18:
            return [MiniFinding("ADULT", "applicant_name", "block", "申请人须年满18周岁，请由家长或监护人办理")]
        return []

    def review(self, card: IdCard, answers: Mapping[str, Answer], today: dt.date) -> list[MiniFinding]:
        values = _values(answers)
        findings = list(self.card_findings(card, today))
        phone = str(values.get("applicant_phone") or "")
        if not phone:
            findings.append(MiniFinding("PHONE", "applicant_phone", "block", "请填写联系电话"))
        elif not PHONE_PATTERN.fullmatch(phone):
            findings.append(MiniFinding("PHONE", "applicant_phone", "block", "手机号码应为1开头的11位数字"))
        if values.get("is_legal_rep") == "否":
            agent = "代理人申请，需工作人员核验委托书"
            findings.append(MiniFinding("AGENT", "is_legal_rep", "review", agent))
            if not values.get("agent_letter_no"):
                findings.append(MiniFinding("LETTER", "agent_letter_no", "block", "请填写授权委托书编号"))
        if values.get("shop_code") and "shop_name" not in values:
            findings.append(MiniFinding("SHOP", "shop_code", "block", "共享数据中没有这个店铺编号，请核对"))
        return findings

    def decide(self, findings: Sequence[MiniFinding]) -> str:
        severities = {finding.severity for finding in findings}
        if "block" in severities:
            return "blocked"
        if self.mode == "accept" or "review" in severities:
            return "accepted"
        return "approved"

    def materials(self, card: IdCard, answers: Mapping[str, Answer], today: dt.date) -> Sequence[str]:
        extra = ("授权委托书",) if _values(answers).get("is_legal_rep") == "否" else ()
        return self._materials + extra

    promised_unless_photographed = frozenset()


class MiniCatalog:
    def __init__(self) -> None:
        self._items = {
            "mini-permit": MiniRules("instant", True, ("平面图",)),
            "mini-filing": MiniRules("accept", False, ()),
        }

    def rules_for(self, service_id: str) -> MiniRules:
        return self._items[service_id]


class Driver:
    """Sends events to a session and moves its fake clock; walks to a step in the fewest events."""

    def __init__(self, session: ApplicantSession, clock: FakeClock) -> None:
        self.session = session
        self.clock = clock

    @property
    def state(self):
        return self.session.state

    def send(self, *events: Event) -> list[Effect]:
        effects: list[Effect] = []
        for event in events:
            effects.extend(self.session.handle(event))
        return effects

    def wait(self, seconds: float, tick_every: float = 1.0) -> list[Effect]:
        """Let `seconds` pass with a Tick every `tick_every` seconds (as the app's timer does)."""
        effects: list[Effect] = []
        remaining = seconds
        while remaining > 1e-9:
            step = min(tick_every, remaining)
            self.clock.advance(step)
            remaining -= step
            effects.extend(self.session.handle(Tick()))
        return effects

    @staticmethod
    def kinds(effects: Sequence[Effect]) -> list[str]:
        """The effect class names, in order: what a table row asserts."""
        return [type(effect).__name__ for effect in effects]

    def to(self, step: Step, card: IdCard = ZHANG, agent: bool = False) -> list[Effect]:
        """Walk a valid application to `step` (agent=True makes it an accepted one)."""
        effects = self.send(ServiceChosen("mini-permit"))
        if step is Step.CARD:
            return effects
        effects += self.send(CardRead(card))
        if step is Step.FORM:
            return effects
        effects += self.send(AnswerChanged("applicant_phone", "13800138000"))
        if agent:
            effects += self.send(AnswerChanged("is_legal_rep", "否"))
            effects += self.send(AnswerChanged("agent_letter_no", "WT-7"))
        effects += self.send(Next())
        if step is Step.PREREVIEW:
            return effects
        effects += self.send(Next())
        if step is Step.MATERIALS:
            return effects
        promised = ("平面图", "授权委托书") if agent else ("平面图",)
        effects += self.send(MaterialsConfirmed(promised), CommitmentConfirmed("agree"), Next())
        if step is Step.RESULT:
            return effects
        if agent:
            effects += self.send(DeliveryChosen("pickup"))
        effects += self.send(Confirmed())
        if step is Step.SAVING:
            return effects
        licence = None if agent else "铜卫公证字〔2026〕第000001号"
        effects += self.send(ApplicationSaved("app-1", "500151-20261121-K01-0001", licence))
        if step is Step.PRINTING:
            return effects
        effects += self.send(PrintFinished("job-1"))
        if step is Step.RATING:
            return effects
        raise ValueError(f"cannot walk to {step}")


SETTINGS = IdleSettings()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(today=TODAY)


@pytest.fixture
def kiosk(clock: FakeClock) -> Driver:
    return Driver(ApplicantSession(MiniCatalog(), clock, SETTINGS), clock)


@pytest.fixture
def make_kiosk(clock: FakeClock):
    """A driver over a session built with other idle settings."""

    def make(settings: IdleSettings) -> Driver:
        return Driver(ApplicantSession(MiniCatalog(), clock, settings), clock)

    return make


@pytest.fixture
def new_kiosk():
    """A factory of independent drivers, each with its own fake clock (for property tests)."""

    def make() -> Driver:
        own_clock = FakeClock(today=TODAY)
        return Driver(ApplicantSession(MiniCatalog(), own_clock, SETTINGS), own_clock)

    return make


@pytest.fixture
def cards() -> SimpleNamespace:
    return SimpleNamespace(zhang=ZHANG, zhang_new=ZHANG_NEW_CARD, li=LI, expired=WANG_EXPIRED, minor=MINOR)

"""The session checks what the injected rules return, and the fake clock behaves like a clock."""

from __future__ import annotations

import datetime as dt

import pytest

from idreader import IdCard
from kiosk.session import (
    Answer,
    ApplicantSession,
    CardRead,
    FakeClock,
    Next,
    RulesContractError,
    ServiceChosen,
    Step,
    SystemClock,
    view_dict,
)

CARD = IdCard(card_type="resident", name="钱七", sex="男", sex_code="1", birth_date=dt.date(1970, 3, 3),
              id_number="500151197003030011", valid_from=dt.date(2010, 1, 1), valid_to=None)


class OneFieldRules:
    """An item whose pre-review flags `size` with the given severity and decides by a fixed table."""

    requires_commitment = False

    def __init__(self, severity: str, outcomes: dict[str, str]) -> None:
        self.severity = severity
        self.outcomes = outcomes

    def prefill(self, card, today):
        return {"size": Answer(len(card.name), "card", locked=True)}

    def edit(self, card, answers, key, value, today):
        return {**answers, key: Answer(value)}

    def visible_fields(self, card, answers, today):
        return ["size"]

    def review(self, card, answers, today):
        return [_Finding("SIZE", "size", self.severity, f"size is {answers['size'].value}")]

    def check(self, card, answers, today):
        return self.visible_fields(card, answers, today), self.review(card, answers, today)

    def decide(self, findings):
        return self.outcomes[findings[0].severity]

    def materials(self, card, answers, today):
        return []

    promised_unless_photographed = frozenset()


class _Finding:
    def __init__(self, rule, field, severity, message):
        self.rule, self.field, self.severity, self.message = rule, field, severity, message


class Directory:
    def __init__(self, rules) -> None:
        self.rules = rules

    def rules_for(self, service_id):
        if service_id != "one":
            raise KeyError(service_id)
        return self.rules


def _session(rules) -> ApplicantSession:
    return ApplicantSession(Directory(rules), FakeClock(dt.date(2026, 11, 21)))


def test_an_outcome_outside_the_contract_is_refused():
    session = _session(OneFieldRules("warn", {"warn": "maybe"}))
    session.handle(ServiceChosen("one"))
    session.handle(CardRead(CARD))
    with pytest.raises(RulesContractError, match="maybe"):
        session.handle(Next())
    assert session.state.step is Step.FORM


def test_a_severity_outside_the_contract_is_refused():
    session = _session(OneFieldRules("fatal", {}))
    session.handle(ServiceChosen("one"))
    with pytest.raises(RulesContractError, match="fatal"):
        session.handle(CardRead(CARD))
    assert session.state.step is Step.CARD and session.state.card is None


def test_a_warning_changes_nothing_in_the_walk():
    session = _session(OneFieldRules("warn", {"warn": "approved"}))
    for event in (ServiceChosen("one"), CardRead(CARD), Next(), Next(), Next()):
        session.handle(event)
    assert (session.state.step, session.state.outcome) == (Step.RESULT, "approved")
    assert session.state.findings[0].message == "size is 2"


def test_fake_clock_moves_only_forward_and_turns_the_date():
    clock = FakeClock(dt.date(2026, 11, 21), start=50.0)
    clock.advance(86_399)
    assert (clock.monotonic(), clock.today()) == (86_449.0, dt.date(2026, 11, 21))
    clock.advance(1)
    assert clock.today() == dt.date(2026, 11, 22)
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_system_clock_is_monotonic():
    clock = SystemClock()
    first = clock.monotonic()
    assert clock.monotonic() >= first and isinstance(clock.today(), dt.date)


class ChoiceRules(OneFieldRules):
    """Offers the holder's two businesses as choices for an unanswered field (as forms' prefill does)."""

    def prefill(self, card, today):
        offered = (_Choice("91500151A", "甲店"), _Choice("91500151B", "乙店"))
        return {"size": _Offered(None, "applicant", False, offered)}


class _Offered:
    def __init__(self, value, source, locked, choices):
        self.value, self.source, self.locked, self.choices = value, source, locked, choices


class _Choice:
    def __init__(self, value, label):
        self.value, self.label = value, label


def test_any_answer_object_with_value_source_locked_is_accepted_and_choices_reach_the_view():
    session = _session(ChoiceRules("warn", {"warn": "approved"}))
    session.handle(ServiceChosen("one"))
    session.handle(CardRead(CARD))
    field = view_dict(session.state)["fields"][0]
    labels = [(choice["value"], choice["label"]) for choice in field["choices"]]
    assert labels == [("91500151A", "甲店"), ("91500151B", "乙店")]
    assert (field["value"], field["source"], field["locked"]) == (None, "applicant", False)


class BrokenPrefill(OneFieldRules):
    def prefill(self, card, today):
        return {"size": 2}


def test_prefill_must_return_answers():
    session = _session(BrokenPrefill("warn", {}))
    session.handle(ServiceChosen("one"))
    with pytest.raises(RulesContractError, match="prefill"):
        session.handle(CardRead(CARD))


class IdFieldRules(OneFieldRules):
    """Prefills the holder's ID number into a locked field, as the health permit does."""

    def prefill(self, card, today):
        return {"size": Answer(card.id_number, "card", locked=True)}


def test_the_view_masks_a_prefilled_id_number_but_the_draft_keeps_it():
    from kiosk.session import CommitmentConfirmed, Confirmed, SaveApplication

    session = _session(IdFieldRules("warn", {"warn": "approved"}))
    for event in (ServiceChosen("one"), CardRead(CARD), Next(), Next(), CommitmentConfirmed("agree"), Next()):
        session.handle(event)
    field = view_dict(session.state)["fields"][0]
    assert field["value"] == "5001**********0011"
    draft = next(e for e in session.handle(Confirmed()) if isinstance(e, SaveApplication)).draft
    assert draft.values_dict() == {"size": CARD.id_number}, "storage gets the real number"

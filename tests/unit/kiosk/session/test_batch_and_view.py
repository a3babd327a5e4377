"""`AnswersChanged` (how `kiosk apply` fills a form from a file) and the JSON-ready view for QML."""

from __future__ import annotations

import json

import pytest

from kiosk.session import (
    AnswersChanged,
    CardFault,
    LockedFieldError,
    Next,
    Step,
    UnknownFieldError,
    view_dict,
)


def test_answers_in_any_order_including_a_show_if_field_before_its_condition(kiosk):
    kiosk.to(Step.FORM)
    values = (("agent_letter_no", "WT-1"), ("applicant_name", "张伟"), ("is_legal_rep", "否"),
              ("applicant_phone", "13800138000"))
    kiosk.send(AnswersChanged(values))
    state = kiosk.state
    assert state.values() == {"applicant_name": "张伟", "is_legal_rep": "否", "agent_letter_no": "WT-1",
                              "applicant_phone": "13800138000"}
    assert state.answer("applicant_name").source == "card", "an equal locked value is left as it was"
    kiosk.send(Next())
    assert (kiosk.state.step, kiosk.state.outcome) == (Step.PREREVIEW, "accepted")


def test_a_batch_is_reviewed_once_and_ends_as_the_same_answers_one_at_a_time(kiosk, clock):
    """Each answer of the batch still meets the fields shown after the one before (the agent's letter
    number only once 否 is set); the findings are worked out once, for the answers as they end."""
    from kiosk.session import AnswerChanged, ApplicantSession

    values = (("agent_letter_no", "WT-1"), ("is_legal_rep", "否"), ("applicant_phone", "1380013800"))
    kiosk.to(Step.FORM)
    rules = kiosk.session._services.rules_for("mini-permit")
    before = rules.checks
    kiosk.send(AnswersChanged(values))
    assert rules.checks == before + 1  # one review (it was one per answer: 3)
    batch = kiosk.state

    one_by_one = type(kiosk)(ApplicantSession(type(kiosk.session._services)(), clock, kiosk.session._settings),
                             clock)
    one_by_one.to(Step.FORM)
    one_by_one.send(AnswerChanged("is_legal_rep", "否"), AnswerChanged("agent_letter_no", "WT-1"),
                    AnswerChanged("applicant_phone", "1380013800"))
    single = one_by_one.state
    assert (batch.values(), batch.visible_fields, batch.findings, batch.outcome) == \
        (single.values(), single.visible_fields, single.findings, single.outcome)
    assert [f.rule for f in batch.findings] == ["PHONE", "AGENT"]  # the short number, the agent


def test_batch_refuses_changed_locked_values_and_unknown_fields(kiosk):
    kiosk.to(Step.FORM)
    before = kiosk.state
    with pytest.raises(LockedFieldError):
        kiosk.send(AnswersChanged((("applicant_name", "李四"),)))
    with pytest.raises(UnknownFieldError, match="agent_letter_no, colour"):
        kiosk.send(AnswersChanged((("colour", "红"), ("agent_letter_no", "WT-1"))))
    assert kiosk.state == before


def test_view_is_json_and_masks_the_card(kiosk, cards):
    kiosk.to(Step.FORM)
    view = view_dict(kiosk.state)
    text = json.dumps(view, ensure_ascii=False)
    assert cards.zhang.id_number not in text
    assert view["card"]["id_number"] == "1101**********002X"
    assert (view["screen"], view["stage"], view["can_go_back"]) == ("form", 2, True)
    phone = next(field for field in view["fields"] if field["key"] == "applicant_phone")
    assert phone["value"] is None and phone["findings"][0]["rule"] == "PHONE"
    name = next(field for field in view["fields"] if field["key"] == "applicant_name")
    assert (name["value"], name["source"], name["locked"]) == ("张伟", "card", True)


def test_view_of_a_print_failure_carries_the_number_and_the_notice(kiosk):
    from kiosk.session import PrintFailed

    kiosk.to(Step.PRINTING)
    kiosk.send(PrintFailed("cover_open"))
    view = view_dict(kiosk.state)
    assert view["number"] == view["licence_no"] == "铜卫公证字〔2026〕第000001号"
    assert view["notice"]["code"] == "print_cover_open" and view["can_go_back"] is False
    assert view["print_waits"] is True, "a cover left open: the slip prints by itself once it is closed"
    json.dumps(view)


@pytest.mark.parametrize("kind", ["offline", "timeout", "error"])
def test_a_fault_the_printer_does_not_wait_out_offers_to_print_again(kiosk, kind):
    from kiosk.session import PrintFailed

    kiosk.to(Step.PRINTING)
    kiosk.send(PrintFailed(kind))
    view = view_dict(kiosk.state)
    assert view["step"] == "print_failed" and view["print_waits"] is False


def test_view_of_a_fault_on_the_start_of_a_visit(kiosk):
    kiosk.to(Step.CARD)
    kiosk.send(CardFault("no_response"))
    view = view_dict(kiosk.state)
    assert view["card"] is None and view["fields"] == [] and view["notice"]["code"] == "no_response"

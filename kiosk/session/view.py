"""A JSON-ready view of a `SessionState` for the QML bridge and for `kiosk apply --json` debugging.

`view_dict(state)` returns plain dicts, lists, strings, numbers and booleans only. The ID number is
masked wherever it appears (the card summary, and any answer whose value is the card's number, such as
a prefilled 身份证件号码 field: a kiosk screen is seen by the queue behind), the card photo and the
signature image are left out. Other answer values are included (the screen shows them), so the result
is for the screen, not for a log. An answer's `choices` (objects with
`value` and `label`, as forms offers a person's businesses) are passed through when present. `page` and
`buttons` (navigation.py) say which page shows and which footer buttons it offers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from idreader import mask_id_number
from kiosk.session import messages, navigation
from kiosk.session.state import STAGE_NAMES, FindingView, Notice, SessionState


def view_dict(state: SessionState) -> dict[str, Any]:
    card = state.card
    answers = state.answers_dict()
    id_number = card.id_number if card is not None else None

    def shown(value: object) -> object:
        plain = _plain(value)
        return mask_id_number(plain) if id_number and plain == id_number else plain

    return {
        "screen": state.screen,
        "page": navigation.page(state),
        "buttons": navigation.buttons(state),
        "step": state.step.value,
        "stage": state.step.stage,
        "stages": list(STAGE_NAMES),
        "can_go_back": state.step.before_submission and state.step.value != "start",
        "elder_mode": state.elder_mode,
        "language": state.language,
        "service_id": state.service_id,
        "card": None if card is None else {
            "name": card.display_name,
            "id_number": card.masked_id_number,
            "card_type": card.card_type,
            "valid_to": _iso(card.valid_to),
        },
        "card_present": state.card_present,
        "card_reading": state.card_reading,
        "pending_card_name": state.pending_card.display_name if state.pending_card else None,
        "fields": [
            {
                "key": key,
                "value": shown(answers[key].value) if key in answers else None,
                "source": str(answers[key].source) if key in answers else None,
                "locked": bool(answers[key].locked) if key in answers else False,
                "choices": [
                    {"value": _plain(choice.value), "label": str(choice.label)}
                    for choice in getattr(answers.get(key), "choices", ())
                ],
                "findings": [_finding(finding) for finding in state.findings_for(key)],
            }
            for key in state.visible_fields
        ],
        "findings": [_finding(finding) for finding in state.findings],
        "show_fixes": state.show_fixes,
        "outcome": state.outcome,
        "materials": list(state.materials),
        "materials_confirmed": state.materials_confirmed,
        "materials_promised": list(state.materials_promised),
        "materials_captured": list(state.captured),
        "capturing": state.capturing,
        "commitment": state.commitment.method if state.commitment else None,
        "delivery": None if state.delivery is None else {
            "method": state.delivery.method, "address": state.delivery.address,
        },
        "suggested_mail_address": state.suggested_mail_address,
        "receipt_no": state.saved.receipt_no if state.saved else None,
        "licence_no": state.saved.licence_no if state.saved else None,
        "number": state.saved.number if state.saved else None,
        "print_attempts": state.print_attempts,
        "notice": _notice(state.notice),
        "staff_called": state.staff_called,
        "print_waits": state.step.value == "print_failed" and messages.waits_for_printer(state.notice),
        "confirm_cancel": state.confirm_cancel,
        "printed_late": state.printed_late,
        "print_skipped": state.print_skipped,
        "counting_down": state.idle.counting_down,
    }


def _finding(finding: FindingView) -> dict[str, str]:
    return {"rule": finding.rule, "field": finding.field, "severity": finding.severity,
            "message": finding.message}


def _notice(notice: Notice | None) -> dict[str, str] | None:
    if notice is None:
        return None
    return {"code": notice.code, "what_happened": notice.what_happened,
            "what_it_means": notice.what_it_means, "what_to_do": notice.what_to_do}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)

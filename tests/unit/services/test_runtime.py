"""Reader events become session events (docs/session.md's mapping)."""

from __future__ import annotations

import pytest

from idreader import demo_cards
from idreader.reader import FAULT_MESSAGES, CardRead, CardRemoved, ReaderReady, make_fault
from kiosk.services.runtime import READER_FAULT_KINDS, reader_event_to_session
from kiosk.session import CardFault, CardFaultKind
from kiosk.session import CardRead as SessionCardRead
from kiosk.session import CardRemoved as SessionCardRemoved


def test_card_read_and_removed():
    card = demo_cards.get("adult")
    assert reader_event_to_session(CardRead(card, 0.1)) == SessionCardRead(card)
    assert reader_event_to_session(CardRemoved()) == SessionCardRemoved()
    assert reader_event_to_session(ReaderReady("sim://", "x")) is None


@pytest.mark.parametrize(("kind", "expected"), [
    ("no_response", CardFaultKind.NO_RESPONSE), ("bad_frame", CardFaultKind.READ_FAILED),
    ("read_interrupted", CardFaultKind.CARD_LIFTED), ("card_data", CardFaultKind.UNREADABLE_CARD),
    ("port_lost", CardFaultKind.READER_OFFLINE), ("sam_failure", CardFaultKind.READER_OFFLINE),
    ("card_lifted", CardFaultKind.CARD_LIFTED), ("read_failed", CardFaultKind.READ_FAILED),
])
def test_faults(kind, expected):
    event = reader_event_to_session(make_fault(kind, "detail"))
    assert event == CardFault(expected, "detail")


def test_every_driver_fault_kind_is_mapped():
    assert set(FAULT_MESSAGES) <= set(READER_FAULT_KINDS)

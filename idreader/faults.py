"""The reader's fault kinds, defined once: what `ReaderFault.kind` says went wrong.

A StrEnum, so a kind compares equal to its word in logs and in the simulator's control answers. The
driver (idreader.reader) emits them with their message for the applicant (FAULT_MESSAGES); the kiosk
maps each to the session's CardFaultKind in one table (the touchscreen's reader runtime).
"""

from __future__ import annotations

from enum import StrEnum


class ReaderFaultKind(StrEnum):
    PORT_UNAVAILABLE = "port_unavailable"  # the port cannot be opened (not plugged in, wrong name)
    PORT_LOST = "port_lost"  # the port went away while open
    NO_RESPONSE = "no_response"  # the reader did not answer
    BAD_FRAME = "bad_frame"  # corrupted replies outside a card read, twice in a row
    READ_INTERRUPTED = "read_interrupted"  # the reader reported a failed read or select
    CARD_LIFTED = "card_lifted"  # a spoilt read, and the card was gone when re-selected
    READ_FAILED = "read_failed"  # the card stayed, but the retried reads failed too
    CARD_REJECTED = "card_rejected"  # not a card the SAM accepts
    CARD_DATA = "card_data"  # the card's data cannot be parsed
    SAM_FAILURE = "sam_failure"  # the security module failed its self-test or is not authorised
    READER_ERROR = "reader_error"  # any other status the reader returned

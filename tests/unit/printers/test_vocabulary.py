"""One word for each thing on the print path and the reader: job states, printer conditions, why a job
waits and reader fault kinds are enums defined once, and every table keyed by them covers them all."""

from __future__ import annotations

import pytest

from idreader.faults import ReaderFaultKind
from idreader.reader import FAULT_MESSAGES, make_fault
from printers.queue_schema import STATES
from printers.status import WORDS_EN, WORDS_ZH, parse_status, unknown_status
from printers.vocabulary import JobState, JobWait, PrinterCondition


@pytest.mark.parametrize(("printer", "cause", "paper", "condition"), [
    (0x12, 0x12, 0x12, PrinterCondition.READY),
    (0x12, 0x12, 0x1E, PrinterCondition.PAPER_NEAR_END),
    (0x12, 0x12, 0x72, PrinterCondition.PAPER_OUT),
    (0x1A, 0x16, 0x12, PrinterCondition.COVER_OPEN),
    (0x1A, 0x52, 0x12, PrinterCondition.ERROR),
    (0x1A, 0x12, 0x12, PrinterCondition.OFFLINE),
])
def test_a_status_reply_names_one_printer_condition(printer, cause, paper, condition):
    status = parse_status(printer, cause, paper)
    assert status.code is condition
    assert status.describe_zh() == WORDS_ZH[condition]
    assert status.describe_en().startswith(WORDS_EN[condition])


def test_a_silent_printer_is_no_answer_in_both_languages():
    status = unknown_status("timed out")
    assert status.code is PrinterCondition.NO_ANSWER
    assert status.describe_zh() == WORDS_ZH[PrinterCondition.NO_ANSWER]
    assert status.describe_en() == "printer status unknown: timed out"


def test_every_condition_has_its_chinese_words_and_every_stored_state_is_a_job_state():
    assert set(WORDS_ZH) == set(PrinterCondition)
    assert set(WORDS_EN) == set(PrinterCondition) - {PrinterCondition.NO_ANSWER}  # says what it heard
    assert tuple(JobState) == tuple(JobState(state) for state in STATES)


def test_a_job_waits_on_a_printer_condition_or_a_retry():
    assert {wait.value for wait in JobWait} - {"retry"} <= {condition.value for condition in PrinterCondition}


def test_every_reader_fault_kind_has_its_message_and_nothing_else_does():
    assert set(FAULT_MESSAGES) == set(ReaderFaultKind)
    fault = make_fault("card_lifted", "lifted")
    assert fault.kind is ReaderFaultKind.CARD_LIFTED and fault.recoverable
    with pytest.raises(ValueError):
        make_fault("paper_out", "not a reader fault")

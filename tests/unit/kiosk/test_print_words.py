"""The kiosk's tables keyed by the print path's words cover them: `kiosk doctor` says what to do about
every printer condition that stops printing, and the effect runner turns every printer wait into the
session's PrintFaultKind (the one map between the two vocabularies)."""

from __future__ import annotations

from kiosk.commands.doctor import PRINTER_TODO
from kiosk.effect_runner import WAITING_FAULTS
from kiosk.session import PrintFaultKind
from printers.vocabulary import JobWait, PrinterCondition


def test_doctor_has_advice_for_every_condition_that_stops_printing():
    stopping = set(PrinterCondition) - {PrinterCondition.READY, PrinterCondition.PAPER_NEAR_END}
    assert set(PRINTER_TODO) == stopping


def test_every_printer_wait_is_told_to_the_applicant():
    assert WAITING_FAULTS == {JobWait.PAPER_OUT: PrintFaultKind.PAPER_OUT,
                              JobWait.COVER_OPEN: PrintFaultKind.COVER_OPEN}
    assert set(WAITING_FAULTS) == set(JobWait) - {JobWait.RETRY}  # a retry due is not a fault: it waits on

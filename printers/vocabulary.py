"""The print path's words, defined once: job states, printer conditions and why a queued job waits.

Each is a StrEnum whose value is the word stored in the database, logged, shown by `kiosk jobs` and
`kiosk doctor` and carried in JobEvent, so a member compares equal to its stored text:

    JobState        print_jobs.state (printers.queue_schema says what each state means)
    PrinterCondition  PrinterStatus.code: the most important thing a printer said about itself
    JobWait         JobEvent.waiting: why a queued job is not printing right now

The kiosk maps these to the applicant's words (kiosk.session.PrintFaultKind) in one place,
kiosk.effect_runner; the emulator's control commands (printers.emulator) set the same conditions.
"""

from __future__ import annotations

from enum import StrEnum


class JobState(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    HELD = "held"
    UNCERTAIN = "uncertain"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"  # an operator cancelled it before it printed (PrintQueue.cancel)

    @property
    def is_final(self) -> bool:
        """Done, failed, uncertain or cancelled: the worker will not touch it again by itself."""
        return self in FINAL_STATES


FINAL_STATES: tuple[JobState, ...] = (JobState.DONE, JobState.FAILED, JobState.UNCERTAIN, JobState.CANCELLED)


class PrinterCondition(StrEnum):
    """PrinterStatus.code, most important first."""

    NO_ANSWER = "no-answer"
    COVER_OPEN = "cover-open"
    PAPER_OUT = "paper-out"
    ERROR = "error"
    OFFLINE = "offline"
    PAPER_NEAR_END = "paper-near-end"
    READY = "ready"


class JobWait(StrEnum):
    """Why a queued job waits: the printer is out of paper, its cover is open, or a retry is due."""

    PAPER_OUT = "paper-out"
    COVER_OPEN = "cover-open"
    RETRY = "retry"

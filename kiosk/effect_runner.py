"""Runs the session's device effects over a built `Kiosk`; the touchscreen and `kiosk apply` share it.

    runner = EffectRunner(kiosk, print_timeout=60)
    events = runner.execute(effect)          # on a worker thread: it blocks while saving and printing

- `SaveApplication` -> `Kiosk.save` (numbers, row, QR and print job in one commit) -> ApplicationSaved
  with the print job's id, or SaveFailed with the reason (the session keeps every answer and says so);
- `SubmitPrint` carries that job id: the runner wakes the job (or its latest copy) and waits for it
  (PrintQueue.wait_until): done -> PrintFinished; waiting for paper or a closed cover ->
  PrintFailed(paper_out | cover_open) at once (the job stays queued and prints exactly once when the
  printer is ready); failed or uncertain -> PrintFailed(offline); still not printed when `print_timeout`
  runs out -> PrintFailed(timeout). A retry waits for the same job, or reprints a job that failed;
- `WatchPrint` (after paper-out or an open cover was told) waits until the queued job printed ->
  PrintFinished (the screen moves on by itself), or nothing when it failed or the visit ended (held);
- `RecordRating` and `CallStaff` go to the audit log and, in the same transaction, to the hall's outbox
  (kiosk.sync); a staff call wakes the uploader at once. Other effects are the screen's business.
- `end_session()` (the touchscreen calls it at WipePersonalData): the visit is over; its jobs that have
  not printed are held for a technician (kiosk.job_hold), never printed into the next visit; and the
  runner lets go of everything it kept of that visit (the decided application with the applicant's
  name and answers, the last job's record), so nothing personal outlives the session wipe.
- `close()` stops listening to the kiosk's print queue (the kiosk holds the listener weakly anyway: a
  runner dropped by its caller is freed with what it kept; tests/integration/kiosk/test_session_memory.py).
Qt-free: callers hand the returned events back to the session on their own thread.
"""

from __future__ import annotations

import logging
import threading

from kiosk.app import Kiosk
from kiosk.issuing import Issued, PaperworkReady
from kiosk.job_hold import VISIT_ENDED, hold_for_technician
from kiosk.session import (
    ApplicationSaved,
    CallStaff,
    Effect,
    Event,
    PrintFailed,
    PrintFaultKind,
    PrintFinished,
    RecordRating,
    SaveApplication,
    SaveFailed,
    SubmitPrint,
    WatchPrint,
)
from kiosk.store import StoreError
from kiosk.sync.bodies import iso, rating_body, staff_call_body
from kiosk.sync.outbox import add_event, new_event_id
from printers.errors import PrinterError, QueueError
from printers.queue import JobEvent, JobRecord
from printers.vocabulary import JobState, JobWait

log = logging.getLogger(__name__)

PRINT_TIMEOUT_SECONDS = 60.0
WATCH_TIMEOUT_SECONDS = 900.0
"""How long a slip that waits for paper is watched for the screen (the visit ends sooner: then it is held)."""
"""How long one print waits for its job before it is reported as a timeout."""
#: What the applicant is told while a queued job waits on the printer (the one map from the print
#: queue's words to the session's; a retry due is not a fault: the runner keeps waiting).
WAITING_FAULTS: dict[JobWait, PrintFaultKind] = {
    JobWait.PAPER_OUT: PrintFaultKind.PAPER_OUT,
    JobWait.COVER_OPEN: PrintFaultKind.COVER_OPEN,
}
_WAITING_DETAIL = {JobWait.PAPER_OUT: "paper out", JobWait.COVER_OPEN: "cover open"}


class EffectRunner:
    """Save and print effects of one kiosk, with what it saved kept by application id."""

    def __init__(self, kiosk: Kiosk, *, print_timeout: float = PRINT_TIMEOUT_SECONDS,
                 printer: str | None = None, on_paperwork: PaperworkReady | None = None) -> None:
        """`on_paperwork` is passed to each save (kiosk.issuing.record_decision: `kiosk apply`'s PDF child)."""
        self.kiosk = kiosk
        self._save_options = {"on_paperwork": on_paperwork} if on_paperwork is not None else {}
        self.print_timeout = print_timeout
        self.printer = printer
        self._lock = threading.Lock()
        self._issued: dict[str, Issued] = {}
        self._visit_jobs: list[int] = []  # the print jobs this visit made (held at its end if unprinted)
        self._waiting: dict[int, JobWait] = {}  # job id -> why it waits (paper out, cover open, retry)
        self.last_job: JobRecord | None = None
        self.last_call_id: str | None = None  # this visit's latest staff call (the screen shows its ack)
        self.service_id: str | None = None  # the item of the visit, for the staff call's event
        kiosk.add_print_listener(self._job_event)

    def issued(self, application_id: str) -> Issued | None:
        with self._lock:
            return self._issued.get(application_id)

    def execute(self, effect: Effect) -> list[Event]:
        if isinstance(effect, SaveApplication):
            return [self._save(effect)]
        if isinstance(effect, SubmitPrint):
            return [self._print(effect)]
        if isinstance(effect, WatchPrint):
            if effect.job_id is None:
                return []
            printed = self.watch_job(self.kiosk.queue.current(effect.job_id).id)
            return [printed] if printed is not None else []
        store = self.kiosk.store
        if isinstance(effect, RecordRating):
            from kiosk.terminal_stats import record_rating  # only ratings need it: not on `kiosk apply`'s path

            detail = {"service": effect.service_id, "stars": effect.stars, "reason": effect.reason}
            number = self._number(effect.application_id)
            with store.transaction():  # the audit row and the hall's event commit together
                store.append_audit("rating", effect.application_id or "none", detail)
                add_event(store, "rating", rating_body(number=number, service=effect.service_id, stars=effect.stars,
                                                       reason=effect.reason), at=iso(self.kiosk.now()))
                record_rating(store, service=effect.service_id, stars=effect.stars,
                              application_id=_int_or_none(effect.application_id))
            self.kiosk.sync_wake()
        elif isinstance(effect, CallStaff):
            log.warning("staff called from the %s screen (number %s)", effect.screen, effect.number or "-")
            call_id = new_event_id()
            with store.transaction():
                store.append_audit("staff.called", effect.number or effect.screen,
                                   {"screen": effect.screen, "call_id": call_id})
                add_event(store, "staff_call", staff_call_body(
                    call_id=call_id, screen=effect.screen, service=self.service_id, number=effect.number,
                    location=self.kiosk.location), at=iso(self.kiosk.now()), event_id=call_id)
            with self._lock:
                self.last_call_id = call_id
            self.kiosk.sync_wake(call_id=call_id)  # sent at once, not with the next batch
        return []

    def _number(self, application_id: str | None) -> str | None:
        """The number of an application saved in this visit (the rating names it to the hall)."""
        issued = self.issued(application_id) if application_id else None
        return issued.issue.number if issued is not None else None

    def _save(self, effect: SaveApplication) -> Event:
        try:
            issued = self.kiosk.save(effect.draft, printer=self.printer, **self._save_options)
        except (StoreError, PrinterError, OSError) as exc:  # nothing was committed: the session keeps the answers
            log.error("saving the application failed: %s", exc)
            return SaveFailed(str(exc))
        app_id = str(issued.application_id)
        with self._lock:
            self._issued[app_id] = issued
            self._visit_jobs.append(issued.print_job_id)
        return ApplicationSaved(app_id, issued.issue.receipt_no, issued.issue.licence_no, issued.print_job_id)

    def _print(self, effect: SubmitPrint) -> Event:
        if effect.job_id is None:
            return PrintFailed(PrintFaultKind.ERROR, f"no print job for application {effect.application_id}")
        queue = self.kiosk.queue
        try:
            job = queue.current(effect.job_id)  # the job, or the copy an earlier retry made of it
        except QueueError as exc:
            return PrintFailed(PrintFaultKind.ERROR, str(exc))
        job_id = job.id
        if job.state == JobState.DONE:  # it printed once the printer was ready: never a second copy
            self.last_job = job
            return PrintFinished(str(job_id))
        if job.state in (JobState.FAILED, JobState.UNCERTAIN):
            copy_of, job_id = job_id, queue.reprint(job_id)
            self.kiosk.store.append_audit("print.reprinted", job.reference or f"job:{copy_of}",
                                          {"job": job_id, "copy_of": copy_of, "by": "session"},
                                          records=[f"print_job:{job_id}"])
            with self._lock:
                self._visit_jobs.append(job_id)
        with self._lock:  # asked again: judge what the printer says now (its worker says it again on waking)
            self._waiting.pop(job_id, None)
        self.kiosk.start_printing(job_id)
        return self._wait_for(job_id)

    def end_session(self, reason: str = VISIT_ENDED) -> list[int]:
        """The applicant's visit is over: forget what it saved, and hold each of its print jobs that has
        not printed for a technician. Returns the ids of the jobs held."""
        with self._lock:
            jobs = list(self._visit_jobs)
            self._visit_jobs.clear()
            self._issued.clear()
            self.last_call_id = None
            self.service_id = None
            self._waiting.clear()
            self.last_job = None
        return hold_for_technician(self.kiosk, jobs, reason)

    def close(self) -> None:
        """Stop listening to the kiosk's print jobs and forget the visit (without holding its jobs)."""
        self.kiosk.remove_print_listener(self._job_event)
        with self._lock:
            self._visit_jobs.clear()
            self._issued.clear()
            self._waiting.clear()
            self.last_job = None

    def wait_for_job(self, job_id: int) -> PrintFinished | PrintFailed:
        """Wake a queued job's printer and wait for it as SubmitPrint does (blocking: a worker thread)."""
        self.kiosk.start_printing(job_id)
        return self._wait_for(job_id)  # a new job: paper-out may already have been reported

    def watch_job(self, job_id: int, timeout: float = WATCH_TIMEOUT_SECONDS) -> PrintFinished | None:
        """Wait (blocking: a worker thread) while a job waits for paper or a closed cover; PrintFinished
        once it has printed, None when it failed, was held (the visit ended) or `timeout` ran out."""
        ended = (JobState.DONE, JobState.FAILED, JobState.UNCERTAIN, JobState.HELD, JobState.CANCELLED)
        job = self.kiosk.queue.wait_until(job_id, timeout, lambda job: job.state in ended)
        if job.state == JobState.DONE:
            self.last_job = job
            return PrintFinished(str(job_id))
        return None

    def job_outcome(self, job_id: int) -> PrintFinished | PrintFailed | None:
        """How a job stands now, without waiting (None: still on its way to the printer)."""
        job = self.kiosk.queue.get(job_id)
        self.last_job = job
        return self._judge(job)

    def _judge(self, job: JobRecord) -> PrintFinished | PrintFailed | None:
        job_id = job.id
        if job.state == JobState.DONE:
            return PrintFinished(str(job_id))
        if job.state in (JobState.FAILED, JobState.UNCERTAIN, JobState.HELD, JobState.CANCELLED):
            return PrintFailed(PrintFaultKind.OFFLINE, job.last_error, str(job_id))
        with self._lock:
            waiting = self._waiting.get(job_id)
        if waiting in WAITING_FAULTS:
            return PrintFailed(WAITING_FAULTS[waiting], _WAITING_DETAIL[waiting], str(job_id))
        return None

    def _wait_for(self, job_id: int) -> Event:
        job = self.kiosk.queue.wait_until(job_id, self.print_timeout, lambda job: self._judge(job) is not None)
        self.last_job = job
        judged = self._judge(job)
        if judged is not None:
            return judged
        return PrintFailed(PrintFaultKind.TIMEOUT, f"not printed within {self.print_timeout:g} s", str(job_id))

    def _job_event(self, event: JobEvent) -> None:  # queue worker thread
        with self._lock:
            if event.waiting:
                self._waiting[event.job.id] = event.waiting
            else:
                self._waiting.pop(event.job.id, None)


def _int_or_none(value: object) -> int | None:
    """An application id as the session holds it ("7"), as the ratings table keeps it (7)."""
    text = str(value) if value is not None else ""
    return int(text) if text.isdigit() else None

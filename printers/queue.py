"""The persistent print queue: jobs stored in SQLite (table print_jobs, printers.queue_schema) before
they are sent, one worker thread per printer, retries with backoff, and exactly-once printing across
a process death.

    queue = PrintQueue(db, on_event=callback)        # db: Database (see open_database)
    queue.start()                                    # jobs left in `printing` become `uncertain`
    job_id = queue.submit("tcp://10.0.0.9:9100", escpos_bytes, kind="licence", reference="L-0001")
    queue.wait(job_id, timeout=30)                   # or react to on_event(JobEvent) from the worker
    queue.stop()

States: queued -> printing -> done | failed (last_error says why) | uncertain, and held (below). What
happens on a fault depends on how far the job got (printers.transports.delivery):
    before  (nothing sent) paper out / cover open: the job stays queued and the worker re-checks the
            status every ``paper_poll_interval`` s (or at once on retry_now()) and prints it ONCE when
            the printer is ready; other faults: retry with exponential backoff, failed after
            ``max_attempts``.
    during  (the printer cannot have the whole job): retry with backoff, failed after max_attempts.
    after   (every byte sent, printer did not confirm): `uncertain`; an operator decides.
The job is marked `printing` (committed) before its first byte goes out, so a job found in `printing`
at start() was interrupted by a process death: it becomes `uncertain` and is never resent by itself.
An operator resolves an uncertain job with reprint(id) (a new job, copy_of = id; the original is
closed as failed) or mark_done(id).

A job may belong to something that ends (the kiosk ties an applicant's slip to the applicant's visit).
hold(id, reason) takes a job that has not printed out of the worker's reach (`held`): a queued one at
once, one being sent right now as soon as the worker would put it back in the queue (paper out, a retry).
A held job is never sent by itself — not when the paper comes back, not at start — until an operator
calls release(id) (back to queued) or reprint(id).

cancel(id, reason) is an operator's "do not print this": a queued, held, failed or uncertain job becomes
`cancelled` (final; never sent, not asked about again). A job being sent right now cannot be cancelled.

Only this module (with printers.queue_rows, the same writes on a caller's connection) writes print_jobs,
and its workers are the only loop that waits on a printer; callers wait for a job with wait()/wait_until().

Thread safety: every database access holds one lock; the sqlite3 connection must be opened with
check_same_thread=False (open_database does that). Event callbacks run on worker threads: a UI must
hand them to its own thread.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from printers import queue_rows
from printers.errors import (
    CoverOpen,
    DeliveryFailed,
    PaperOut,
    PrinterError,
    PrinterUrlError,
    QueueError,
    StatusUnsupported,
)
from printers.queue_schema import TABLE, ensure_schema
from printers.sqlite_lib import Database, database  # sqlite-utils only for a new schema (issue 17)
from printers.status import PrinterStatus
from printers.transports import Transport, TransportTimeouts, deliver, open_transport, probe_status
from printers.vocabulary import FINAL_STATES, JobState, JobWait

log = logging.getLogger(__name__)

INTERRUPTED_REASON = ("the kiosk stopped while this job was printing; check the paper, then reprint or "
                      "mark it done")


@dataclass(frozen=True)
class QueueSettings:
    """Retry policy and timeouts, all in seconds."""

    max_attempts: int = 5
    backoff_initial: float = 2.0
    backoff_factor: float = 2.0
    backoff_max: float = 60.0
    paper_poll_interval: float = 3.0
    recheck_interval: float = 0.05  # a waiter re-reads its job this often (another process may print it)
    stop_timeout: float = 5.0
    timeouts: TransportTimeouts = field(default_factory=TransportTimeouts)

    def backoff(self, attempts: int) -> float:
        return min(self.backoff_initial * self.backoff_factor ** max(attempts - 1, 0), self.backoff_max)


@dataclass(frozen=True)
class JobRecord:
    """A print job as stored (without its payload; see PrintQueue.payload)."""

    id: int
    printer: str
    reference: str
    kind: str
    state: JobState
    attempts: int
    last_error: str
    created_at: str
    updated_at: str
    finished_at: str | None
    copy_of: int | None
    size: int

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", JobState(self.state))


@dataclass(frozen=True)
class JobEvent:
    """A job changed (state, waiting reason or printer status). ``waiting`` says why a queued job
    waits (paper out, cover open, a retry due); ``status`` is the last printer status seen."""

    job: JobRecord
    waiting: JobWait | None = None
    status: PrinterStatus | None = None


def open_database(path: str | Path) -> Database:
    """A queue database on a file (WAL mode, usable from worker threads) with the schema in place."""
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10.0)
    db = database(conn)
    db.enable_wal()
    ensure_schema(db)
    return db


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PrintQueue:
    """Persistent jobs and one worker thread per printer URL. Nothing here blocks the caller."""

    def __init__(self, db: Database, *,
                 transport_factory: Callable[[str], Transport] | None = None,
                 settings: QueueSettings | None = None,
                 on_event: Callable[[JobEvent], None] | None = None,
                 now: Callable[[], datetime] = _utc_now) -> None:
        self.settings = settings or QueueSettings()
        self._db = db
        self._transport_factory = transport_factory or self._default_transport
        self._on_event = on_event
        self._now = now
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._workers: dict[str, _Worker] = {}
        self._hold_requests: dict[int, str] = {}  # job id -> reason, for jobs held while being sent
        self._running = False
        self._stopped = False  # stop() ran: no job of this process moves any more, so nobody waits for one
        with self._lock:
            ensure_schema(db)

    def _default_transport(self, url: str) -> Transport:
        return open_transport(url, self.settings.timeouts)

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self, resume: bool = True) -> list[int]:
        """Recover after a restart and start workers. Returns the ids of jobs found interrupted
        mid-print (now `uncertain`: ask the operator). With ``resume=False`` jobs still queued from an
        earlier run wait for retry_now() (an operator's `kiosk jobs retry`) instead of printing into an
        empty tray."""
        with self._lock:
            if self._running:
                return []
            interrupted = [row["id"] for row in self._db.query(
                f"select id, owner from {TABLE} where state = 'printing' order by id")
                if not owner_alive(row["owner"])]
            for job_id in interrupted:
                self._update(job_id, state=JobState.UNCERTAIN, last_error=INTERRUPTED_REASON)
            self._running = True
            self._stopped = False
            printers = [row["printer"] for row in self._db.query(
                f"select distinct printer from {TABLE} where state = 'queued'")]
        for job_id in interrupted:
            log.warning("print job %d was interrupted mid-print: now uncertain", job_id)
            self._emit(JobEvent(self.get(job_id)))
        for printer in printers if resume else ():
            self._ensure_worker(printer)
        return interrupted

    def stop(self, timeout: float | None = None) -> None:
        """Stop the workers. Returns within ``timeout`` (default settings.stop_timeout) even if a
        worker is stuck in a send; such a job is finished by that thread or recovered at next start."""
        with self._lock:
            self._running = False
            self._stopped = True
            workers = list(self._workers.values())
            self._workers.clear()
            self._changed.notify_all()  # every wait_until returns the job as it stands
        for worker in workers:
            worker.request_stop()
        deadline = time.monotonic() + (self.settings.stop_timeout if timeout is None else timeout)
        for worker in workers:
            worker.join(max(deadline - time.monotonic(), 0))

    def close(self) -> None:
        """Stop, then close the queue's database connection under the queue's lock: every read and write
        of the queue runs under that lock, so no thread (a waiter woken by the stop, a worker past its
        join timeout) is inside a query when the connection goes; a later call fails cleanly (sqlite3's
        ProgrammingError) instead of running on a connection closed under it."""
        self.stop()
        with self._lock:
            self._db.conn.close()

    # --- operations -----------------------------------------------------------------------------
    def submit(self, printer: str, payload: bytes, *, kind: str = "receipt", reference: str = "",
               copy_of: int | None = None) -> int:
        """Store a job (committed before anything is sent) and wake the printer's worker."""
        if not payload:
            raise QueueError("a print job needs at least one byte")
        stamp = self._stamp()
        with self._lock, self._db.conn:
            job_id = queue_rows.insert_job(self._db.conn, printer=printer, payload=payload, kind=kind,
                                           reference=reference, stamp=stamp, copy_of=copy_of)
            running = self._running
        job = self.get(int(job_id))
        self._emit(JobEvent(job))
        if running:
            self._ensure_worker(printer)
        return int(job_id)

    def reprint(self, job_id: int, printer: str | None = None) -> int:
        """A new job with the same bytes (copy_of = job_id). An uncertain or held original is closed
        as failed with a note, so it is not asked about (or sent) again."""
        original = self.get(job_id)
        if original.state in (JobState.QUEUED, JobState.PRINTING):
            raise QueueError(f"job {job_id} is still {original.state}; wait for it before reprinting")
        new_id = self.submit(printer or original.printer, self.payload(job_id), kind="reprint",
                             reference=original.reference, copy_of=job_id)
        if original.state in (JobState.UNCERTAIN, JobState.HELD):
            self._finish(job_id, JobState.FAILED, f"operator chose to reprint it as job {new_id}")
        return new_id

    def hold(self, job_id: int, reason: str) -> JobRecord:
        """Keep a job that has not printed for an operator (state `held`, `reason` in last_error): the
        visit it belonged to is over. A queued job is held at once; a job this process is sending now is
        held as soon as the worker would queue it again (if it prints meanwhile, it is done). A job in
        any other state is left as it is. Returns the job as it stands."""
        with self._lock, self._db.conn:
            job = self.get(job_id)
            if job.state == JobState.PRINTING:
                self._hold_requests[job_id] = reason
                return job
            if job.state != JobState.QUEUED:
                return job
            self._db.conn.execute(
                f"update {TABLE} set state = 'held', last_error = ?, next_attempt_at = null, updated_at = ? "
                "where id = ? and state = 'queued'", [_held_reason(reason, job.last_error), self._stamp(), job_id])
            self._changed.notify_all()
        held = self.get(job_id)
        log.info("print job %d held for an operator: %s", job_id, reason)
        self._emit(JobEvent(held))
        with self._lock:
            worker = self._workers.get(held.printer)
        if worker is not None:  # a worker waiting for paper for this job moves on to the next one
            worker.wake()
        return held

    def release(self, job_id: int) -> JobRecord:
        """An operator sends a held job again: back to `queued` (it prints once the printer is ready) and
        the printer's worker is woken. QueueError when the job is not held."""
        with self._lock, self._db.conn:
            moved = self._db.conn.execute(
                f"update {TABLE} set state = 'queued', updated_at = ? where id = ? and state = 'held'",
                [self._stamp(), job_id]).rowcount
            job = self.get(job_id)  # as released, before a worker can claim it
            self._changed.notify_all()
        if not moved:
            raise QueueError(f"job {job_id} is {job.state}, not held")
        self._emit(JobEvent(job))
        self._ensure_worker(job.printer)
        return job

    def send_now(self, job_id: int, printer: str | None = None) -> int:
        """An operator sends a job now (`kiosk jobs retry`, the panel's 重新打印): a held job is released,
        a queued one is moved to ``printer`` (when given) and its worker woken, a failed one is copied
        (reprint) to ``printer`` or its own. Returns the id of the job that will print; QueueError for a
        job that is printing, done or uncertain (an operator checks the paper first)."""
        job = self.get(job_id)
        if job.state == JobState.FAILED:
            return self.reprint(job_id, printer=printer)
        if job.state == JobState.HELD:
            job = self.release(job_id)
        elif job.state != JobState.QUEUED:
            raise QueueError(f"job {job_id} is {job.state}; it cannot be sent again as it is")
        if printer and printer != job.printer:
            job = self.move(job_id, printer)
        self._ensure_worker(job.printer)
        return job_id

    def cancel(self, job_id: int, reason: str) -> JobRecord:
        """An operator cancels a job that has not printed (queued, held, failed or uncertain): state
        `cancelled`, `reason` in last_error. QueueError for a job printing now, done or cancelled."""
        cancellable = (JobState.QUEUED, JobState.HELD, JobState.FAILED, JobState.UNCERTAIN)
        stamp = self._stamp()
        with self._lock, self._db.conn:
            moved = self._db.conn.execute(
                f"update {TABLE} set state = 'cancelled', last_error = ?, next_attempt_at = null, "
                f"finished_at = ?, updated_at = ? where id = ? and state in ({', '.join('?' * len(cancellable))})",
                [reason, stamp, stamp, job_id, *cancellable]).rowcount
            self._hold_requests.pop(job_id, None)
            job = self.get(job_id)
            self._changed.notify_all()
        if not moved:
            raise QueueError(f"job {job_id} is {job.state}; only a job that has not printed can be cancelled")
        log.info("print job %d cancelled by an operator: %s", job_id, reason)
        self._emit(JobEvent(job))
        with self._lock:
            worker = self._workers.get(job.printer)
        if worker is not None:  # a worker waiting for paper for this job moves on
            worker.wake()
        return job

    def mark_done(self, job_id: int) -> JobRecord:
        """The operator confirms an uncertain (or failed) job came out whole."""
        job = self.get(job_id)
        if job.state not in (JobState.UNCERTAIN, JobState.FAILED):
            raise QueueError(f"job {job_id} is {job.state}; only uncertain or failed jobs can be marked done")
        return self._finish(job_id, JobState.DONE, "confirmed printed by the operator")

    def retry_now(self, printer: str | None = None) -> None:
        """Wake the workers now instead of at their next poll: after staff loaded paper or closed the
        cover, or after jobs were inserted in print_jobs by someone else (the kiosk store's
        enqueue_print_job, inside its own transaction). Starts a worker for any printer with queued jobs."""
        with self._lock:
            queued = {row["printer"] for row in self._db.query(
                f"select distinct printer from {TABLE} where state = 'queued'")}
            workers = [w for url, w in self._workers.items() if printer is None or url == printer]
        for url in queued - set(self._workers):
            if printer is None or url == printer:
                self._ensure_worker(url)
        for worker in workers:
            worker.wake()

    # --- queries --------------------------------------------------------------------------------
    def get(self, job_id: int) -> JobRecord:
        with self._lock:
            rows = list(self._db.query(
                f"select *, length(payload) as size from {TABLE} where id = ?", [job_id]))
        if not rows:
            raise QueueError(f"no print job {job_id}")
        return _record(rows[0])

    def payload(self, job_id: int) -> bytes:
        with self._lock:
            rows = list(self._db.query(f"select payload from {TABLE} where id = ?", [job_id]))
        if not rows:
            raise QueueError(f"no print job {job_id}")
        return bytes(rows[0]["payload"])

    def jobs(self, state: str | None = None, printer: str | None = None) -> list[JobRecord]:
        where, params = [], []
        if state is not None:
            where.append("state = ?")
            params.append(state)
        if printer is not None:
            where.append("printer = ?")
            params.append(printer)
        sql = f"select *, length(payload) as size from {TABLE}"
        if where:
            sql += " where " + " and ".join(where)
        with self._lock:
            return [_record(row) for row in self._db.query(sql + " order by id", params)]

    def wait(self, job_id: int, timeout: float, states: tuple[str, ...] = FINAL_STATES) -> JobRecord:
        """Block until the job reaches one of ``states``; returns it. Raises QueueError when ``timeout``
        seconds pass first. For the CLI and worker threads, never the UI thread."""
        job = self.wait_until(job_id, timeout, lambda record: record.state in states)
        if job.state not in states:
            raise QueueError(f"job {job_id} still {job.state} after {timeout:g} s")
        return job

    def wait_until(self, job_id: int, timeout: float, ready: Callable[[JobRecord], bool],
                   recheck: float | None = None) -> JobRecord:
        """The one loop that waits for a job: block until ``ready(job)`` holds or ``timeout`` seconds
        pass, and return the job as it then stands. Woken by this process's changes (a condition, no
        busy polling); the row is also re-read every ``recheck`` seconds (default
        settings.recheck_interval), so a job another process prints or holds is seen too. Returns at
        once when the queue is stopped (the kiosk closing): a waiter never outlives it."""
        interval = self.settings.recheck_interval if recheck is None else recheck
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                job = self.get(job_id)
                if ready(job):
                    return job
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopped:
                    return job
                self._changed.wait(min(remaining, interval))

    def move(self, job_id: int, printer: str) -> JobRecord:
        """Point a still-queued job at another printer (a technician's `kiosk jobs retry --printer`);
        QueueError when it is no longer queued."""
        with self._lock, self._db.conn:
            moved = queue_rows.move_queued_job(self._db.conn, job_id, printer, self._stamp())
            job = self.get(job_id)
            self._changed.notify_all()
        if not moved:
            raise QueueError(f"job {job_id} is no longer queued (see `kiosk jobs`)")
        self._emit(JobEvent(job))
        return job

    def current(self, job_id: int) -> JobRecord:
        """The job that stands for ``job_id`` now: the job itself, or the latest copy made of it (a
        failed or uncertain job reprinted), following copies of copies."""
        job = self.get(job_id)
        while True:
            with self._lock:
                rows = list(self._db.query(f"select max(id) as id from {TABLE} where copy_of = ?", [job.id]))
            if not rows or rows[0]["id"] is None:
                return job
            job = self.get(rows[0]["id"])

    # --- internals ------------------------------------------------------------------------------
    def _stamp(self) -> str:
        return self._now().isoformat(timespec="milliseconds")

    def _update(self, job_id: int, **values: Any) -> None:
        values["updated_at"] = self._stamp()
        with self._lock, self._db.conn:
            self._db.update_row(TABLE, job_id, values)
            self._changed.notify_all()

    def _finish(self, job_id: int, state: str, reason: str = "", **values: Any) -> JobRecord:
        with self._lock:
            self._hold_requests.pop(job_id, None)
        self._update(job_id, state=state, last_error=reason, finished_at=self._stamp(), next_attempt_at=None,
                     **values)
        job = self.get(job_id)
        self._emit(JobEvent(job))
        return job

    def _emit(self, event: JobEvent) -> None:
        """Tell the listener first, then wake the waiters (a waiter's test may read what it recorded)."""
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:  # a UI callback bug must not stop printing
                log.exception("print queue event callback failed")
        with self._changed:
            self._changed.notify_all()

    def _ensure_worker(self, printer: str) -> None:
        with self._lock:
            if not self._running:
                return
            worker = self._workers.get(printer)
            if worker is None or not worker.is_alive():
                worker = _Worker(self, printer)
                self._workers[printer] = worker
                worker.start()
            else:
                worker.wake()

    def _requeue(self, job_id: int, **values: Any) -> bool:
        """The worker puts a job it could not send back in the queue: True; or, when its visit ended
        meanwhile (hold), holds it instead: False (the worker must not wait for it)."""
        with self._lock:
            reason = self._hold_requests.pop(job_id, None)
            if reason is None:
                self._update(job_id, state=JobState.QUEUED, **values)
                return True
            last_error = str(values.pop("last_error", ""))
            values.pop("next_attempt_at", None)
            self._update(job_id, state=JobState.HELD, last_error=_held_reason(reason, last_error), next_attempt_at=None,
                         **values)
        log.info("print job %d held for an operator: %s", job_id, reason)
        self._emit(JobEvent(self.get(job_id)))
        return False

    def _claim(self, job_id: int) -> bool:
        """Mark a queued job `printing` for this process, atomically: False when another process (a
        technician's `kiosk jobs retry` beside the running kiosk) took it first."""
        with self._lock, self._db.conn:
            cursor = self._db.conn.execute(
                f"update {TABLE} set state = 'printing', owner = ?, updated_at = ? where id = ? and state = 'queued'",
                [this_owner(), self._stamp(), job_id])
            self._changed.notify_all()
        return cursor.rowcount == 1

    def _next_queued(self, printer: str) -> JobRecord | None:
        with self._lock:
            rows = list(self._db.query(
                f"select *, length(payload) as size from {TABLE} where printer = ? and state = 'queued' "
                "order by id limit 1", [printer]))
        return _record(rows[0]) if rows else None


@functools.cache
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown-boot"


def this_owner() -> str:
    """This process as a job owner: "<boot id>:<pid>" (computed per call, so a forked child differs)."""
    return f"{_boot_id()}:{os.getpid()}"


def owner_alive(owner: str | None) -> bool:
    """Whether the process that claimed a job (its `this_owner()`) is still running: same boot and a
    live pid. A job claimed before a power cut, by a killed process, or by this very process is not."""
    if not owner or owner == this_owner():
        return False
    boot, _, pid = owner.rpartition(":")
    if boot != _boot_id() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _held_reason(reason: str, last_error: str) -> str:
    """What a held job's last_error says: why it is held, and the fault it was waiting on."""
    return f"held for a technician: {reason}" + (f" (was: {last_error})" if last_error else "")


def _record(row: dict[str, Any]) -> JobRecord:
    return JobRecord(id=row["id"], printer=row["printer"], reference=row["reference"] or "",
                     kind=row["kind"], state=row["state"], attempts=row["attempts"] or 0,
                     last_error=row["last_error"] or "", created_at=row["created_at"] or "",
                     updated_at=row["updated_at"] or "", finished_at=row["finished_at"],
                     copy_of=row["copy_of"], size=row["size"] or 0)


class _Worker:
    """The thread that prints one printer's jobs in order."""

    def __init__(self, queue: PrintQueue, printer: str) -> None:
        self._queue = queue
        self._printer = printer
        self._wakeup = threading.Event()
        self._stopping = threading.Event()
        self._transport: Transport | None = None
        self._thread = threading.Thread(target=self._run, name=f"print-worker {printer}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def wake(self) -> None:
        self._wakeup.set()

    def request_stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _pause(self, seconds: float) -> bool:
        """Wait up to ``seconds`` or until woken; False when stopping."""
        self._wakeup.wait(seconds)
        self._wakeup.clear()
        return not self._stopping.is_set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            job = self._queue._next_queued(self._printer)
            if job is None:
                if not self._pause(3600.0):
                    return
                continue
            try:
                delay = self._process(job)
            except Exception as error:  # a bug must not kill the worker or lose the job silently
                log.exception("print worker failed on job %d", job.id)
                self._queue._finish(job.id, JobState.FAILED, f"internal error: {error}")
                continue
            if delay and not self._pause(delay):
                return

    def _transport_for(self) -> Transport:
        if self._transport is None:
            self._transport = self._queue._transport_factory(self._printer)
        return self._transport

    def _process(self, job: JobRecord) -> float:
        """Try the job once; return how long to wait before the next try (0 = go on)."""
        queue = self._queue
        try:
            transport = self._transport_for()
        except PrinterUrlError as error:
            queue._finish(job.id, JobState.FAILED, str(error))
            return 0.0
        if not queue._claim(job.id):  # committed before the first byte leaves
            return 0.0
        queue._emit(JobEvent(queue.get(job.id)))
        try:
            result = deliver(transport, queue.payload(job.id))
        except DeliveryFailed as failure:
            return self._handle_failure(job, failure)
        warning = "paper nearly used up" if result.status_after and result.status_after.paper_near_end else ""
        finished = queue._finish(job.id, JobState.DONE, warning, attempts=job.attempts + 1)
        log.info("print job %d done (%d bytes to %s)", finished.id, result.bytes_sent, transport.describe())
        return 0.0

    def _handle_failure(self, job: JobRecord, failure: DeliveryFailed) -> float:
        queue, settings = self._queue, self._queue.settings
        cause = failure.cause
        log.warning("print job %d: %s", job.id, failure)
        if failure.phase == "after":
            queue._finish(job.id, JobState.UNCERTAIN, f"{failure}; check the slip, then reprint or mark it done",
                          attempts=job.attempts + 1)
            return 0.0
        if failure.phase == "before" and isinstance(cause, PaperOut | CoverOpen):
            if queue._requeue(job.id, last_error=str(cause)):
                self._wait_until_ready(job, cause)
            return 0.0
        if isinstance(cause, StatusUnsupported):
            queue._finish(job.id, JobState.FAILED, str(failure))
            return 0.0
        attempts = job.attempts + 1
        if attempts >= settings.max_attempts:
            reason = f"gave up after {attempts} attempts: {failure}"
            queue._finish(job.id, JobState.FAILED, reason, attempts=attempts)
            return 0.0
        delay = settings.backoff(attempts)
        next_at = (queue._now() + timedelta(seconds=delay)).isoformat(timespec="milliseconds")
        if not queue._requeue(job.id, attempts=attempts, last_error=str(failure), next_attempt_at=next_at):
            return 0.0
        queue._emit(JobEvent(queue.get(job.id), waiting=JobWait.RETRY))
        return delay

    def _wait_until_ready(self, job: JobRecord, cause: PrinterError) -> None:
        """Poll the printer status until it is ready (or we stop, or the job was held); the queue's next
        job is then tried."""
        queue, settings = self._queue, self._queue.settings
        status = getattr(cause, "status", None)
        waiting = JobWait.COVER_OPEN if isinstance(cause, CoverOpen) else JobWait.PAPER_OUT
        queue._emit(JobEvent(queue.get(job.id), waiting=waiting, status=status))
        transport = self._transport_for()
        while True:
            woken = self._wakeup.wait(settings.paper_poll_interval)  # retry_now(): someone asks again
            self._wakeup.clear()
            if self._stopping.is_set():
                return
            if queue.get(job.id).state != JobState.QUEUED:  # held for an operator (its visit ended)
                return
            status = probe_status(transport)
            if status.ready:
                return
            now_waiting = (JobWait.COVER_OPEN if status.cover_open else JobWait.PAPER_OUT if status.paper_out
                           else JobWait.RETRY)
            changed = now_waiting != waiting
            if changed:
                waiting = now_waiting
                queue._update(job.id, last_error=status.describe_en())
            if changed or woken:  # or asked again (a retry tap): say again why the job still waits
                queue._emit(JobEvent(queue.get(job.id), waiting=waiting, status=status))

"""The uploader: sends the outbox to the hall in batches and keeps the heartbeat, on its own thread.

    uploader = Uploader(store, settings, status=device_status, clock=kiosk.now)
    uploader.start()                 # the composition root (kiosk.app) starts it for `kiosk run`/`demo`
    uploader.wake(urgent=True)       # a staff call: sent at once, then a heartbeat (the ack comes back)
    result = uploader.push()         # synchronous: `kiosk sync` and the thread itself
    uploader.stop()

- A batch holds at most `max_events` events and `max_bytes` of bodies; only the ids the hall answers
  it holds are marked sent; ids it rejects as malformed are kept and marked dead.
- 413: the batch is halved and sent again at once (one event refused alone is marked dead).
- The hall down, a timeout, a 5xx or a refused credential: every event stays; the next try waits an
  exponential backoff with jitter (`backoff_initial` doubling to `backoff_max`, times 0.5-1.5). A
  staff call does not wait for the backoff.
- A heartbeat every `heartbeat_s` (module states, oldest unsent age, counts) brings the hall's answers:
  status changes of this kiosk's numbers, the cursor, staff call acks (kiosk.sync.replies).
Time: `monotonic` (injectable) schedules tries; `clock` (the kiosk clock) stamps what is sent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.store import Store, StoreError
from kiosk.sync import outbox, replies
from kiosk.sync.bodies import iso
from kiosk.sync.wire import HallError, post_json

log = logging.getLogger(__name__)

#: The hall's limits (contract): more events or bytes in one request answer 413.
HALL_MAX_EVENTS = 500
HALL_MAX_BYTES = 8 * 1024 * 1024

#: After a staff call, heartbeats come every CALL_POLL_S seconds for CALL_WATCH_S (or until acked).
CALL_POLL_S = 1.0
CALL_WATCH_S = 300.0

Transport = Callable[[str, str, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class SyncSettings:
    """Where the uploader sends events, with which credential, in what batches."""

    url: str
    token: str
    kiosk_id: str
    version: str = "0.0.0"
    heartbeat_s: float = 30.0
    max_events: int = 200
    max_bytes: int = 4 * 1024 * 1024
    timeout_s: float = 10.0
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 300.0


def settings_for(config: Any) -> SyncSettings | None:
    """The uploader's settings from a KioskConfig ([sync] and [hall] kiosk_id); None when not configured."""
    sync = config.sync
    if not sync.configured:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        software = version("miaoban-kiosk")
    except PackageNotFoundError:
        software = "0.0.0"
    return SyncSettings(url=sync.url, token=sync.token, kiosk_id=config.hall.kiosk_id, version=software,
                        heartbeat_s=sync.heartbeat_s, max_events=sync.batch_events, max_bytes=sync.batch_bytes,
                        timeout_s=sync.timeout_s)


def format_age(seconds: float | None) -> str:
    """An age in words for staff: 45 s, 12 min, 3 h 5 min, 2 d 4 h."""
    if seconds is None:
        return "-"
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


@dataclass
class PushResult:
    """What one push did: events the hall now holds, rejected ones, and the fault that stopped it."""

    sent: int = 0
    rejected: int = 0
    batches: int = 0
    halved: int = 0
    error: HallError | None = None
    sizes: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


class Uploader:
    def __init__(self, store: Store, settings: SyncSettings, *, status: Callable[[], dict[str, Any]] | None = None,
                 clock: Callable[[], dt.datetime] = dt.datetime.now, monotonic: Callable[[], float] = time.monotonic,
                 rng: Callable[[], float] = random.random, transport: Transport | None = None,
                 on_stage: Callable[[str, list[str]], None] | None = None) -> None:
        self.store = store
        self.settings = settings
        self._status = status or (lambda: {})
        self._clock = clock
        self._monotonic = monotonic
        self._rng = rng
        self._transport = transport or self._http
        self._on_stage = on_stage
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one push or heartbeat at a time
        self._urgent = False
        self._thread: threading.Thread | None = None
        self.failures = 0
        self.last_error: str | None = None
        self.reachable: bool | None = None  # None: not tried yet
        self._calls: list[str] = []
        self._calls_lock = threading.Lock()
        self._fast_until = 0.0

    # -- the thread ------------------------------------------------------------------------------

    def start(self) -> Uploader:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the thread (a request under way finishes or times out first)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self, urgent: bool = False) -> None:
        """New events: send them (urgent: a staff call, now even during a backoff, then a heartbeat)."""
        if urgent:
            self._urgent = True
        self._wake.set()

    def backoff_s(self, failures: int) -> float:
        """Seconds before the next try after `failures` failures in a row (jittered exponential)."""
        base = min(self.settings.backoff_max_s, self.settings.backoff_initial_s * 2 ** max(0, failures - 1))
        return base * (0.5 + self._rng())

    def _run(self) -> None:
        next_try = next_heartbeat = self._monotonic()
        while not self._stop.is_set():
            urgent, self._urgent = self._urgent, False
            if urgent:  # a staff call: poll for its ack every few seconds for a while
                self._fast_until = self._monotonic() + CALL_WATCH_S
            if urgent or self._monotonic() >= next_try:
                beat = urgent or self._monotonic() >= next_heartbeat
                try:
                    result = self.push()
                    if result.error is not None:
                        raise result.error
                    if beat:
                        self.heartbeat()
                        fast = self._monotonic() < self._fast_until and self.unacked_calls()
                        next_heartbeat = self._monotonic() + (CALL_POLL_S if fast else self.settings.heartbeat_s)
                    next_try = next_heartbeat
                except HallError:
                    next_try = self._monotonic() + self.backoff_s(self.failures)
                except StoreError as exc:  # the database busy or failing: try again later, keep the thread
                    log.error("sync: the outbox could not be read or written: %s", exc)
                    next_try = self._monotonic() + self.backoff_s(max(1, self.failures))
                except Exception:
                    log.exception("sync: unexpected failure; trying again later")
                    next_try = self._monotonic() + self.settings.backoff_max_s
            if self._wake.wait(max(0.0, next_try - self._monotonic())):
                self._wake.clear()
                if self.failures == 0:  # healthy: new events go now (during a backoff they wait for it)
                    next_try = min(next_try, self._monotonic())

    def unacked_calls(self) -> int:
        """Staff calls made in the last CALL_WATCH_S seconds (this process) that have no ack yet."""
        with self._calls_lock:
            calls = list(self._calls)
        return sum(1 for call_id in calls if replies.call_ack(self.store, call_id) is None)

    def watch_call(self, call_id: str) -> None:
        """A staff call was written to the outbox: send it now and poll for its ack."""
        with self._calls_lock:
            self._calls.append(call_id)
            del self._calls[:-20]
        self.wake(urgent=True)

    def call_state(self, call_id: str) -> str:
        """"acked" (a member of staff answered), "sent" (the hall has it), "unreachable" (not sent: the
        last try failed, the hall is down or refuses the kiosk), or "sending"."""
        if replies.call_ack(self.store, call_id) is not None:
            return "acked"
        rows = self.store.select("SELECT sent_at FROM outbox WHERE event_id = ? OR "
                                 "(kind = 'staff_call' AND json_extract(body, '$.call_id') = ?)", (call_id, call_id))
        if rows and rows[0]["sent_at"]:
            return "sent"
        return "unreachable" if self.failures else "sending"

    # -- one exchange ----------------------------------------------------------------------------

    def _http(self, path: str, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        return post_json(self.settings.url.rstrip("/") + path, token, payload, timeout=self.settings.timeout_s)

    def _failed(self, error: HallError) -> None:
        self.failures += 1
        self.last_error = str(error)
        self.reachable = error.kind != "unreachable"
        log.warning("sync: %s (attempt %d; events kept)", error, self.failures)
        with contextlib.suppress(StoreError):
            replies.record_error(self.store, str(error))

    def _succeeded(self) -> None:
        self.failures = 0
        self.last_error = None
        self.reachable = True

    def push(self, *, deadline: float | None = None, kinds: list[str] | None = None) -> PushResult:
        """Send every ready unsent event in batches until none is left, the hall fails, or `deadline`
        (monotonic) passes."""
        result = PushResult()
        max_events = min(self.settings.max_events, HALL_MAX_EVENTS)
        max_bytes = min(self.settings.max_bytes, HALL_MAX_BYTES - 64 * 1024)
        with self._lock:
            while deadline is None or self._monotonic() < deadline:
                if kinds is None:  # staff calls first: they must not wait behind a backlog
                    batch = outbox.unsent(self.store, max_events=max_events, max_bytes=max_bytes,
                                          kinds=["staff_call"]) or outbox.unsent(
                        self.store, max_events=max_events, max_bytes=max_bytes)
                else:
                    batch = outbox.unsent(self.store, max_events=max_events, max_bytes=max_bytes, kinds=kinds)
                if not batch:
                    break
                ids = [event.event_id for event in batch]
                payload = {"kiosk_id": self.settings.kiosk_id, "sent_at": iso(self._clock()),
                           "events": [event.wire() for event in batch]}
                try:
                    reply = self._transport("/api/v1/events", self.settings.token, payload)
                except HallError as exc:
                    if exc.kind == "too_large":
                        result.halved += 1
                        if len(batch) == 1:
                            outbox.mark_dead(self.store, [(ids[0], f"the hall refused it as too large ({exc})")])
                            result.rejected += 1
                            continue
                        max_events = max(1, len(batch) // 2)
                        max_bytes = max(1, sum(event.size for event in batch) // 2)
                        continue
                    outbox.record_attempt(self.store, ids, str(exc))
                    # its traceback holds this frame (the batch) and the frame would hold it: a cycle that
                    # only a rare full collection frees; a kiosk retrying through an outage grew a batch a try
                    result.error = exc.with_traceback(None)
                    self._failed(result.error)
                    break
                held, rejected = _parse_events_reply(reply, set(ids))
                if self._on_stage is not None:
                    self._on_stage("held", held)  # tests stop here: the hall stored them, nothing is marked
                outbox.mark_sent(self.store, held)
                if self._on_stage is not None:
                    self._on_stage("sent", held)
                if rejected:
                    outbox.mark_dead(self.store, rejected)
                unanswered = set(ids) - set(held) - {event_id for event_id, _ in rejected}
                if unanswered:
                    outbox.record_attempt(self.store, unanswered, "the hall did not answer for it")
                result.sent += len(held)
                result.rejected += len(rejected)
                result.batches += 1
                result.sizes.append(len(batch))
                self._succeeded()
                if unanswered and not held and not rejected:
                    result.error = HallError("protocol", "the hall answered without holding any event of the batch")
                    self._failed(result.error)
                    break
        if result.batches and result.error is None:
            replies.record_ok(self.store)
        return result

    def heartbeat(self) -> int:
        """One heartbeat; its reply applied. Returns the status changes applied (HallError on failure)."""
        with self._lock:
            state = replies.sync_state(self.store)
            backlog = outbox.backlog(self.store)
            now = self._clock()
            status = dict(self._status())
            if status.get("modules") and not status.get("modules_from_store"):
                replies.record_modules(self.store, status["modules"])
            payload = {
                "kiosk_id": self.settings.kiosk_id, "at": iso(now), "cursor": state.cursor,
                "version": self.settings.version,
                "modules": status.get("modules", {}),
                "oldest_unsent_s": backlog.oldest_age_s(now),
                "unsent": backlog.unsent,
                "counts": status.get("counts", {}),
            }
            try:
                reply = self._transport("/api/v1/heartbeat", self.settings.token, payload)
            except HallError as exc:
                self._failed(exc)
                raise
            applied = replies.apply_heartbeat_reply(self.store, reply, now)
            self._succeeded()
        if self._on_stage is not None:
            self._on_stage("heartbeat", [])
        return applied


def _parse_events_reply(reply: dict[str, Any], sent: set[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(held ids, [(rejected id, reason)]), only ids of this batch (anything else is ignored)."""
    held = [str(i) for i in reply.get("held") or [] if str(i) in sent]
    rejected = [(str(r.get("id")), str(r.get("reason") or "rejected")) for r in reply.get("rejected") or []
                if isinstance(r, dict) and str(r.get("id")) in sent and str(r.get("id")) not in held]
    return held, rejected

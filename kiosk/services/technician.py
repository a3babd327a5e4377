"""The technician panel's logic, without Qt: the hidden gesture, the PIN gate, and the panel's actions.

- `TapGesture`: the hidden way in — `GESTURE_TAPS` taps on the hall name within
  `GESTURE_WINDOW_SECONDS` (an applicant does not do that by accident; a technician can on a touchscreen).
- `PinGate`: the admin PIN (checked against `admin.pin_hash`, scrypt, never stored or logged) with an
  escalating lockout — 5 wrong PINs in a row lock the pad for 5 minutes, 10 for 30 minutes, 15 until
  `kiosk keys reset-lockout` (kiosk.pin_policy) — counted in the kiosk's database so a restart forgives
  nothing (kiosk.store.pin_attempts; `kiosk_pin_gate` builds that gate), and an idle lock: the PIN pad
  and an unlocked panel close after `IDLE_LOCK_SECONDS` without a touch. Both clocks are injectable (the
  idle lock on `time.monotonic()`, the lockout on the wall clock it is kept with), so nothing is tested
  by sleeping. `attempt(pin)` (a worker: scrypt and the database) = `refusal()` -> `verify()` ->
  `record(ok)`; `check(pin)` is the same call.
- `TechnicianDesk`: what the panel does, over the composition root (`kiosk.app.Kiosk`) and the reader the
  app already holds open (never opened a second time): device checks (the reader's SAM status and ID,
  the printer's DLE EOT status in words), a test page through the print queue, the jobs waiting for an
  operator with retry / reprint / confirm / cancel (the same rules as `kiosk jobs`; an interrupted or
  uncertain job is only printed again after the panel asked), the audit-chain check, a configuration
  summary without secrets, 读卡测试 (the card masked, SAM ID and status), the reader ports, the catalog
  with its on/off switches, and saving configuration changes (kiosk.services.tech_config). Each call
  blocks on devices or the disk (run it on a worker) and returns plain data. Nothing here shows personal
  data: jobs are listed by number only.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlsplit, urlunsplit

from kiosk.pin_policy import LEVELS, PinPolicy

if TYPE_CHECKING:
    from idreader.reader import CardReader
    from kiosk.app import Kiosk
    from kiosk.services.checks import Check
    from kiosk.services.tech_config import ConfigDesk, SaveOutcome
    from printers.queue import JobRecord

#: The hidden gesture: this many taps on the hall name ...
GESTURE_TAPS = 5
#: ... all within this many seconds.
GESTURE_WINDOW_SECONDS = 3.0
#: Wrong PINs in a row that lock the PIN pad for the first time ...
MAX_PIN_FAILURES = LEVELS[0].failures
#: ... for this many seconds (kiosk.pin_policy escalates from there).
LOCKOUT_SECONDS = LEVELS[0].seconds
#: The PIN pad and an unlocked panel close after this many seconds without a touch.
IDLE_LOCK_SECONDS = 60.0
#: The PIN pad takes at most this many digits (kiosk.config.hash_pin allows 4 to 12).
MAX_PIN_DIGITS = 12
#: How long the panel waits for a test page or a reprinted job before it reports "still queued".
PRINT_WAIT_SECONDS = 10.0

Clock = Callable[[], float]

JOB_STATE_WORDS = {
    "queued": "排队等待 queued",
    "printing": "正在打印 printing",
    "held": "待技术员处理 held",
    "failed": "打印失败 failed",
    "uncertain": "不确定是否打印 uncertain",
    "done": "已打印 done",
    "cancelled": "已取消 cancelled",
}
#: How long 读卡测试 waits for a card to be laid on the reader.
READ_TEST_SECONDS = 15.0


class TechnicianError(Exception):
    """A technician action that cannot be done (no such job, a job in the wrong state)."""


# --- the hidden gesture ------------------------------------------------------------------------------


class TapGesture:
    """`tap()` is True on the tap that completes `taps` taps within `window_seconds` (then starts over)."""

    def __init__(self, taps: int = GESTURE_TAPS, window_seconds: float = GESTURE_WINDOW_SECONDS,
                 clock: Clock = time.monotonic) -> None:
        if taps < 1 or window_seconds <= 0:
            raise ValueError("a gesture needs at least one tap and a positive time window")
        self.taps = taps
        self.window_seconds = window_seconds
        self._clock = clock
        self._times: list[float] = []

    def tap(self) -> bool:
        now = self._clock()
        self._times = [moment for moment in self._times if now - moment <= self.window_seconds]
        self._times.append(now)
        if len(self._times) >= self.taps:
            self._times.clear()
            return True
        return False

    def reset(self) -> None:
        self._times.clear()


# --- the PIN gate ----------------------------------------------------------------------------------


def _minutes_seconds(seconds: float) -> str:
    whole = max(int(seconds + 0.999), 1)
    minutes, rest = divmod(whole, 60)
    if minutes and rest:
        return f"{minutes} 分 {rest} 秒"
    return f"{minutes} 分钟" if minutes else f"{rest} 秒"


def _minutes_seconds_en(seconds: float) -> str:
    whole = max(int(seconds + 0.999), 1)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if minutes and rest else f"{minutes} min" if minutes else f"{rest} s"


@dataclass(frozen=True)
class PinOutcome:
    """What a PIN attempt came to: `open`, `wrong` (with the tries left), `locked` (with the seconds left
    and the lock's whole length; `UNTIL_RESET` for both at the last level), `unavailable` (no
    admin.pin_hash configured) or `error` (the failed attempts cannot be read or counted)."""

    status: Literal["open", "wrong", "locked", "unavailable", "error"]
    tries_left: int = 0
    locked_seconds: float = 0.0
    lock_seconds: float = 0.0

    @property
    def message(self) -> str:
        """The PIN pad's line, Chinese with short English (never the PIN)."""
        if self.status == "open":
            return "已解锁 Unlocked"
        if self.status == "unavailable":
            return "未配置管理密码（admin.pin_hash），面板不可用 · No admin PIN configured"
        if self.status == "error":
            return "无法核对密码（数据库故障），请在本机运行 kiosk doctor · Cannot check the PIN: run kiosk doctor"
        if self.status == "locked":
            if math.isinf(self.locked_seconds):
                return ("错误次数过多，已锁定 · Locked until reset\n"
                        "请在本机运行 · Run on the kiosk:\nkiosk keys reset-lockout")
            length = self.lock_seconds or self.locked_seconds
            return (f"错误次数过多，已锁定 {_minutes_seconds(length)}，请 {_minutes_seconds(self.locked_seconds)}"
                    f"后再试 · Locked for {_minutes_seconds_en(length)}: try again in "
                    f"{max(int(self.locked_seconds + 0.999), 1)} s")
        return f"密码错误，还可尝试 {self.tries_left} 次 · Wrong PIN, {self.tries_left} tries left"


class PinAttemptLog(Protocol):
    """Where the wrong PINs in a row are counted: kiosk.store.pin_attempts.PinAttempts (the database, so
    a restart forgives nothing) or `MemoryPinAttempts`. `now()` is the clock of `last_failure_at`."""

    policy: PinPolicy
    now: Clock

    def state(self) -> tuple[int, float | None]: ...
    def failed(self) -> tuple[int, float | None]: ...
    def succeeded(self) -> None: ...


class MemoryPinAttempts:
    """The attempt log in memory, forgotten when the program ends: for a gate without a database (tests).
    The kiosk's panel counts in its database (`kiosk_pin_gate`)."""

    def __init__(self, policy: PinPolicy | None = None, now: Clock = time.monotonic) -> None:
        self.policy = policy or PinPolicy()
        self.now = now
        self._failures, self._last = 0, None

    def state(self) -> tuple[int, float | None]:
        return self._failures, self._last

    def failed(self) -> tuple[int, float | None]:
        self._failures, self._last = self._failures + 1, self.now()
        return self._failures, self._last

    def succeeded(self) -> None:
        self._failures, self._last = 0, None


class PinGate:
    """The admin PIN with an escalating lockout (counted in `attempts`, policy kiosk.pin_policy) and an
    idle lock. `refusal`, `verify`, `record` and `attempt` may run on a worker (the attempt log is the
    database); `activity`, `idle_expired`, `lock` belong to the GUI thread."""

    def __init__(self, pin_hash: str | None, *, attempts: PinAttemptLog | None = None,
                 idle_seconds: float = IDLE_LOCK_SECONDS, clock: Clock = time.monotonic) -> None:
        self._pin_hash = pin_hash
        self.attempts: PinAttemptLog = attempts if attempts is not None else MemoryPinAttempts(now=clock)
        self.policy = self.attempts.policy
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._open = False
        self._last_activity = clock()

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def failures(self) -> int:
        """Wrong PINs in a row (read from the attempt log)."""
        return self.attempts.state()[0]

    def lockout_left(self) -> float:
        """Seconds until the pad takes PINs again: 0 when it does, `UNTIL_RESET` at the last level. An
        ended lock does not forgive the failures: the next lock is longer."""
        failures, last_failure_at = self.attempts.state()
        return self.policy.lock_left(failures, last_failure_at, self.attempts.now())

    def refusal(self) -> PinOutcome | None:
        """Why no PIN can be tried now (locked out, no PIN configured), or None when one can."""
        if self._pin_hash is None:
            return PinOutcome("unavailable")
        failures, last_failure_at = self.attempts.state()
        left = self.policy.lock_left(failures, last_failure_at, self.attempts.now())
        if not left:
            return None
        return PinOutcome("locked", locked_seconds=left, lock_seconds=self.policy.lock_seconds(failures))

    def verify(self, pin: str) -> bool:
        """Compare with the hash (slow: scrypt). Any thread; changes nothing."""
        from kiosk.config import verify_pin  # on first use: pydantic is not needed for the start screen

        if self._pin_hash is None or not pin.isdigit() or len(pin) > MAX_PIN_DIGITS:
            return False
        return verify_pin(pin, self._pin_hash)

    def record(self, ok: bool) -> PinOutcome:
        """Count the result of `verify`: a right PIN opens the gate, a wrong one may lock the pad."""
        refused = self.refusal()
        if refused is not None:  # locked meanwhile: a late right PIN does not open it either
            return refused
        self.activity()
        if ok:
            self.attempts.succeeded()
            self._open = True
            return PinOutcome("open")
        failures, _ = self.attempts.failed()
        seconds = self.policy.lock_seconds(failures)
        if seconds:
            return PinOutcome("locked", locked_seconds=seconds, lock_seconds=seconds)
        return PinOutcome("wrong", tries_left=self.policy.tries_left(failures))

    def attempt(self, pin: str) -> PinOutcome:
        """`refusal`, `verify` and `record` in one call (blocks for the scrypt and the database: a worker's
        call)."""
        return self.refusal() or self.record(self.verify(pin))

    def check(self, pin: str) -> PinOutcome:
        """The same as `attempt`."""
        return self.attempt(pin)

    def activity(self) -> None:
        """A touch: the idle time starts again."""
        self._last_activity = self._clock()

    def idle_expired(self) -> bool:
        return self._clock() - self._last_activity >= self.idle_seconds

    def lock(self) -> None:
        self._open = False


def kiosk_pin_gate(kiosk: Kiosk, *, clock: Clock = time.monotonic,
                   now: Clock | None = None) -> PinGate:
    """The panel's gate over a built kiosk: the configured `admin.pin_hash` (the demo's when demo = true
    has none, kiosk.config), wrong PINs counted in the kiosk's database on its wall clock (`now`, Unix
    seconds; default `kiosk.now`), the idle lock on `clock`."""
    from kiosk.store.pin_attempts import PinAttempts

    wall = now if now is not None else (lambda: kiosk.now().timestamp())
    return PinGate(kiosk.config.admin.pin_hash, attempts=PinAttempts(kiosk.store, now=wall), clock=clock)


# --- what the panel does ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionResult:
    """One action's outcome in words (Chinese with short English) for the panel's result line."""

    ok: bool
    text: str


@dataclass(frozen=True)
class JobRow:
    """A print job waiting for an operator, as the panel lists it (a number, never a name)."""

    id: int
    state: str
    state_words: str
    kind: str
    reference: str
    last_error: str
    created_at: str
    actions: tuple[str, ...] = field(default=())  # "retry" | "reprint" | "done" | "cancel"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "stateWords": self.state_words, "kind": self.kind,
                "reference": self.reference, "lastError": self.last_error, "createdAt": self.created_at,
                "canReprint": "retry" in self.actions or "reprint" in self.actions,
                "canConfirm": "done" in self.actions, "canCancel": "cancel" in self.actions,
                "mayHavePrinted": self.state == "uncertain"}


def job_actions(job: JobRecord, copies: dict[int, int]) -> tuple[str, ...]:
    """What the panel offers for a job: a queued one is sent again (the same job, no copy); a failed
    one not yet copied, or an uncertain one, is reprinted as a copy or confirmed as printed; a held one
    (its visit ended before it printed) is sent again, the same job."""
    if job.state in ("queued", "held"):
        return ("retry", "cancel")
    if job.state == "uncertain" or (job.state == "failed" and job.id not in copies):
        return ("reprint", "done", "cancel")
    return ()


def redact_url(url: str) -> str:
    """A device URL without a user name or password in it (cups://user:secret@host/queue)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def config_summary(config: Any, data_dir: Any) -> list[tuple[str, str]]:
    """The configuration as label/value rows: hall, kiosk id, device URLs, data dir. No secrets: the PIN
    hash is only said to be set, credentials in URLs are replaced by ***."""
    devices, display, timeouts = config.devices, config.display, config.timeouts
    return [
        ("大厅 Hall", config.hall.name),
        ("终端编号 Kiosk ID", config.hall.kiosk_id),
        ("演示模式 Demo", "是 yes" if config.demo else "否 no"),
        ("读卡器 Reader", redact_url(devices.reader)),
        ("打印机 Printer", redact_url(devices.printer)),
        ("摄像头 Camera", redact_url(devices.camera)),
        ("数据目录 Data dir", str(data_dir)),
        ("屏幕 Display", f"{display.orientation}，长辈模式默认 {'开' if display.elder_mode_default else '关'}"),
        ("语言 Language", config.language),
        ("填表空闲 Form idle", f"{timeouts.form_idle_s:g} s，倒计时 {timeouts.countdown_s:g} s"),
        ("管理密码 Admin PIN", "已设置 set" if config.admin.pin_hash else "未设置 not set"),
        ("停用事项 Items off", ", ".join(config.catalog.disabled) or "无 none"),
        ("音量 Volume", str(config.speaker.volume)),
    ]


def check_line(check: Check) -> str:
    """One device check as the panel shows it."""
    mark = "✔ 正常 OK" if check.ok else "✖ 异常 PROBLEM"
    return f"{mark}  {check.name}: {check.detail}" + (f" → {check.todo}" if check.todo else "")


class TechnicianDesk:
    """The panel's actions over a built `Kiosk` and the reader the app holds (`reader()`; None when it
    is not open). Every method may block on a device or the disk: call them on a worker thread."""

    def __init__(self, kiosk: Kiosk, reader: Callable[[], CardReader | None], *,
                 reader_timeout: float | None = None, print_wait_seconds: float = PRINT_WAIT_SECONDS,
                 now: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.kiosk = kiosk
        self._reader = reader
        self.reader_timeout = reader_timeout
        self.print_wait_seconds = print_wait_seconds
        self._now = now

    # -- devices ------------------------------------------------------------------------------------

    def reader_check(self) -> Check:
        """The open reader's SAM status and SAM ID, asked on its own thread (the port is not reopened)."""
        from idreader.errors import ReaderError
        from kiosk.services.checks import READER_PROBE_SECONDS, Check

        url = self.kiosk.config.devices.reader
        name = f"读卡器 reader {redact_url(url)}"
        todo = "检查读卡器电源和连线 check the reader's power and cable"
        reader = self._reader()
        if reader is None:
            return Check(name, False, "读卡器未打开 not open", todo)
        try:
            facts = reader.diagnose(self.reader_timeout or READER_PROBE_SECONDS)
        except ReaderError as exc:
            return Check(name, False, f"无应答 no answer: {exc}", todo)
        ok = facts["sam_status"] == "0x90"
        return Check(name, ok, f"SAM 状态 status {facts['sam_status']}，SAM ID {facts['sam_id'] or '-'}",
                     "" if ok else todo)

    def printer_status(self) -> Any:
        """The printer's DLE EOT status (printers.status.PrinterStatus), asked on a connection of its own."""
        from kiosk.services.checks import PRINTER_TIMEOUTS
        from printers.transports import probe_status

        transport = self.kiosk.devices.printer_transport(PRINTER_TIMEOUTS)
        return probe_status(transport)

    def printer_check(self) -> Check:
        from kiosk.services.checks import PRINTER_TODO, Check
        from printers.errors import PrinterError

        name = f"打印机 printer {redact_url(self.kiosk.printer_url)}"
        try:
            status = self.printer_status()
        except PrinterError as exc:
            return Check(name, False, str(exc), "检查配置 devices.printer")
        detail = f"{status.describe_zh()} ({status.describe_en()})"
        return Check(name, status.ready, detail,
                     "" if status.ready else PRINTER_TODO.get(status.code, PRINTER_TODO["error"]))

    def device_checks(self) -> list[Check]:
        return [self.reader_check(), self.printer_check()]

    def device_report(self) -> ActionResult:
        checks = self.device_checks()
        return ActionResult(all(check.ok for check in checks), "\n".join(check_line(c) for c in checks))

    # -- printing -----------------------------------------------------------------------------------

    def print_test_page(self) -> ActionResult:
        """A test page through the print queue (so a paper-out printer prints it once paper is in)."""
        from printers.escpos_render import render_escpos
        from printers.layouts import test_page
        from printers.profiles import DEFAULT_PROFILE, get_profile
        from printers.url import parse_printer_url

        url = self.kiosk.printer_url
        parsed = parse_printer_url(url)
        profile = get_profile(parsed.profile or DEFAULT_PROFILE, parsed.width)
        data = render_escpos(test_page(profile, printed_at=self._now()), profile, parsed.mode)
        status = self.printer_status()  # asked before the job, never while the queue talks to the printer
        job_id = self.kiosk.queue.submit(url, data, kind="test", reference="test-page")
        self.kiosk.store.append_audit("print.test_page", f"job:{job_id}", {"job": job_id, "by": "panel"},
                                      records=[f"print_job:{job_id}"])
        if not status.ready and status.fault is None:
            return ActionResult(False, f"测试页已排队（任务 {job_id}），{status.describe_zh()}；处理后自动打印 · "
                                       f"queued: {status.describe_en()}")
        return self._waited(job_id, "测试页")

    def _waited(self, job_id: int, what: str) -> ActionResult:
        from kiosk.services.job_advice import wait_for_jobs

        record = wait_for_jobs(self.kiosk.queue, [job_id], self.print_wait_seconds)[0]
        if record.state == "done":
            return ActionResult(True, f"{what}已打印（任务 {job_id}，{record.size} 字节）· printed")
        words = JOB_STATE_WORDS.get(record.state, record.state)
        reason = f"：{record.last_error}" if record.last_error else ""
        return ActionResult(False, f"{what}未打印（任务 {job_id}，{words}{reason}）")

    def waiting_jobs(self) -> list[JobRow]:
        """Jobs that need an operator (queued, failed and not retried, uncertain), oldest first; and a job
        printing right now (no action offered: in a running kiosk it is in the printer's hands)."""
        from kiosk.services.job_advice import advice, superseded

        jobs = self.kiosk.queue.jobs()
        copies = superseded(jobs)
        return [
            JobRow(job.id, job.state, JOB_STATE_WORDS.get(job.state, job.state), job.kind, job.reference,
                   job.last_error, job.created_at, job_actions(job, copies))
            for job in jobs if advice(job, copies)
        ]

    def _job(self, job_id: int) -> tuple[JobRecord, tuple[str, ...]]:
        from kiosk.services.job_advice import superseded
        from printers.errors import QueueError

        try:
            job = self.kiosk.queue.get(job_id)
        except QueueError as exc:
            raise TechnicianError(str(exc)) from None
        return job, job_actions(job, superseded(self.kiosk.queue.jobs()))

    def reprint_job(self, job_id: int) -> ActionResult:
        """重新打印: a queued job is sent again when the printer is ready (the same job: it prints once); a
        failed or uncertain one is copied (PrintQueue.reprint) to this kiosk's printer and sent."""
        from printers.errors import QueueError

        job, actions = self._job(job_id)
        if "retry" in actions:
            status = self.printer_status()
            if not status.ready:
                still = "仍在排队" if job.state == "queued" else "仍保留待处理"
                return ActionResult(False, f"任务 {job_id} {still}：{status.describe_zh()} · {status.describe_en()}")
            self.kiosk.store.append_audit("print.retried", "print_jobs", {"jobs": [job_id], "by": "panel"})
            self.kiosk.queue.send_now(job_id, printer=self.kiosk.printer_url)  # held: released; queued: woken
            return self._waited(job_id, "")
        if "reprint" not in actions:
            return ActionResult(False, f"任务 {job_id} 无需处理（{JOB_STATE_WORDS.get(job.state, job.state)}）")
        try:
            copy_id = self.kiosk.queue.reprint(job_id, printer=self.kiosk.printer_url)
        except QueueError as exc:
            return ActionResult(False, str(exc))
        self.kiosk.store.append_audit("print.reprinted", job.reference or f"job:{job_id}",
                                      {"job": job_id, "copy": copy_id, "by": "panel"},
                                      records=[f"print_job:{copy_id}"])
        return self._waited(copy_id, f"任务 {job_id} 的副本")

    def confirm_job(self, job_id: int) -> ActionResult:
        """确认已打印: the operator saw a failed or uncertain job come out whole (PrintQueue.mark_done)."""
        from printers.errors import QueueError

        job, actions = self._job(job_id)
        if "done" not in actions:
            return ActionResult(False, f"任务 {job_id} 是{JOB_STATE_WORDS.get(job.state, job.state)}，不能确认")
        try:
            self.kiosk.queue.mark_done(job_id)
        except QueueError as exc:
            return ActionResult(False, str(exc))
        self.kiosk.store.append_audit("print.confirmed", job.reference or f"job:{job_id}",
                                      {"job": job_id, "by": "panel"})
        return ActionResult(True, f"任务 {job_id} 已确认打印 · marked printed")

    def cancel_job(self, job_id: int) -> ActionResult:
        """取消任务: a job that has not printed is never sent (PrintQueue.cancel), audited."""
        from printers.errors import QueueError

        job, actions = self._job(job_id)
        if "cancel" not in actions:
            return ActionResult(False, f"任务 {job_id} 是{JOB_STATE_WORDS.get(job.state, job.state)}，不能取消 · "
                                       "cannot be cancelled")
        try:
            self.kiosk.queue.cancel(job_id, "cancelled by the technician (panel)")
        except QueueError as exc:
            return ActionResult(False, f"任务 {job_id} 不能取消：{exc}")
        self.kiosk.store.append_audit("print.cancelled", job.reference or f"job:{job_id}",
                                      {"job": job_id, "state": job.state, "by": "panel"},
                                      records=[f"print_job:{job_id}"])
        return ActionResult(True, f"任务 {job_id} 已取消，不会再打印 · cancelled")

    # -- the reader ------------------------------------------------------------------------------------

    def read_test(self, read: Callable[[float], Any] | None,
                  timeout: float = READ_TEST_SECONDS) -> ActionResult:
        """读卡测试 on the reader the app holds: SAM status and ID, then the card laid on it within
        `timeout` (`read(timeout)` -> a CardRead or None), the ID number masked. Audited without it."""
        check = self.reader_check()
        lines = [check_line(check)]
        if read is None:
            return ActionResult(False, "\n".join([*lines, "读卡测试不可用 · no reader to test"]))
        if self._reader() is None:
            return ActionResult(False, "\n".join(lines))
        event = read(timeout)
        if event is None:
            lines.append(f"{timeout:g} 秒内没有读到卡：请把身份证放在读卡区 · no card within {timeout:g} s")
            ok = False
        else:
            card = event.card
            lines.append(f"✔ 读卡成功 card read: {card.display_name} · {card.masked_id_number} · "
                         f"{card.card_type} · 有效期至 {card.valid_to.isoformat() if card.valid_to else '长期'}")
            ok = check.ok
        self.kiosk.store.append_audit("technician.read_test", "technician-panel",
                                      {"card_read": event is not None, "sam_ok": check.ok})
        return ActionResult(ok, "\n".join(lines))

    # -- the catalog ----------------------------------------------------------------------------------

    def catalog_rows(self) -> list[dict[str, Any]]:
        """Every catalog item with its switch: id, title, 秒批 or not, enabled on this kiosk."""
        disabled = set(self.kiosk.config.catalog.disabled)
        rows = []
        for spec in self.kiosk.catalog.values():
            rows.append({"id": spec.id, "title": spec.title, "department": spec.department,
                         "instant": spec.mode == "instant", "enabled": spec.id not in disabled})
        return sorted(rows, key=lambda row: (not row["instant"], row["id"]))

    def set_item_enabled(self, config: ConfigDesk, service_id: str, enabled: bool) -> SaveOutcome:
        """Switch one item on or off for the applicants of this kiosk (config `catalog.disabled`)."""
        from kiosk.services.tech_config import SaveOutcome

        if service_id not in self.kiosk.catalog:
            return SaveOutcome(False, f"没有事项 {service_id} · no such item")
        disabled = [item for item in self.kiosk.config.catalog.disabled if item != service_id]
        if not enabled:
            disabled.append(service_id)
        word = "启用" if enabled else "停用"
        return config.save({"catalog.disabled": sorted(disabled)}, f"事项{word} {service_id}")

    # -- records --------------------------------------------------------------------------------------

    def verify_audit(self) -> ActionResult:
        report = self.kiosk.store.verify_audit()
        if report.ok:
            return ActionResult(True, f"审计日志完好：{report.rows_checked} 行，无修改、无删除 · "
                                      f"audit chain OK ({report.rows_checked} rows)")
        where = f"第 {report.first_bad_id} 行" if report.first_bad_id is not None else "记录与日志不符"
        return ActionResult(False, f"审计日志被改动：{where} · audit log BROKEN: "
                                   f"{report.reason}；请保留数据库副本并上报")

    def config_rows(self) -> list[tuple[str, str]]:
        return config_summary(self.kiosk.config, self.kiosk.data_dir)

    def record(self, event: str, detail: dict[str, Any] | None = None) -> None:
        """An audit row for the panel itself (unlocked, PIN refused, locked out, quit). Never the PIN."""
        self.kiosk.store.append_audit(event, "technician-panel", detail or {})

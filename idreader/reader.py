"""The card-reader driver: one thread owns the serial port, polls for cards and reports typed events.

Wire format: SAM_V frames (`idreader.protocol`) over any pyserial URL or port name, or sim:// (see
`idreader.ports` for the address forms and the `?baudrate=` option). Sequence per card:
find (20 01) -> select (20 02) -> read text+photo (30 01). After a card has been read (or failed a
read) it is only reported as gone when find no longer sees a new card and select fails; the next card
is reported only after that ("find fails until the card is removed", spec §8).

A read spoilt on the wire (bad checksum, garbage, a reply cut short, silence, 41 read failed) is not
reported at once: the next poll re-finds and re-selects the card and reads it again, up to
`ReaderSettings.read_retries` times. If select then fails, the card was lifted during the read
(`ReaderFault` "card_lifted", then `CardRemoved`); if the card is still there and the retries failed
too, it is a reader fault ("read_failed", 读卡失败，请重新放置) and the card must be placed again.
A reply that has begun and then stops for `ReaderSettings.reply_gap` is cut short at once (a card
lifted mid-read stops the reply: the lift is told in about a quarter of a second, not after the whole
read timeout).
A corrupted reply to a find or select outside a read is likewise only reported when the next poll
is corrupted too ("bad_frame"), and silence there only when the next poll is silent too
(`ReaderSettings.silences_before_fault`, "no_response"): one reply lost on a busy line asks again
without telling the applicant that the reader failed.

Events (`on_event(event)` is called on the reader thread; every event also goes to `events`, a
thread-safe queue): `ReaderReady` (port open and SAM healthy, again after any fault clears),
`CardDetected` (a new card answered find; its select and read follow at once, so a screen can say
正在读取 before the ~0.1 s of wire time), `CardRead`, `CardRemoved`, `ReaderFault` (kind, Chinese
message for the applicant, technical detail for logs, and whether the driver recovers by itself).
A lost port is reopened with exponential backoff. `stop()` returns within
`ReaderSettings.stop_timeout` whatever the device does.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import serial

from idreader.cards import decode_read_reply
from idreader.errors import (
    CardDataError,
    FrameError,
    PortError,
    ReaderError,
    ReaderTimeout,
    StatusError,
)
from idreader.faults import ReaderFaultKind
from idreader.idcard import IdCard
from idreader.ports import PortOpener
from idreader.protocol import HEADER_SIZE, Command, Frame, FrameDecoder, Sw3, format_sam_id, request
from idreader.simulator import SimulatedReader

MIN_POLL_INTERVAL_SECONDS = 0.1
READ_SLICE_SECONDS = 0.05
MIN_READ_SLICE_SECONDS = 0.005  # the last look at the line before a deadline passes

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReaderSettings:
    """Named timeouts, all in seconds (measured with time.monotonic())."""

    short_timeout: float = 0.5  # find, select, SAM status / ID, reset
    read_timeout: float = 3.0  # read text + photo (the SAM may take a while before the first byte)
    reply_gap: float = 0.25  # a reply that has begun and then stops this long is cut (a card lifted mid-read)
    poll_interval: float = 0.15  # between two finds; never below MIN_POLL_INTERVAL_SECONDS
    reopen_backoff_initial: float = 0.5
    reopen_backoff_max: float = 8.0
    silences_before_fault: int = 2  # consecutive silent polls before "no answer" is reported (one is asked again)
    timeouts_before_reopen: int = 3  # consecutive silent replies before the port is reopened
    stop_timeout: float = 2.0
    read_retries: int = 1  # a spoilt read is tried again (re-select + read) this often before a fault

    def __post_init__(self) -> None:
        if self.poll_interval < MIN_POLL_INTERVAL_SECONDS:
            raise ValueError(f"poll_interval must be at least {MIN_POLL_INTERVAL_SECONDS} s")
        if self.read_retries < 0:
            raise ValueError("read_retries must be 0 or more")
        if self.reply_gap <= 0:
            raise ValueError("reply_gap must be above 0 s")
        if not 1 <= self.silences_before_fault <= self.timeouts_before_reopen:
            raise ValueError("silences_before_fault must be from 1 to timeouts_before_reopen")


# --- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReaderReady:
    """The reader answered: its address and SAM id."""

    url: str
    sam_id: str


@dataclass(frozen=True)
class CardDetected:
    """A new card answered find: its read starts now (a screen says 正在读取，请不要移动证件)."""


@dataclass(frozen=True)
class CardRead:
    """A card was read: the holder's data, and how long the read took."""

    card: IdCard
    seconds: float  # from the find that saw the card to the decoded IdCard


@dataclass(frozen=True)
class CardRemoved:
    """The card left the reader."""

    pass


@dataclass(frozen=True)
class ReaderFault:
    """The reader failed (the kind and message say how)."""

    kind: ReaderFaultKind
    message_zh: str  # for the applicant: what happened and what to do
    detail: str  # for logs and staff (never holds an ID number)
    recoverable: bool  # True: the driver retries by itself; False: staff must act


ReaderEvent = ReaderReady | CardDetected | CardRead | CardRemoved | ReaderFault

FAULT_MESSAGES: dict[ReaderFaultKind, tuple[str, bool]] = {
    ReaderFaultKind.PORT_UNAVAILABLE: ("读卡器未连接，正在重试。如持续出现请联系工作人员。", True),
    ReaderFaultKind.PORT_LOST: ("读卡器连接中断，正在重新连接，请稍候。", True),
    ReaderFaultKind.NO_RESPONSE: ("读卡器无响应，请稍候再试。", True),
    ReaderFaultKind.BAD_FRAME: ("读卡出错，请拿起身份证后重新放平放置。", True),
    ReaderFaultKind.READ_INTERRUPTED: ("读卡未完成，请将身份证平放在读卡区，不要移动。", True),
    ReaderFaultKind.CARD_LIFTED: ("读卡过程中证件被移开，请放回证件，读取完成前不要移动。", True),
    ReaderFaultKind.READ_FAILED: ("读卡失败，请重新放置。如仍不成功，请联系工作人员。", True),
    ReaderFaultKind.CARD_REJECTED: ("无法识别此证件，请确认放置的是有效的身份证件。", True),
    ReaderFaultKind.CARD_DATA: ("证件信息无法解析，请到人工窗口办理。", True),
    ReaderFaultKind.SAM_FAILURE: ("读卡器安全模块故障，请联系工作人员。", False),
    ReaderFaultKind.READER_ERROR: ("读卡器出错，请稍候再试。", True),
}


def make_fault(kind: str, detail: str) -> ReaderFault:
    kind = ReaderFaultKind(kind)  # ValueError for a word that is not a fault kind
    message, recoverable = FAULT_MESSAGES[kind]
    return ReaderFault(kind, message, detail, recoverable)


class _Stopped(Exception):
    """Internal: the reader was asked to stop in the middle of a transaction."""


# --- one transaction at a time over an open port ---------------------------------------------------


class ReaderLink:
    """Synchronous commands over an open serial port (used by the reader thread and the CLI)."""

    def __init__(self, port: serial.SerialBase, settings: ReaderSettings | None = None,
                 stop_event: threading.Event | None = None) -> None:
        self.port = port
        self.settings = settings or ReaderSettings()
        self._stop = stop_event or threading.Event()
        self.last_reply_at = 0.0  # time.monotonic() when the last byte of the last reply arrived

    def transact(self, frame: bytes, timeout: float) -> Frame:
        """Send one request and return the reply frame; ReaderTimeout if it is not whole in time."""
        port = self.port
        port.reset_input_buffer()
        port.write(frame)
        decoder = FrameDecoder()
        deadline = time.monotonic() + timeout
        silence = 0.0  # seconds this thread has waited on an empty line since the last byte
        while True:
            if self._stop.is_set():
                raise _Stopped
            expected = decoder.expected_size()
            want = expected - decoder.pending if expected else HEADER_SIZE - decoder.pending
            slice_seconds = min(READ_SLICE_SECONDS, max(deadline - time.monotonic(), MIN_READ_SLICE_SECONDS))
            if port.timeout != slice_seconds:
                port.timeout = slice_seconds
            began = time.monotonic()
            chunk = port.read(max(want, 1))
            if chunk:
                silence = 0.0
                decoder.feed(chunk)
                reply = decoder.next_frame()
                if reply is not None:
                    self.last_reply_at = time.monotonic()
                    return reply
                continue
            # Only an empty read counts, and only for the time it waited: a pause of this whole process
            # (a garbage collection, a busy GUI thread) is not the line falling silent, and bytes that
            # arrived meanwhile are read above before any verdict.
            silence += min(time.monotonic() - began, slice_seconds)
            if decoder.pending and silence > self.settings.reply_gap:
                what = f"{decoder.pending} of {expected}" if expected else f"{decoder.pending}"
                raise ReaderTimeout(f"reply cut short: {what} bytes, then nothing for "
                                    f"{self.settings.reply_gap:g} s", decoder.pending)
            if time.monotonic() >= deadline:
                received = decoder.pending
                if received == 0:
                    raise ReaderTimeout(f"no reply within {timeout:g} s", 0)
                what = f"{received} of {expected}" if expected else f"{received}"
                raise ReaderTimeout(f"reply cut short: {what} bytes within {timeout:g} s", received)

    def command(self, command: Command, timeout: float | None = None) -> Frame:
        return self.transact(request(command), self.settings.short_timeout if timeout is None else timeout)

    def sam_status(self) -> int:
        """The SW3 of a SAM status check (0x90 healthy, 0x60 self-test failed)."""
        return self.command(Command.SAM_STATUS).sw3

    def sam_id(self) -> str:
        reply = self.command(Command.SAM_ID).expect(Sw3.SUCCESS)
        return format_sam_id(reply.data)

    def reset_sam(self) -> int:
        return self.command(Command.RESET_SAM).sw3

    def find(self) -> bool:
        """True when a new card is in the field (9F), False for 80; StatusError otherwise."""
        return self.command(Command.FIND_CARD).expect(Sw3.FIND_OK, Sw3.FIND_FAILED).sw3 == Sw3.FIND_OK

    def select(self) -> bool:
        return self.command(Command.SELECT_CARD).expect(Sw3.SUCCESS, Sw3.SELECT_FAILED).sw3 == Sw3.SUCCESS

    def read_card(self) -> IdCard:
        return decode_read_reply(self.command(Command.READ_TEXT_PHOTO, self.settings.read_timeout))


# --- the reader thread ----------------------------------------------------------------------------


class CardReader:
    """Polls a reader on its own thread and reports events.

        reader = CardReader("sim://?card=adult", on_event=print)
        reader.start(); ...; reader.stop()

    Events go to `on_event` when one is given, otherwise to the `events` queue for a caller that
    polls it (never to both: a queue nobody reads would keep every card read, its holder's data and
    photo, for as long as the reader runs).
    """

    def __init__(self, url: str | PortOpener, on_event: Callable[[ReaderEvent], None] | None = None,
                 settings: ReaderSettings | None = None) -> None:
        self._owns_opener = not isinstance(url, PortOpener)
        self.opener = PortOpener.for_url(url) if isinstance(url, str) else url
        self.settings = settings or ReaderSettings()
        self.on_event = on_event
        self.events: queue.Queue[ReaderEvent] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._requests: queue.Queue[tuple[Callable[[ReaderLink], object], Future[object]]] = queue.Queue()
        self._link: ReaderLink | None = None
        self._card_in_field = False
        self._reread = False  # the last read of the card in the field was spoilt: read it again
        self._read_failures = 0  # consecutive spoilt reads of the card in the field
        self._read_started = 0.0  # when the find that saw the card in the field answered
        self._glitches = 0  # consecutive corrupted replies to find / select outside a read
        self._fault_kind: ReaderFaultKind | None = None
        self._timeouts = 0
        self._sam_id = ""

    @property
    def simulator(self) -> SimulatedReader | None:
        """The simulator behind a sim:// address (place_card, remove_card, inject_fault), else None."""
        return self.opener.simulator

    @property
    def url(self) -> str:
        return self.opener.url

    def start(self) -> CardReader:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"idreader {self.url}", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> bool:
        """Stop the thread and close the port; True when it ended within the stop timeout."""
        self._stop.set()
        ended = True
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(self.settings.stop_timeout)
            ended = not self._thread.is_alive()
        if self._owns_opener:
            self.opener.close()
        return ended

    def __enter__(self) -> CardReader:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def diagnose(self, timeout: float = 5.0) -> dict[str, str]:
        """SAM status and SAM ID, asked on the reader thread (which owns the port)."""

        def ask(link: ReaderLink) -> dict[str, str]:
            status = link.sam_status()
            return {"sam_status": f"0x{status:02X}", "sam_id": link.sam_id() if status == Sw3.SUCCESS else ""}

        future: Future[object] = Future()
        self._requests.put((ask, future))
        try:
            result = future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise ReaderTimeout(f"the reader thread did not answer within {timeout:g} s") from None
        assert isinstance(result, dict)
        return result

    # --- thread body ------------------------------------------------------------------------

    def _emit(self, event: ReaderEvent) -> None:
        if isinstance(event, ReaderFault):
            _log.warning("reader %s: %s (%s)", self.url, event.kind, event.detail)
        if self.on_event is None:
            self.events.put(event)
        else:
            try:
                self.on_event(event)
            except Exception:
                _log.exception("reader event handler failed")

    def _fault(self, kind: ReaderFaultKind, detail: str) -> None:
        if kind != self._fault_kind:
            self._fault_kind = kind
            self._emit(make_fault(kind, detail))

    def _healthy(self) -> None:
        if self._fault_kind is not None:
            self._fault_kind = None
            self._emit(ReaderReady(self.url, self._sam_id))

    def _run(self) -> None:
        backoff = self.settings.reopen_backoff_initial
        try:
            while not self._stop.is_set():
                if self._link is None:
                    if self._connect():
                        backoff = self.settings.reopen_backoff_initial
                    else:
                        self._stop.wait(backoff)
                        backoff = min(backoff * 2, self.settings.reopen_backoff_max)
                        continue
                self._serve_requests()
                self._poll_once()
                self._stop.wait(self.settings.poll_interval)
        except _Stopped:
            pass
        finally:
            self._close_link()
            self._fail_requests()

    def _connect(self) -> bool:
        try:
            port = self.opener.open(READ_SLICE_SECONDS)
        except PortError as exc:
            self._fault(ReaderFaultKind.PORT_UNAVAILABLE if self._fault_kind != ReaderFaultKind.PORT_LOST
                        else ReaderFaultKind.PORT_LOST, str(exc))
            return False
        self._link = ReaderLink(port, self.settings, self._stop)
        try:
            status = self._link.sam_status()
            if status != Sw3.SUCCESS:
                self._link.reset_sam()
                status = self._link.sam_status()
            if status != Sw3.SUCCESS:
                raise StatusError(status, f"SAM status check answered 0x{status:02X}")
            self._sam_id = self._link.sam_id()
        except _Stopped:
            raise
        except StatusError as exc:
            self._fault(ReaderFaultKind.SAM_FAILURE, str(exc))
            self._close_link()
            return False
        except (ReaderError, serial.SerialException, OSError) as exc:
            self._fault(ReaderFaultKind.NO_RESPONSE, f"reader at {self.url} did not answer the SAM check: {exc}")
            self._close_link()
            return False
        self._fault_kind = None
        self._timeouts = 0
        self._emit(ReaderReady(self.url, self._sam_id))
        return True

    def _close_link(self) -> None:
        if self._link is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                self._link.port.close()
            self._link = None

    def _serve_requests(self) -> None:
        while True:
            try:
                action, future = self._requests.get_nowait()
            except queue.Empty:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                assert self._link is not None
                future.set_result(action(self._link))
            except _Stopped:
                future.set_exception(ReaderError("the reader was stopped"))
                raise
            except Exception as exc:
                future.set_exception(exc)

    def _fail_requests(self) -> None:
        while True:
            try:
                _, future = self._requests.get_nowait()
            except queue.Empty:
                return
            if future.set_running_or_notify_cancel():
                future.set_exception(ReaderError("the reader is stopped"))

    def _poll_once(self) -> None:
        link = self._link
        assert link is not None
        stage = "find"
        try:
            if self._reread:
                stage = "read"
                self._read_again(link)
            elif self._card_in_field:
                if link.find():
                    self._card_in_field = False
                    self._emit(CardRemoved())  # the old card left and a new one is already there
                    stage = "read"
                    self._read_new_card(link, time.monotonic())
                elif not link.select():
                    self._card_in_field = False
                    self._emit(CardRemoved())
            else:
                started = time.monotonic()
                if link.find():
                    stage = "read"
                    self._read_new_card(link, started)
            self._timeouts = 0
            self._glitches = 0
            self._healthy()
        except ReaderTimeout as exc:
            self._timeouts += 1
            if stage == "read":
                self._spoilt_read(f"{exc}")
            elif exc.received:
                self._glitch(f"{stage}: {exc}")
            elif self._timeouts >= self.settings.silences_before_fault:
                self._fault(ReaderFaultKind.NO_RESPONSE, f"{stage}: {exc}")
            else:  # one lost reply on a busy line is not a fault the applicant should see: ask again
                _log.info("reader %s: no reply to %s (%s); asking again", self.url, stage, exc)
            if self._timeouts >= self.settings.timeouts_before_reopen:
                self._close_link()
                self._timeouts = 0
        except FrameError as exc:
            if stage == "read":
                self._spoilt_read(f"{exc}")
            else:
                self._glitch(f"{stage}: {exc}")
        except StatusError as exc:
            if stage == "read" and exc.code in (Sw3.READ_FAILED, Sw3.SELECT_FAILED):
                self._spoilt_read(f"{exc}")
                return
            self._reread = False
            kind = _status_fault_kind(exc.code)
            self._fault(kind, f"{stage}: {exc}")
            if kind == ReaderFaultKind.SAM_FAILURE:
                self._close_link()  # reconnecting resets the SAM, with backoff
        except CardDataError as exc:
            self._reread = False
            self._fault(ReaderFaultKind.CARD_DATA, f"{stage}: {exc}")
        except (serial.SerialException, OSError) as exc:
            self._close_link()
            self._card_in_field = self._reread = False
            self._fault(ReaderFaultKind.PORT_LOST, f"{self.url}: {exc}")

    def _read_new_card(self, link: ReaderLink, started: float) -> None:
        self._card_in_field = True  # from here on, the card must leave before another is reported
        self._read_started = started
        self._read_failures = 0
        self._emit(CardDetected())
        if not link.select():
            raise StatusError(Sw3.SELECT_FAILED, "select card failed after a successful find")
        card = link.read_card()
        self._card_read(card)

    def _read_again(self, link: ReaderLink) -> None:
        """The last read of the card in the field was spoilt: find and select it again, read again."""
        link.find()  # 80 on most readers (the card was seen already); 9F on some: the same card
        if not link.select():  # the card is gone: it was lifted while it was being read
            self._reread = self._card_in_field = False
            self._read_failures = 0
            self._fault(ReaderFaultKind.CARD_LIFTED, "the card left the field before its read finished")
            self._emit(CardRemoved())
            return
        card = link.read_card()
        self._card_read(card)

    def _card_read(self, card: IdCard) -> None:
        self._reread = False
        self._read_failures = 0
        self._healthy()
        self._emit(CardRead(card, time.monotonic() - self._read_started))

    def _spoilt_read(self, detail: str) -> None:
        """A read went wrong on the wire: try again on the next poll, or give up and report it."""
        self._read_failures += 1
        tries = self._read_failures
        if tries <= self.settings.read_retries:
            self._reread = True
            _log.info("reader %s: read %d spoilt (%s); reading again", self.url, tries, detail)
            return
        self._reread = False
        self._read_failures = 0
        self._fault(ReaderFaultKind.READ_FAILED,
                    f"reader fault: {tries} reads of the card in place failed, last: {detail}; "
                    "check the reader and its cable if this repeats")

    def _glitch(self, detail: str) -> None:
        """A corrupted reply outside a read: the next poll asks again; report it only if it repeats."""
        self._glitches += 1
        if self._glitches > self.settings.read_retries:
            self._fault(ReaderFaultKind.BAD_FRAME, detail)
        else:
            _log.info("reader %s: corrupted reply (%s); asking again", self.url, detail)


def _status_fault_kind(code: int) -> ReaderFaultKind:
    if code in (Sw3.SAM_SELF_TEST_FAILED, Sw3.SAM_NOT_AUTHORISED):
        return ReaderFaultKind.SAM_FAILURE
    if code in (Sw3.READ_FAILED, Sw3.SELECT_FAILED):
        return ReaderFaultKind.READ_INTERRUPTED
    if code in (Sw3.CARD_AUTH_SAM_FAILED, Sw3.SAM_AUTH_CARD_FAILED, Sw3.VERIFY_ERROR, Sw3.UNKNOWN_CARD_TYPE):
        return ReaderFaultKind.CARD_REJECTED
    return ReaderFaultKind.READER_ERROR


def read_one_card(url: str, timeout: float = 10.0, settings: ReaderSettings | None = None) -> IdCard:
    """Block until one card is read from `url` (or raise ReaderTimeout / ReaderError after `timeout`).

        card = read_one_card("socket://127.0.0.1:7001", timeout=10)
    """
    reader = CardReader(url, settings=settings).start()
    deadline = time.monotonic() + timeout
    last_fault: ReaderFault | None = None
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                why = f"; last fault: {last_fault.kind} ({last_fault.detail})" if last_fault else ""
                raise ReaderTimeout(f"no card read from {url} within {timeout:g} s{why}")
            try:
                event = reader.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if isinstance(event, CardRead):
                return event.card
            if isinstance(event, ReaderFault):
                last_fault = event
    finally:
        reader.stop()

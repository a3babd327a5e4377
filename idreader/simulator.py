"""A faithful SAM_V ID-card reader simulator, served on a pty or a TCP port.

Wire format: exactly the frames of specs/idcard-protocol.md (see `idreader.protocol`), paced at the
configured baud rate (10 bits per byte, 8N1) in both directions, so a 1295-byte read reply takes
~112 ms at 115200 bps and ~1.35 s at 9600 bps. Behaviour modelled after real readers:

- find (20 01) answers 9F only for a card that has not been read (or failed a read) since it was put
  in the field; afterwards find answers 80 until the card is removed ("find fails until removed");
- select (20 02) answers 90 while a card is in the field, 81 otherwise;
- read (30 01 / 30 10) answers 90 with text + photo (+ an empty fingerprint block) after a select,
  41 otherwise; 30 03 (additional address) answers 91 "no content";
- SAM status, SAM ID (a synthetic 16-byte vector), reset, set baud rate, RF frame size; a host frame
  with a bad XOR gets 10, an impossible length 11, an unknown command 21.

Control methods (`place_card`, `remove_card`, `inject_fault`, `clear_faults`) are thread-safe and
may be called from any thread while a server thread answers the host. Faults (`FAULTS`):
silence, garbage (bytes before the preamble), bad_checksum, truncated (reply cut short),
lift_mid_read (the next read reply is cut and the card leaves the field), sam_failure (every command
answers 60 until `clear_faults()`), disconnect (a TCP server drops the connection).

Servers: `PtyServer` (os.openpty; `.url` is the /dev/pts/N path) and `TcpServer` (`.url` is
`socket://HOST:PORT`; port 0 picks a free one). Both run one daemon thread and stop within ~0.1 s.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from idreader import demo_cards
from idreader.cards import encode_text_block
from idreader.errors import ChecksumError, FrameError, LengthError, SimulatorError
from idreader.idcard import IdCard
from idreader.photo import placeholder_wlt
from idreader.protocol import (
    BAUD_RATE_CODES,
    MIN_REQUEST_LEN,
    Frame,
    FrameDecoder,
    Sw3,
    encode_read_response,
    encode_response,
)

FAULT_TARGETS = ("any", "status", "sam_id", "find", "select", "read")
_TARGET_BY_KEY = {
    (0x11, 0xFF): "status", (0x10, 0xFF): "status", (0x12, 0xFF): "sam_id", (0x20, 0x01): "find",
    (0x20, 0x02): "select", (0x30, 0x01): "read", (0x30, 0x10): "read",
}
FAULTS = ("silence", "garbage", "bad_checksum", "truncated", "lift_mid_read", "sam_failure", "disconnect")
SAM_ID_BYTES = bytes.fromhex("05000100 91B73201 39300000 D2029649")
GARBAGE = b"\x00\xaa\x55\xaa\xaa\x96\x13"
BITS_PER_BYTE = 10
PACING_SLICE_SECONDS = 0.004
SERVER_POLL_SECONDS = 0.05
_BAUD_BY_CODE = {code: rate for rate, code in BAUD_RATE_CODES.items()}


@dataclass(frozen=True)
class Reply:
    """What the simulated reader puts on the wire for one request."""

    data: bytes = b""
    disconnect: bool = False


def load_card(spec: str | Path | IdCard) -> IdCard:
    """An IdCard from a demo card name, an IdCard JSON file path, or an IdCard (see demo_cards.load)."""
    return demo_cards.load(spec)


class SimulatedReader:
    """The reader's behaviour, independent of any transport. Thread-safe."""

    def __init__(
        self,
        cards: Iterable[str | Path | IdCard] = (),
        baudrate: int = 115200,
        hold_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`cards` is a deck: the first is placed at once. With `hold_seconds`, a card that was read
        is taken away that long after the read and the next card of the deck placed as long again
        later (for the stand-alone `simulate` command); without it cards move only on command."""
        self._lock = threading.RLock()
        self._request_seen = threading.Condition(self._lock)
        self._deck = [load_card(card) for card in cards]
        self._deck_index = 0
        self._hold = hold_seconds
        self._clock = clock
        self.baudrate = baudrate
        self._card: IdCard | None = None
        self._blocks: tuple[bytes, bytes] | None = None
        self._selected = False
        self._read_attempted = False
        self._read_at: float | None = None
        self._removed_at: float | None = None
        self._faults: list[tuple[str, str]] = []
        self._sam_failed = False
        self.requests_seen = 0
        if self._deck:
            self.place_card(self._deck[0])

    # --- control (any thread) -----------------------------------------------------------------

    def place_card(self, card: str | Path | IdCard) -> IdCard:
        """Put a card (an IdCard, a demo card name or a JSON file) in the field, replacing any other."""
        loaded = load_card(card)
        photo = loaded.photo_wlt if loaded.photo_wlt is not None else placeholder_wlt(len(loaded.name))
        blocks = (encode_text_block(loaded), photo)
        with self._lock:
            self._card, self._blocks = loaded, blocks
            self._selected = self._read_attempted = False
            self._read_at = self._removed_at = None
        return loaded

    def remove_card(self) -> None:
        with self._lock:
            self._card = self._blocks = None
            self._selected = self._read_attempted = False
            self._read_at = None

    @property
    def current_card(self) -> IdCard | None:
        with self._lock:
            self._advance_deck()
            return self._card

    def inject_fault(self, kind: str, count: int = 1, on: str = "any") -> None:
        """Arm a fault for the next `count` replies to `on` (a command name in FAULT_TARGETS);
        sam_failure stays until `clear_faults()`, lift_mid_read always waits for a read."""
        if kind not in FAULTS:
            raise SimulatorError(f"unknown fault {kind!r}; known: {', '.join(FAULTS)}")
        if on not in FAULT_TARGETS:
            raise SimulatorError(f"unknown fault target {on!r}; known: {', '.join(FAULT_TARGETS)}")
        with self._lock:
            if kind == "sam_failure":
                self._sam_failed = True
            else:
                self._faults.extend([(kind, "read" if kind == "lift_mid_read" else on)] * count)

    @property
    def armed_faults(self) -> list[tuple[str, str]]:
        """The faults not yet applied, as (kind, target); ("sam_failure", "any") while that lasts."""
        with self._lock:
            return list(self._faults) + ([("sam_failure", "any")] if self._sam_failed else [])

    def wait_for_requests(self, count: int, timeout: float) -> bool:
        """Block until `count` host frames have been received in total (False on timeout)."""
        with self._request_seen:
            return self._request_seen.wait_for(lambda: self.requests_seen >= count, timeout)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._sam_failed = False

    # --- the host side (server thread) -------------------------------------------------------

    def handle_bad_frame(self, error: FrameError) -> Reply:
        code = Sw3.CHECKSUM_ERROR if isinstance(error, ChecksumError) else Sw3.LENGTH_ERROR
        return Reply(encode_response(code))

    def handle(self, request: Frame) -> Reply:
        """The reply to one well-formed host frame, with any armed fault applied."""
        with self._lock:
            self.requests_seen += 1
            self._request_seen.notify_all()
            self._advance_deck()
            key = (request.cmd, request.para)
            target = _TARGET_BY_KEY.get(key, "other")
            if self._take_fault("silence", target):
                return Reply()
            if self._take_fault("disconnect", target):
                return Reply(disconnect=True)
            if self._sam_failed:
                return Reply(encode_response(Sw3.SAM_SELF_TEST_FAILED))
            if target == "read" and self._card is not None and self._selected \
                    and self._take_fault("lift_mid_read", target):
                data = self._answer(key, request)
                self.remove_card()
                return Reply(data[: len(data) // 3])
            data = self._answer(key, request)
            if self._take_fault("garbage", target):
                data = GARBAGE + data
            if self._take_fault("bad_checksum", target):
                data = data[:-1] + bytes([data[-1] ^ 0x5A])
            if self._take_fault("truncated", target):
                data = data[: max(len(data) // 2, 8)]
            return Reply(data)

    def _take_fault(self, kind: str, target: str) -> bool:
        for index, (armed, on) in enumerate(self._faults):
            if armed == kind and on in ("any", target):
                del self._faults[index]
                return True
        return False

    def _answer(self, key: tuple[int, int | None], request: Frame) -> bytes:
        card_here = self._card is not None
        if key in ((0x10, 0xFF), (0x11, 0xFF)):
            return encode_response(Sw3.SUCCESS)
        if key == (0x12, 0xFF):
            return encode_response(Sw3.SUCCESS, SAM_ID_BYTES)
        if key == (0x20, 0x01):
            if card_here and not self._read_attempted:
                return encode_response(Sw3.FIND_OK, bytes(4))
            return encode_response(Sw3.FIND_FAILED)
        if key == (0x20, 0x02):
            self._selected = card_here
            return encode_response(Sw3.SUCCESS, bytes(8)) if card_here else encode_response(Sw3.SELECT_FAILED)
        if key in ((0x30, 0x01), (0x30, 0x10)):
            if not (card_here and self._selected) or self._blocks is None:
                self._read_attempted = card_here
                return encode_response(Sw3.READ_FAILED)
            self._read_attempted = True
            self._read_at = self._clock()
            text, photo = self._blocks
            return encode_read_response(text, photo, b"" if key[1] == 0x10 else None)
        if key == (0x30, 0x03):
            return encode_response(Sw3.NO_CONTENT if card_here and self._selected else Sw3.READ_FAILED)
        if key == (0x30, 0x05):
            return encode_response(Sw3.NO_CONTENT)
        if request.cmd == 0x60 and request.para in _BAUD_BY_CODE and not request.request_data:
            return encode_response(Sw3.SUCCESS)
        if request.cmd == 0x61 and request.para == 0xFF and len(request.request_data) == 1:
            return encode_response(Sw3.SUCCESS)
        return encode_response(Sw3.COMMAND_ERROR)

    def after_reply(self, request: Frame) -> None:
        """Effects that take place once the reply is on the wire (a new baud rate)."""
        if request.cmd == 0x60 and request.para in _BAUD_BY_CODE:
            with self._lock:
                self.baudrate = _BAUD_BY_CODE[request.para]

    def _advance_deck(self) -> None:
        if self._hold is None or not self._deck:
            return
        now = self._clock()
        if self._card is not None and self._read_at is not None and now - self._read_at >= self._hold:
            self.remove_card()
            self._removed_at = now
        elif self._card is None and self._removed_at is not None and now - self._removed_at >= self._hold:
            self._deck_index = (self._deck_index + 1) % len(self._deck)
            self.place_card(self._deck[self._deck_index])


def wire_seconds(size: int, baudrate: int) -> float:
    """Time `size` bytes take on an 8N1 line."""
    return size * BITS_PER_BYTE / baudrate


class _Server:
    """Shared serving loop: decode host frames, answer them with paced writes."""

    def __init__(self, reader: SimulatedReader, pacing: bool = True) -> None:
        self.reader = reader
        self.pacing = pacing
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self) -> _Server:
        self._thread = threading.Thread(target=self._run, name=f"idreader-sim {self.url}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._close()

    def __enter__(self) -> _Server:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _serve_stream(self, fd_read: Callable[[], bytes], fd_write: Callable[[bytes], None],
                      wait_readable: Callable[[float], bool]) -> None:
        """Serve one connection until it closes or the server stops."""
        decoder = FrameDecoder(min_length=MIN_REQUEST_LEN)
        first_byte_at: float | None = None
        while not self._stop.is_set():
            if not wait_readable(SERVER_POLL_SECONDS):
                continue
            chunk = fd_read()
            if not chunk:
                return
            if first_byte_at is None:
                first_byte_at = time.monotonic()
            decoder.feed(chunk)
            while True:
                try:
                    frame = decoder.next_frame()
                except (ChecksumError, LengthError) as error:
                    self._send(fd_write, self.reader.handle_bad_frame(error).data, first_byte_at, 0)
                    first_byte_at = None
                    continue
                if frame is None:
                    if not decoder.pending:
                        first_byte_at = None
                    break
                reply = self.reader.handle(frame)
                if reply.disconnect:
                    return
                self._send(fd_write, reply.data, first_byte_at, len(frame.raw))
                self.reader.after_reply(frame)
                first_byte_at = time.monotonic() if decoder.pending else None

    def _send(self, write: Callable[[bytes], None], data: bytes, request_start: float | None,
              request_size: int) -> None:
        """Write `data` no faster than the line allows, after the request's own wire time."""
        if not data:
            return
        baud = self.reader.baudrate
        if not self.pacing:
            write(data)
            return
        begin = (request_start or time.monotonic()) + wire_seconds(request_size, baud)
        step = max(1, int(baud / BITS_PER_BYTE * PACING_SLICE_SECONDS))
        for offset in range(0, len(data), step):
            due = begin + wire_seconds(offset, baud)
            delay = due - time.monotonic()
            if delay > 0 and self._stop.wait(delay):
                return
            write(data[offset : offset + step])
        delay = begin + wire_seconds(len(data), baud) - time.monotonic()
        if delay > 0:
            self._stop.wait(delay)


class PtyServer(_Server):
    """Serve the simulator on a pseudo-terminal; connect to `.url` (e.g. /dev/pts/5)."""

    def __init__(self, reader: SimulatedReader, pacing: bool = True) -> None:
        super().__init__(reader, pacing)
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.url = os.ttyname(self._slave)

    def _run(self) -> None:
        master = self._master

        def wait(timeout: float) -> bool:
            return bool(select.select([master], [], [], timeout)[0])

        def read() -> bytes:
            try:
                return os.read(master, 4096)
            except OSError:
                return b""

        def write(data: bytes) -> None:
            with contextlib.suppress(OSError):
                os.write(master, data)

        while not self._stop.is_set():
            self._serve_stream(read, write, wait)

    def _close(self) -> None:
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._master = self._slave = -1


class TcpServer(_Server):
    """Serve the simulator on TCP, one client at a time; connect to `.url` (socket://HOST:PORT)."""

    def __init__(self, reader: SimulatedReader, host: str = "127.0.0.1", port: int = 0,
                 pacing: bool = True) -> None:
        super().__init__(reader, pacing)
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(SERVER_POLL_SECONDS)
        bound_host, bound_port = self._listener.getsockname()[:2]
        self.host, self.port = bound_host, bound_port
        self.url = f"socket://{bound_host}:{bound_port}"
        self._client: socket.socket | None = None
        self.connections = 0

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            self._client = client
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.settimeout(None)

            def wait(timeout: float, client: socket.socket = client) -> bool:
                try:
                    return bool(select.select([client], [], [], timeout)[0])
                except (OSError, ValueError):
                    return True

            def read(client: socket.socket = client) -> bytes:
                try:
                    return client.recv(4096)
                except OSError:
                    return b""

            def write(data: bytes, client: socket.socket = client) -> None:
                with contextlib.suppress(OSError):
                    client.sendall(data)

            try:
                self._serve_stream(read, write, wait)
            finally:
                with contextlib.suppress(OSError):
                    client.close()
                self._client = None

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.close()
        client = self._client
        if client is not None:
            with contextlib.suppress(OSError):
                client.close()

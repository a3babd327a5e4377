"""A receipt-printer emulator that speaks raw ESC/POS: the sim:// printer, the `python -m printers
emulate` TCP printer, and the device the printing tests run against.

Wire format: the bytes a 9100-style network printer (or a serial printer) receives. Real-time
status queries DLE EOT n (10 04 n, n = 1..4) are answered at once with one byte, even mid-job;
everything else is print data. The stream is scanned command by command with the same parser the
interpreter uses (printers.escpos_parser), so bytes inside raster images (GS v 0), 2-D codes
(GS ( k, FS ( ), graphics (GS ( L / GS 8 L), barcodes (GS k) and ESC * bit images are never taken
for a status query.

Job boundary: on TCP a job is what arrives on one connection (a fresh connection per job, as the
kiosk's tcp:// transport does); on a serial line, which has no connections, a job ends after each
GS V cut. Status queries are not part of the job's bytes. A connection that carried only status
queries is not a job. Each job is kept (``jobs``) and, with a capture directory, saved as
job-N.bin plus job-N.png (rendered by printers.escpos_interpreter.interpret at the printer width).

Faults, set through the in-process API (``set_paper_out(True)`` ...) or the control commands of
``apply_command`` (the CLI reads them from stdin, one per line):
    paper-out | paper-low | paper-ok    roll empty / near its end / loaded (clears both)
    cover-open | cover-closed
    stall | resume                      stop reading the connection (status queries go unanswered)
    stall-job [N]                       stall once the next job has delivered N print bytes
    drop [N]                            reset the connection of the next job after N print bytes
    status                              print the current fault state
Status replies: DLE EOT 1 = 0x12 (| 0x08 offline when the cover is open or the paper is out);
DLE EOT 2 = 0x12 (| 0x04 cover open, | 0x20 stopped by paper end); DLE EOT 3 = 0x12;
DLE EOT 4 = 0x12 (| 0x0C near end, | 0x60 paper out).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from printers.errors import PrinterError

if TYPE_CHECKING:
    import socket  # imported by the TCP server only: sim:// (kiosk apply) needs none (~3-5 ms, its enums)

    from printers.escpos_parser import EscPosScanner

log = logging.getLogger(__name__)

DEFAULT_WIDTH_DOTS = 576
STATUS_BASE = 0x12  # bits 1 and 4 are fixed to 1 in every DLE EOT reply
RECV_SIZE = 65536
#: zlib level of each job's PNG, as printers.preview's: the file is written while the job prints, before the
#: queue calls it done (`kiosk apply` waits for that), and level 3 takes about half the default 6's time
#: (7 vs 13 ms CPU for a 576 x 1650 slip) for the same pixels in a file ~12 % larger.
PNG_COMPRESS_LEVEL = 3


class EmulatorError(PrinterError):
    """The emulator was misused (bad control command, bad width, server not started)."""


class ConnectionDropped(EmulatorError):
    """Raised by a session when a programmed drop fires: the connection must be reset now."""


@dataclass
class CapturedJob:
    """One printed job: its bytes (status queries removed) and where it was saved."""

    number: int
    data: bytes
    width_dots: int
    ended_by: str  # "close" | "reset" | "cut"
    bin_path: Path | None = None
    png_path: Path | None = None

    def render(self) -> Any:
        """A PIL image of what a real printer would print (printers.escpos_interpreter)."""
        from printers.escpos_interpreter import interpret

        return interpret(self.data, width_dots=self.width_dots)


def _last_job_number(capture_dir: Path | None) -> int:
    """The highest N of the job-N.bin files already in the capture folder (0 when none). The names are
    read with os.scandir, not Path.glob: a folder of a few hundred jobs is read at every start."""
    if capture_dir is None:
        return 0
    try:
        with os.scandir(capture_dir) as entries:
            numbers = [int(name[4:-4]) for name in (entry.name for entry in entries)
                       if name.startswith("job-") and name.endswith(".bin") and name[4:-4].isdigit()]
    except (FileNotFoundError, NotADirectoryError):
        return 0
    return max(numbers, default=0)


class EmulatedPrinter:
    """The printer's state and its jobs; shared by the TCP server, the serial link and sim://."""

    def __init__(self, width_dots: int = DEFAULT_WIDTH_DOTS, capture_dir: Path | str | None = None,
                 render_png: bool = True, on_job: Callable[[CapturedJob], None] | None = None,
                 keep_jobs: int = 200) -> None:
        if width_dots % 8 or not 256 <= width_dots <= 832:
            raise EmulatorError(f"printer width must be a multiple of 8 dots from 256 to 832 (58 mm: 384, "
                                f"80 mm: 576), not {width_dots}")
        self.width_dots = width_dots
        self.capture_dir = Path(capture_dir) if capture_dir is not None else None
        self.render_png = render_png
        self.on_job = on_job
        self._changed = threading.Condition()
        self.paper_out = False
        self.paper_near_end = False
        self.cover_open = False
        self.stalled = False
        self._drop_after: int | None = None
        self._stall_after: int | None = None
        self._closing = False
        self.keep_jobs = keep_jobs
        self.jobs: list[CapturedJob] = []  # the last ``keep_jobs`` jobs (files in capture_dir stay)
        self.jobs_printed = 0
        self._numbering: int | None = None  # the capture folder's last job number, read at the first job
        self.dropped_jobs = 0
        self.sessions_opened = 0
        self.bytes_received = 0
        self.queries_answered = 0
        self.stalled_readers = 0

    # --- faults ---------------------------------------------------------------------------------
    def _set(self, **flags: object) -> None:
        with self._changed:
            for name, value in flags.items():
                setattr(self, name, value)
            self._changed.notify_all()

    def set_paper_out(self, out: bool = True) -> None:
        self._set(paper_out=out)

    def set_paper_near_end(self, near_end: bool = True) -> None:
        self._set(paper_near_end=near_end)

    def set_cover_open(self, is_open: bool = True) -> None:
        self._set(cover_open=is_open)

    def set_stalled(self, stalled: bool = True) -> None:
        self._set(stalled=stalled)

    def stall_next_job(self, after_bytes: int = 1) -> None:
        """Stall (stop reading and answering) once the next job has delivered ``after_bytes`` print bytes."""
        self._set(_stall_after=max(after_bytes, 1))

    def drop_next_job(self, after_bytes: int = 1) -> None:
        """Reset the connection of the next job once it has delivered ``after_bytes`` print bytes."""
        self._set(_drop_after=max(after_bytes, 1))

    def load_paper(self) -> None:
        self._set(paper_out=False, paper_near_end=False)

    def close(self) -> None:
        """Wake every thread waiting on a stall so servers can stop."""
        self._set(_closing=True)

    # --- status ---------------------------------------------------------------------------------
    def status_byte(self, n: int) -> int:
        with self._changed:
            value = STATUS_BASE
            if n == 1 and (self.cover_open or self.paper_out):
                value |= 0x08
            elif n == 2:
                value |= (0x04 if self.cover_open else 0) | (0x20 if self.paper_out else 0)
            elif n == 4:
                value |= (0x0C if self.paper_near_end else 0) | (0x60 if self.paper_out else 0)
            return value

    def describe(self) -> str:
        with self._changed:
            flags = [name for name, on in (("paper-out", self.paper_out), ("paper-low", self.paper_near_end),
                                           ("cover-open", self.cover_open), ("stalled", self.stalled)) if on]
            pending = f", drop armed after {self._drop_after} bytes" if self._drop_after else ""
            return f"{', '.join(flags) or 'ready'}; {self.jobs_printed} jobs{pending}"

    # --- waiting (tests, servers) ----------------------------------------------------------------
    def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait (no polling) until predicate() holds; False after ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(predicate, timeout)

    def wait_for_jobs(self, count: int, timeout: float) -> bool:
        return self.wait_until(lambda: self.jobs_printed >= count, timeout)

    def wait_while_stalled(self, should_stop: Callable[[], bool] | None = None) -> bool:
        """Block while stalled; False when the printer or the caller is closing instead."""
        with self._changed:
            counted = self.stalled
            if counted:
                self.stalled_readers += 1
                self._changed.notify_all()
            try:
                self._changed.wait_for(lambda: not self.stalled or self._closing
                                       or bool(should_stop and should_stop()))
            finally:
                if counted:
                    self.stalled_readers -= 1
            return not self._closing and not (should_stop and should_stop())

    def notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    # --- jobs -----------------------------------------------------------------------------------
    def open_session(self, split_on_cut: bool = False) -> EmulatorSession:
        with self._changed:
            self.sessions_opened += 1
            self._changed.notify_all()
        return EmulatorSession(self, split_on_cut)

    def _take_drop(self, job_bytes: int) -> bool:
        with self._changed:
            if self._drop_after is not None and job_bytes >= self._drop_after:
                self._drop_after = None
                self.dropped_jobs += 1
                self._changed.notify_all()
                return True
            return False

    def _take_stall(self, job_bytes: int) -> None:
        with self._changed:
            if self._stall_after is not None and job_bytes >= self._stall_after:
                self._stall_after = None
                self.stalled = True
                self._changed.notify_all()

    def _count(self, received: int = 0, queries: int = 0) -> None:
        with self._changed:
            self.bytes_received += received
            self.queries_answered += queries
            self._changed.notify_all()

    def _finish_job(self, data: bytes, ended_by: str) -> CapturedJob:
        with self._changed:
            if self._numbering is None:  # read here, not at start: `kiosk apply` starts a printer per run,
                self._numbering = _last_job_number(self.capture_dir)  # (a restarted one never overwrites)
            self._numbering += 1
            job = CapturedJob(self._numbering, data, self.width_dots, ended_by)
        if self.capture_dir is not None:
            self._save(job)
        with self._changed:
            self.jobs.append(job)
            del self.jobs[:-self.keep_jobs]
            self.jobs_printed += 1
            self._changed.notify_all()
        log.info("emulator: job %d, %d bytes (%s)", job.number, len(data), ended_by)
        if self.on_job is not None:
            self.on_job(job)
        return job

    def _save(self, job: CapturedJob) -> None:
        assert self.capture_dir is not None
        self.capture_dir.mkdir(parents=True, exist_ok=True)
        job.bin_path = self.capture_dir / f"job-{job.number}.bin"
        job.bin_path.write_bytes(job.data)
        if not self.render_png:
            return
        try:
            image = job.render()
        except ImportError:
            log.warning("emulator: printers.escpos_interpreter is missing; no PNG for job %d", job.number)
            return
        except Exception:  # a rendering bug must not lose the job: the .bin is already saved
            log.exception("emulator: could not render job %d to PNG", job.number)
            return
        job.png_path = self.capture_dir / f"job-{job.number}.png"
        # The format from the name's extension: Pillow then imports its PNG plugin alone (given format="PNG"
        # it imports five: BMP, GIF, JPEG, PPM too, ~8 ms of the first slip a process prints).
        image.save(job.png_path, compress_level=PNG_COMPRESS_LEVEL)


def _scanner() -> EscPosScanner:
    """A new ESC/POS scanner. The parser module is imported with the first connection, not with this
    module: `kiosk apply` builds its sim:// printer before handing its PDFs to their child process, and
    prints only afterwards (~3 ms less before that hand-over)."""
    from printers.escpos_parser import EscPosScanner

    return EscPosScanner()


class EmulatorSession:
    """One connection (TCP) or one line (serial): feeds bytes, answers queries, collects the job."""

    def __init__(self, printer: EmulatedPrinter, split_on_cut: bool) -> None:
        self._printer = printer
        self._split_on_cut = split_on_cut
        self._scanner: EscPosScanner = _scanner()
        self._job = bytearray()
        self._ended = False

    def feed(self, data: bytes) -> bytes:
        """Take received bytes; return the status replies to send back. May raise ConnectionDropped."""
        from printers.escpos_parser import ScanKind  # loaded by _scanner already: a dictionary lookup

        replies = bytearray()
        for event in self._scanner.feed(data):
            if event.kind is ScanKind.QUERY:
                if not self._printer.stalled:  # a stalled printer answers nothing
                    replies.append(self._printer.status_byte(event.query))
            elif event.kind is ScanKind.DATA:
                self._job += event.data
                self._printer._take_stall(len(self._job))
                if self._printer._take_drop(len(self._job)):
                    self._job.clear()
                    self._ended = True
                    self._printer._count(len(data), len(replies))
                    raise ConnectionDropped("emulator dropped the connection mid-job (on command)")
            elif event.kind is ScanKind.CUT and self._split_on_cut:
                self._printer._finish_job(bytes(self._job), "cut")
                self._job.clear()
        self._printer._count(len(data), len(replies))
        return bytes(replies)

    def end(self, ended_by: str = "close") -> CapturedJob | None:
        """The connection ended: keep the job if it carried print data."""
        if self._ended:
            return None
        self._ended = True
        if not self._job:
            return None
        return self._printer._finish_job(bytes(self._job), ended_by)


class EmulatorServer:
    """A raw TCP printer (one connection at a time, like a 9100 port) in a background thread."""

    def __init__(self, printer: EmulatedPrinter, host: str = "127.0.0.1", port: int = 0) -> None:
        self.printer = printer
        self._host = host
        self._port = port
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._wake_r, self._wake_w = -1, -1

    @property
    def url(self) -> str:
        if self._listener is None:
            raise EmulatorError("emulator server is not started")
        host, port = self._listener.getsockname()[:2]
        return f"tcp://{host}:{port}"

    def start(self) -> str:
        import socket

        listener = socket.create_server((self._host, self._port), backlog=16)
        self._listener = listener
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._serve, name="printer-emulator", daemon=True)
        self._thread.start()
        return self.url

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._wake_w >= 0:
            with contextlib.suppress(OSError):
                os.write(self._wake_w, b"x")
        self.printer.notify()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._listener is not None:
            self._listener.close()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1

    def __enter__(self) -> EmulatorServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            readable, _, _ = select.select([self._listener, self._wake_r], [], [])
            if self._wake_r in readable:
                return
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            try:
                self._handle(conn)
            except Exception:
                log.exception("emulator: connection handler failed")
            finally:
                with contextlib.suppress(OSError):
                    conn.close()

    def _handle(self, conn: socket.socket) -> None:
        session = self.printer.open_session()
        ended_by = "close"
        while True:
            if not self.printer.wait_while_stalled(self._stopping.is_set):
                break
            readable, _, _ = select.select([conn, self._wake_r], [], [])
            if self._wake_r in readable:
                break
            try:
                data = conn.recv(RECV_SIZE)
            except OSError:
                ended_by = "reset"
                break
            if not data:
                break
            try:
                replies = session.feed(data)
            except ConnectionDropped:
                import socket

                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if replies:
                try:
                    conn.sendall(replies)
                except OSError:
                    ended_by = "reset"
                    break
        session.end(ended_by)


class SerialLink:
    """Serves an EmulatedPrinter on a file descriptor (the master side of a pty): jobs end at GS V."""

    def __init__(self, printer: EmulatedPrinter, fd: int) -> None:
        self.printer = printer
        self._fd = fd
        self._stopping = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._serve, name="printer-emulator-serial", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        self.printer.notify()
        self._thread.join(timeout)
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> SerialLink:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self) -> None:
        session = self.printer.open_session(split_on_cut=True)
        while self.printer.wait_while_stalled(self._stopping.is_set):
            readable, _, _ = select.select([self._fd, self._wake_r], [], [])
            if self._wake_r in readable:
                break
            try:
                data = os.read(self._fd, RECV_SIZE)
            except OSError:  # EIO: no process has the slave side open right now
                readable, _, _ = select.select([self._wake_r], [], [], 0.05)
                if readable:
                    break
                continue
            if not data:
                break
            replies = session.feed(data)
            if replies:
                os.write(self._fd, replies)
        session.end("close")


CONTROL_HELP = ("commands: paper-out, paper-low, paper-ok, cover-open, cover-closed, stall, resume, "
                "stall-job [N], drop [N], status, help, quit")


def apply_command(printer: EmulatedPrinter, line: str) -> str:
    """Run one control command (see the module docstring); return a one-line answer."""
    words = line.split()
    if not words:
        return ""
    command, args = words[0].lower(), words[1:]
    actions: dict[str, Callable[[], None]] = {
        "paper-out": lambda: printer.set_paper_out(True),
        "paper-low": lambda: printer.set_paper_near_end(True),
        "paper-ok": printer.load_paper,
        "cover-open": lambda: printer.set_cover_open(True),
        "cover-closed": lambda: printer.set_cover_open(False),
        "stall": lambda: printer.set_stalled(True),
        "resume": lambda: printer.set_stalled(False),
    }
    if command in actions:
        actions[command]()
        return f"ok: {printer.describe()}"
    if command == "drop":
        try:
            after = int(args[0]) if args else 1
        except ValueError:
            raise EmulatorError(f"drop takes a byte count, not {args[0]!r}") from None
        printer.drop_next_job(after)
        return f"ok: {printer.describe()}"
    if command == "stall-job":
        try:
            after = int(args[0]) if args else 1
        except ValueError:
            raise EmulatorError(f"stall-job takes a byte count, not {args[0]!r}") from None
        printer.stall_next_job(after)
        return f"ok: {printer.describe()}"
    if command == "status":
        return printer.describe()
    if command == "help":
        return CONTROL_HELP
    raise EmulatorError(f"unknown emulator command {command!r}; {CONTROL_HELP}")

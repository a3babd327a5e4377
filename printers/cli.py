"""The technician's printer tool: `python -m printers test|status|emulate`.

    python -m printers test --printer URL      print a test page (Chinese, widths, QR, cut)
    python -m printers status --printer URL    print the status in words; exit 0 only when ready
    python -m printers emulate --listen HOST:PORT [--capture DIR] [--width 576|384]
        run the TCP printer emulator. The FIRST line on stdout is its tcp:// URL (port 0 picks a free
        port); then one line per job. Control it with commands on stdin, one per line:
        paper-out, paper-low, paper-ok, cover-open, cover-closed, stall, resume, drop [N], status,
        help, quit. Without stdin (EOF) it keeps running until SIGINT/SIGTERM.

Exit codes: 0 ok; 1 the printer is not ready or the job failed; 2 bad input (URL, profile, option).
`status` answers within STATUS_BUDGET seconds even when nothing answers at the other end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from printers.errors import PrinterError, PrinterUrlError
from printers.transports import TransportTimeouts, deliver, open_transport, probe_status
from printers.url import parse_printer_url

STATUS_TIMEOUTS = TransportTimeouts(connect=1.5, status=1.0)  # worst case ~2.5 s: connect + first query
STATUS_BUDGET = 3.0
EXIT_OK, EXIT_NOT_READY, EXIT_BAD_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m printers", description="Receipt printer tool")
    commands = parser.add_subparsers(dest="command", required=True)
    test = commands.add_parser("test", help="print a test page")
    test.add_argument("--printer", required=True, help="printer URL, e.g. tcp://192.168.1.50:9100")
    test.add_argument("--capture", type=Path, help="for sim://: save the job as job-N.bin/.png here")
    status = commands.add_parser("status", help="print the printer status; exit 1 when not ready")
    status.add_argument("--printer", required=True, help="printer URL")
    emulate = commands.add_parser("emulate", help="run the TCP printer emulator")
    emulate.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (port 0 = any free port)")
    emulate.add_argument("--capture", type=Path, help="save job-N.bin and job-N.png here")
    emulate.add_argument("--width", type=int, choices=(576, 384), default=576, help="paper width in dots")
    return parser


def _say(text: str) -> None:
    print(text, flush=True)


def cmd_status(url: str) -> int:
    transport = open_transport(url, STATUS_TIMEOUTS)
    status = probe_status(transport)
    _say(f"{status.code}: {status.describe_zh()}")
    _say(f"({status.describe_en()})")
    return EXIT_OK if status.ready else EXIT_NOT_READY


def cmd_test(url: str, capture: Path | None) -> int:
    from printers.emulator import EmulatedPrinter
    from printers.escpos_render import render_escpos
    from printers.layouts import test_page
    from printers.profiles import DEFAULT_PROFILE, get_profile

    parsed = parse_printer_url(url)
    profile = get_profile(parsed.profile or DEFAULT_PROFILE, parsed.width)
    data = render_escpos(test_page(profile, printed_at=dt.datetime.now()), profile, parsed.mode)
    sim = EmulatedPrinter(profile.width_dots, capture) if parsed.scheme == "sim" else None
    transport = open_transport(parsed, sim_printer=sim)
    try:
        result = deliver(transport, data)
    except PrinterError as error:
        _say(f"test page NOT printed: {error}")
        return EXIT_NOT_READY
    after = result.status_after.describe_en() if result.status_after else "no status from this transport"
    _say(f"test page sent: {result.bytes_sent} bytes, profile {profile.name}, {profile.width_dots} dots; "
         f"printer: {after}")
    if sim is not None:
        for job in sim.jobs:
            _say(f"sim job {job.number}: {job.png_path or 'not saved (use --capture DIR)'}")
    return EXIT_OK


def _listen_address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise PrinterUrlError(f"--listen needs HOST:PORT, not {text!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def cmd_emulate(listen: str, capture: Path | None, width: int) -> int:
    from printers.emulator import EmulatedPrinter, EmulatorError, EmulatorServer, apply_command

    host, port = _listen_address(listen)

    def report(job: object) -> None:
        _say(f"job {job.number}: {len(job.data)} bytes ({job.ended_by})"  # type: ignore[attr-defined]
             + (f" -> {job.bin_path}" if job.bin_path else ""))  # type: ignore[attr-defined]

    printer = EmulatedPrinter(width, capture, on_job=report)
    server = EmulatorServer(printer, host, port)
    _say(server.start())
    stopped = threading.Event()

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, terminate)
    try:
        for line in sys.stdin:
            if line.strip().lower() in ("quit", "exit"):
                stopped.set()
                break
            try:
                answer = apply_command(printer, line)
            except EmulatorError as error:
                answer = f"error: {error}"
            if answer:
                _say(answer)
        if not stopped.is_set():
            stopped.wait()  # stdin closed: run until a signal
    except KeyboardInterrupt:
        pass
    finally:
        printer.close()
        server.stop()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "status":
            return cmd_status(args.printer)
        if args.command == "test":
            return cmd_test(args.printer, args.capture)
        return cmd_emulate(args.listen, args.capture, args.width)
    except PrinterUrlError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PrinterError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT if args.command != "status" else EXIT_NOT_READY

"""The technician's command line, `python -m idreader`.

    ports                                   list serial ports
    probe --port URL                        SAM status and SAM ID
    read --port URL [--json] [--timeout S]  read one card (JSON: the IdCard contract)
    watch --port URL                        print reader events until Ctrl-C
    decode FILE                             one reader response as hex -> IdCard JSON (exit 1: bad frame)
    simulate (--pty | --tcp HOST:PORT) [--card FILE|NAME ...] [--baudrate N] [--hold S]
             [--fault NAME[:COUNT][@TARGET] ...]
                                            serve the simulator; the first line printed is the URL, then
                                            it takes commands on stdin (idreader.simcontrol: place, lift,
                                            fault, clear, status, help, quit)

URL is any pyserial URL or port name, or sim:// (see idreader.ports). Human-readable output masks
ID numbers; only `--json` and `decode` print the full card, as the contract requires.

Exit codes: 0 done; 1 the reader or the data failed (no card in time, bad frame, SAM fault);
2 bad input (an option, a reader address, a card name or file), always one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from idreader import demo_cards
from idreader.cards import decode_read_reply
from idreader.errors import CardFileError, ReaderError, ReaderUrlError, SimulatorError
from idreader.idcard import IdCard
from idreader.protocol import BAUD_RATE_CODES, decode_frame

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
BAD_INPUT_ERRORS = (CardFileError, ReaderUrlError, SimulatorError)
MAX_TIMEOUT_SECONDS = 86_400.0


def _card_json(card: IdCard) -> str:
    return json.dumps(card.to_dict(), ensure_ascii=False, indent=2)


def _card_summary(card: IdCard) -> str:
    valid_to = card.valid_to.isoformat() if card.valid_to else "长期"
    return (f"{card.card_type} {card.display_name} {card.sex} {card.birth_date.isoformat()} "
            f"{card.masked_id_number} valid {card.valid_from.isoformat()}..{valid_to}")


def cmd_ports(args: argparse.Namespace) -> int:
    from serial.tools import list_ports

    found = sorted(list_ports.comports(), key=lambda port: port.device)
    for port in found:
        print(f"{port.device}\t{port.description}\t{port.hwid}")
    if not found:
        print("no serial ports found", file=sys.stderr)
    print("sim://\tbuilt-in simulator (sim://?card=NAME; cards: " + ", ".join(demo_cards.names()) + ")")
    return 0


def cmd_probe(args: argparse.Namespace) -> int:
    from idreader.ports import open_reader_port
    from idreader.protocol import describe_status
    from idreader.reader import ReaderLink

    opened = open_reader_port(args.port)
    try:
        link = ReaderLink(opened.port)
        status = link.sam_status()
        print(f"port:       {args.port}")
        print(f"SAM status: {describe_status(status)}")
        if status != 0x90:
            return 1
        print(f"SAM ID:     {link.sam_id()}")
    finally:
        opened.close()
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    from idreader.reader import read_one_card

    card = read_one_card(args.port, timeout=args.timeout)
    print(_card_json(card) if args.json else _card_summary(card))
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from idreader.reader import CardRead, CardReader, CardRemoved, ReaderFault, ReaderReady

    def show(event: object) -> None:
        if isinstance(event, CardRead):
            print(f"card read ({event.seconds * 1000:.0f} ms): {_card_summary(event.card)}", flush=True)
        elif isinstance(event, CardRemoved):
            print("card removed", flush=True)
        elif isinstance(event, ReaderFault):
            again = "retrying" if event.recoverable else "needs staff"
            print(f"fault {event.kind} ({again}): {event.detail} | {event.message_zh}", flush=True)
        elif isinstance(event, ReaderReady):
            print(f"ready: {event.url} SAM {event.sam_id}", flush=True)

    done = _stop_on_sigterm()  # before anything is printed: a caller may stop us as soon as it reads
    reader = CardReader(args.port, on_event=show).start()
    try:
        _wait_until(done)
    finally:
        reader.stop()
    return 0


def cmd_decode(args: argparse.Namespace) -> int:
    source = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="ascii")
    compact = "".join(source.split())
    try:
        data = bytes.fromhex(compact)
    except ValueError:
        raise ReaderError("the file is not hex (only 0-9, A-F and whitespace are allowed)") from None
    card = decode_read_reply(decode_frame(data))
    print(_card_json(card))
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from idreader.simulator import PtyServer, SimulatedReader, TcpServer

    try:
        reader = SimulatedReader(args.card or demo_cards.names(), baudrate=args.baudrate, hold_seconds=args.hold)
    except CardFileError as exc:
        raise CardFileError(f"--card: {exc}") from None
    for fault in args.fault or ():
        fault.arm(reader)
    if args.pty:
        server: PtyServer | TcpServer = PtyServer(reader)
    else:
        host, port = args.tcp
        try:
            server = TcpServer(reader, host, port)
        except OSError as exc:
            raise SimulatorError(f"--tcp {host}:{port}: cannot listen there: {exc.strerror or exc}") from None
    done = _stop_on_sigterm()  # before the URL is printed: a caller may stop us as soon as it has read it
    print(server.url, flush=True)
    server.start()
    threading.Thread(target=_serve_stdin, args=(reader, done), name="idreader-sim stdin", daemon=True).start()
    try:
        _wait_until(done)
    finally:
        server.stop()
    return 0


def _serve_stdin(reader: object, done: threading.Event) -> None:
    """Run the control commands typed on stdin (one per line) until `quit` or end of input."""
    from idreader.simcontrol import apply_command

    for line in sys.stdin:
        if line.strip().lower() in ("quit", "exit"):
            done.set()
            return
        try:
            answer = apply_command(reader, line)  # type: ignore[arg-type]
        except SimulatorError as exc:
            answer = f"error: {exc}"
        if answer:
            print(answer, flush=True)


def _stop_on_sigterm() -> threading.Event:
    """An event that SIGTERM sets: a long-running command stops cleanly (exit 0) when told to."""
    done = threading.Event()

    def stop(signum: int, frame: object) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    return done


def _wait_until(done: threading.Event) -> None:
    """Block until `done` is set (SIGTERM, `quit` on stdin) or Ctrl-C."""
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad option in one line (exit 2), without the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"error: {self.prog}: {message}\n")


def _checked(convert: Callable[[str], object]) -> Callable[[str], object]:
    """An argparse type from a converter that raises ValueError with the sentence to show."""

    def check(text: str) -> object:
        try:
            return convert(text)
        except (ValueError, SimulatorError) as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return check


def seconds(text: str, minimum: float = 0.0, strict: bool = True) -> float:
    """A finite number of seconds above `minimum` (or at least it when not `strict`), at most a day."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of seconds") from None
    low_ok = value > minimum if strict else value >= minimum
    if not (math.isfinite(value) and low_ok and value <= MAX_TIMEOUT_SECONDS):
        bound = f"more than {minimum:g}" if strict else f"at least {minimum:g}"
        raise ValueError(f"{text!r} is not a finite number of seconds {bound} and at most "
                         f"{MAX_TIMEOUT_SECONDS:g}")
    return value


def tcp_address(text: str) -> tuple[str, int]:
    """HOST:PORT with a port from 0 (any free port) to 65535."""
    host, sep, port = text.rpartition(":")
    host = host.strip().removeprefix("[").removesuffix("]")
    if not sep or not host or not (port.isascii() and port.isdigit()) or int(port) > 65535:
        raise ValueError(f"{text!r} is not HOST:PORT with a port from 0 to 65535")
    return host, int(port)


def baudrate(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) not in BAUD_RATE_CODES:
        allowed = ", ".join(str(rate) for rate in BAUD_RATE_CODES)
        raise ValueError(f"{text!r} is not a reader line speed ({allowed})")
    return int(text)


def fault_spec(text: str) -> object:
    from idreader.simcontrol import parse_fault

    return parse_fault(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m idreader", description="ID-card reader technician tool")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("ports", help="list serial ports").set_defaults(func=cmd_ports)
    probe = sub.add_parser("probe", help="SAM status and SAM ID")
    probe.add_argument("--port", required=True, metavar="URL")
    probe.set_defaults(func=cmd_probe)
    read = sub.add_parser("read", help="read one card")
    read.add_argument("--port", required=True, metavar="URL")
    read.add_argument("--json", action="store_true", help="print the IdCard JSON")
    read.add_argument("--timeout", type=_checked(seconds), default=15.0, metavar="S",
                      help="give up after S seconds (finite, more than 0)")
    read.set_defaults(func=cmd_read)
    watch = sub.add_parser("watch", help="print reader events until stopped")
    watch.add_argument("--port", required=True, metavar="URL")
    watch.set_defaults(func=cmd_watch)
    decode = sub.add_parser("decode", help="decode one reader response given as hex")
    decode.add_argument("file", metavar="FILE", help="hex file, or - for stdin")
    decode.set_defaults(func=cmd_decode)
    simulate = sub.add_parser("simulate", help="serve the reader simulator")
    where = simulate.add_mutually_exclusive_group(required=True)
    where.add_argument("--pty", action="store_true", help="serve on a pseudo-terminal")
    where.add_argument("--tcp", metavar="HOST:PORT", type=_checked(tcp_address),
                       help="serve on TCP (port 0 picks a free port)")
    simulate.add_argument("--card", action="append", metavar="FILE|NAME",
                          help="IdCard JSON file or demo card name (repeatable; default: every demo card)")
    simulate.add_argument("--baudrate", type=_checked(baudrate), default=115200, metavar="N",
                          help="line speed used for pacing: 115200, 57600, 38400, 19200 or 9600")
    simulate.add_argument("--hold", type=_checked(lambda text: seconds(text, strict=False)), default=2.0,
                          metavar="S", help="a card that was read leaves after S seconds, the next comes S later")
    simulate.add_argument("--fault", action="append", type=_checked(fault_spec), metavar="NAME[:COUNT][@TARGET]",
                          help="arm a fault at start (repeatable): silence, garbage, bad_checksum, truncated "
                               "(cut frame), lift_mid_read, sam_failure, disconnect; COUNT replies (default 1) "
                               "to TARGET (default read)")
    simulate.set_defaults(func=cmd_simulate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a bad option (2, one line already printed)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except BAD_INPUT_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ReaderError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED

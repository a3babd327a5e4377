"""The technician's command line, `python -m idreader`.

    ports                                   list serial ports
    probe --port URL                        SAM status and SAM ID
    read --port URL [--json] [--timeout S]  read one card (JSON: the IdCard contract)
    watch --port URL                        print reader events until Ctrl-C
    decode FILE                             one reader response as hex -> IdCard JSON (exit 1: bad frame)
    simulate (--pty | --tcp HOST:PORT) [--card FILE|NAME ...] [--baudrate N] [--hold S]
                                            serve the simulator; the first line printed is the URL

URL is any pyserial URL or port name, or sim:// (see idreader.ports). Human-readable output masks
ID numbers; only `--json` and `decode` print the full card, as the contract requires.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from idreader import demo_cards
from idreader.cards import decode_read_reply
from idreader.errors import ReaderError
from idreader.idcard import IdCard
from idreader.protocol import decode_frame


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

    reader = CardReader(args.port, on_event=show).start()
    try:
        _wait_for_signal()
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

    reader = SimulatedReader(args.card or demo_cards.names(), baudrate=args.baudrate, hold_seconds=args.hold)
    if args.pty:
        server: PtyServer | TcpServer = PtyServer(reader)
    else:
        host, _, port = args.tcp.rpartition(":")
        if not host or not port.isdigit():
            raise ReaderError(f"--tcp wants HOST:PORT, not {args.tcp!r}")
        server = TcpServer(reader, host, int(port))
    print(server.url, flush=True)
    server.start()
    try:
        _wait_for_signal()
    finally:
        server.stop()
    return 0


def _wait_for_signal() -> None:
    done = threading.Event()

    def stop(signum: int, frame: object) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m idreader", description="ID-card reader technician tool")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("ports", help="list serial ports").set_defaults(func=cmd_ports)
    probe = sub.add_parser("probe", help="SAM status and SAM ID")
    probe.add_argument("--port", required=True, metavar="URL")
    probe.set_defaults(func=cmd_probe)
    read = sub.add_parser("read", help="read one card")
    read.add_argument("--port", required=True, metavar="URL")
    read.add_argument("--json", action="store_true", help="print the IdCard JSON")
    read.add_argument("--timeout", type=float, default=15.0, metavar="S", help="give up after S seconds")
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
    where.add_argument("--tcp", metavar="HOST:PORT", help="serve on TCP (port 0 picks a free port)")
    simulate.add_argument("--card", action="append", metavar="FILE|NAME",
                          help="IdCard JSON file or demo card name (repeatable; default: every demo card)")
    simulate.add_argument("--baudrate", type=int, default=115200, help="line speed used for pacing")
    simulate.add_argument("--hold", type=float, default=2.0, metavar="S",
                          help="a card that was read leaves after S seconds, the next comes S later")
    simulate.set_defaults(func=cmd_simulate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except (ReaderError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

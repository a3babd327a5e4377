"""Golden bytes for the one ESC/POS parser, and the emulator and the interpreter agreeing through it.

GOLDEN below is written by hand from the ESC/POS reference, one command per line: its name and its
bytes in hex, the whole line being exactly one command. Where a command has parameters or data, the
last byte is 0x10 (a legal value: ESC 3 16, ESC ! 0x10 double height), so a reader that ends the
command one byte early takes it for a DLE and reads the next bytes wrongly. Before the shared parser
the emulator and the interpreter disagreed on 21 of these commands (and the stray-DLE, ESC * and GS V
mode rules), and both were wrong on ESC D, ESC W, ESC (, ESC ?, FS ? and GS *.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printers.emulator import EmulatedPrinter
from printers.escpos_interpreter import parse
from printers.escpos_parser import COMMANDS, Command, EscPosScanner, Role, Text, measure, tokens

GOLDEN = """
DLE EOT   10 04 01
DLE ENQ   10 05 10
DLE DC4   10 14 01 00 10
DLE DC4   10 14 08 01 03 14 01 06 02 10
ESC @     1b 40
ESC 2     1b 32
ESC L     1b 4c
ESC S     1b 53
ESC i     1b 69
ESC m     1b 6d
ESC <     1b 3c
ESC !     1b 21 10
ESC -     1b 2d 10
ESC E     1b 45 10
ESC G     1b 47 10
ESC J     1b 4a 10
ESC M     1b 4d 10
ESC R     1b 52 10
ESC V     1b 56 10
ESC a     1b 61 10
ESC d     1b 64 10
ESC t     1b 74 10
ESC 3     1b 33 10
ESC {     1b 7b 10
ESC SP    1b 20 10
ESC =     1b 3d 10
ESC %     1b 25 10
ESC U     1b 55 10
ESC r     1b 72 10
ESC T     1b 54 10
ESC C     1b 43 10
ESC e     1b 65 10
ESC ?     1b 3f 10
ESC $     1b 24 00 10
ESC \\    1b 5c 00 10
ESC B     1b 42 02 10
ESC c     1b 63 34 10
ESC p     1b 70 00 19 10
ESC W     1b 57 00 00 00 00 40 02 00 10
ESC D     1b 44 08 10 00
ESC *     1b 2a 00 02 00 ff 10
ESC *     1b 2a 21 02 00 ff ff ff 00 00 10
ESC (     1b 28 41 04 00 30 37 03 10
FS &      1c 26
FS .      1c 2e
FS !      1c 21 10
FS -      1c 2d 10
FS C      1c 43 10
FS W      1c 57 10
FS S      1c 53 00 10
FS p      1c 70 01 10
FS ?      1c 3f a1 10
FS (      1c 28 41 02 00 30 10
GS !      1d 21 10
GS B      1d 42 10
GS H      1d 48 10
GS a      1d 61 10
GS f      1d 66 10
GS h      1d 68 10
GS r      1d 72 10
GS w      1d 77 10
GS /      1d 2f 10
GS I      1d 49 10
GS b      1d 62 10
GS T      1d 54 10
GS E      1d 45 10
GS J      1d 4a 10
GS L      1d 4c 00 10
GS W      1d 57 40 10
GS P      1d 50 b4 10
GS $      1d 24 00 10
GS \\     1d 5c 00 10
GS ^      1d 5e 01 00 10
GS V      1d 56 00
GS V      1d 56 31
GS V      1d 56 41 10
GS V      1d 56 61 10
GS v 0    1d 76 30 00 01 00 02 00 ff 10
GS (      1d 28 6b 04 00 31 50 30 10
GS (      1d 28 4c 02 00 30 10
GS 8 L    1d 38 4c 02 00 00 00 30 10
GS *      1d 2a 01 01 ff 00 ff 00 ff 00 ff 10
GS k      1d 6b 04 10 04 01 00
GS k      1d 6b 49 03 10 04 01
"""


ROWS = [(name, bytes.fromhex(hexbytes)) for name, hexbytes in
        (re.split(r"\s{2,}", line, maxsplit=1) for line in GOLDEN.strip("\n").splitlines())]
IDS = [f"{name}:{data.hex(' ')}" for name, data in ROWS]
QUERIES = b"\x04\x01" + b"\x10\x04\x02"  # after a command: data, then one real query


def scan(chunks: list[bytes]) -> tuple[bytes, list[int], int]:
    scanner = EscPosScanner()
    data, queries, cuts = bytearray(), [], 0
    for chunk in chunks:
        for event in scanner.feed(chunk):
            if event.kind == "data":
                data += event.data
            elif event.kind == "query":
                queries.append(event.query)
            else:
                cuts += 1
    return bytes(data), queries, cuts


@pytest.mark.parametrize(("name", "data"), ROWS, ids=IDS)
def test_the_parser_reads_each_golden_command_whole(name: str, data: bytes) -> None:
    found = list(tokens(data))
    assert len(found) == 1 and isinstance(found[0], Command)
    command = found[0]
    assert (command.name, command.length, command.complete, command.known) == (name, len(data), True, True)
    shape = measure(data, 0)
    assert shape is not None and shape.head + shape.body == len(data)
    for cut in range(1, len(data)):  # any shorter stream is an unfinished command, never a wrong one
        assert not list(tokens(data[:cut]))[-1].complete


@pytest.mark.parametrize(("name", "data"), [row for row in ROWS if row[0] != "DLE EOT"],
                         ids=[i for i, row in zip(IDS, ROWS, strict=True) if row[0] != "DLE EOT"])
def test_the_emulator_ends_each_golden_command_where_the_parser_does(name: str, data: bytes) -> None:
    expected = (data + b"\x04\x01", [2], 1 if name == "GS V" else 0)
    assert scan([data + QUERIES]) == expected
    assert scan([bytes([b]) for b in data + QUERIES]) == expected  # one byte at a time, as a slow line sends


@pytest.mark.parametrize(("name", "data"), [row for row in ROWS if row[0] != "DLE EOT"],
                         ids=[i for i, row in zip(IDS, ROWS, strict=True) if row[0] != "DLE EOT"])
def test_the_interpreter_ends_each_golden_command_where_the_parser_does(name: str, data: bytes) -> None:
    printed = parse(b"\x1b@" + data + b"ok\n", 384, draw=False)
    assert printed.text_lines == ["ok"]
    assert all(report.startswith(name) for report in printed.unknown_commands)  # only "skipped, not drawn"
    assert len(printed.unknown_commands) <= 1


def test_every_command_in_the_table_has_a_golden_sample() -> None:
    assert {spec.name for spec in COMMANDS.values()} == {name for name, _ in ROWS}


def test_unknown_commands_are_two_bytes_and_a_stray_dle_is_one() -> None:
    found = list(tokens(b"\x1b~A\x1d\x7fB\x10AC\x10\x10\x04\x01"))
    assert [(type(t).__name__, t.start, getattr(t, "known", None)) for t in found] == [
        ("Command", 0, False), ("Text", 2, None), ("Command", 3, False), ("Text", 5, None),
        ("Command", 6, False), ("Text", 7, None), ("Command", 9, False), ("Command", 10, True)]
    assert [t.name for t in found if isinstance(t, Command)] == ["ESC ~", "GS 0x7F", "DLE A", "DLE 0x10",
                                                                 "DLE EOT"]
    assert scan([b"\x10\x10\x04\x01"]) == (b"\x10", [1], 0)  # a query after a stray DLE is still answered


def test_a_stream_ending_inside_a_command_waits_in_the_emulator_and_is_reported_by_the_interpreter() -> None:
    scanner = EscPosScanner()
    first = scanner.feed(b"ok\x1d(k\x04")
    assert [(e.kind, e.data) for e in first] == [("data", b"ok")]
    rest = scanner.feed(b"\x001P0\x10\x10\x04\x04")
    assert [(e.kind, e.data, e.query) for e in rest] == [("data", b"\x1d(k\x04\x001P0\x10", 0), ("query", b"", 4)]
    printed = parse(b"x\n\x1b!", 384, draw=False)
    assert printed.text_lines == ["x"] and printed.unknown_commands == ["ESC ! cut short at byte 2"]
    printed = parse(b"\x1dv0\x00\x05\x00", 384, draw=False)
    assert printed.unknown_commands == ["GS v 0 raster header cut short at byte 0"] and printed.raster_images == 0
    printed = parse(b"\x1dv0\x00\x02\x00\x09\x00ab", 384)  # header whole, rows cut short: drawn as far as sent
    assert printed.raster_images == 1 and printed.unknown_commands == []


def test_a_barcode_carrying_dle_eot_is_not_answered_by_the_emulator() -> None:
    printer = EmulatedPrinter(render_png=False)
    session = printer.open_session()
    job = b"\x1b@" + b"\x1dkI\x03\x10\x04\x01" + b"\x1dk\x04\x10\x04\x04\x00" + b"ok\n"
    assert session.feed(job + b"\x10\x04\x04") == b"\x12"  # only the real query, after the job
    assert session.end().data == job


def test_fs_paren_and_graphics_are_skipped_whole_by_the_interpreter() -> None:
    data = b"\x1b@\x1c(A\x02\x000A" + b"\x1d8L\x04\x00\x00\x0001pq" + b"ok\n"
    printed = parse(data, 384, draw=False)
    assert printed.text_lines == ["ok"]
    assert printed.unknown_commands == ["FS ( A (skipped 2 bytes) at byte 2",
                                        "GS 8 L graphics (skipped 4 bytes, not drawn) at byte 9"]


GOLDEN_DIR = Path(__file__).resolve().parents[2] / "golden" / "printers"


@pytest.mark.parametrize("path", sorted(GOLDEN_DIR.glob("*.bin")), ids=lambda p: p.name)
def test_the_kiosks_own_receipts_are_read_alike(path: Path) -> None:
    data = path.read_bytes()
    found = list(tokens(data))
    assert b"".join(data[t.start:t.start + (len(t.data) if isinstance(t, Text) else t.length)]
                    for t in found) == data
    assert all(isinstance(t, Text) or (t.known and t.complete) for t in found)
    assert parse(data, 576 if "-80-" in path.name else 384, draw=False).unknown_commands == []
    assert scan([data[k:k + 7] for k in range(0, len(data), 7)]) == (data, [], data.count(b"\x1dV"))


def _expected_scan(data: bytes) -> tuple[bytes, list[int]]:
    """What the emulator must make of ``data``, worked out from the parser's tokens."""
    kept, queries = bytearray(), []
    for token in tokens(data):
        if isinstance(token, Text):
            kept += token.data
        elif token.spec is not None and token.spec.role is Role.STATUS_QUERY and token.complete:
            queries.append(token.params[0])
        elif token.head_complete:
            kept += data[token.start:token.start + token.length]
    return bytes(kept), queries


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.sampled_from([data for _, data in ROWS] + [b"ok", b"\n", b"\x1b", b"\x10", b"\xd6\xd0"]),
                max_size=12),
       st.binary(max_size=40), st.integers(min_value=1, max_value=9))
def test_emulator_and_parser_agree_on_any_stream(pieces: list[bytes], noise: bytes, chunk: int) -> None:
    data = b"".join(pieces) + noise
    kept, queries, _ = scan([data[k:k + chunk] for k in range(0, len(data), chunk)])
    assert (kept, queries) == _expected_scan(data)


def test_a_broken_four_byte_code_does_not_eat_the_command_after_it() -> None:
    # b2 35 starts a GB18030 four-byte code, but ESC ! comes next: the command still applies
    printed = parse(b"\x1b@\xb2\x35\x1b!\x30" + "中".encode("gbk") + b"\n", 384)
    assert printed.text_lines == ["\ufffd5中"]
    assert printed.image.height == 54  # the double-height line (ESC ! 0x30), not a normal one


def test_a_stray_dle_is_reported_and_the_byte_after_it_printed() -> None:
    printed = parse(b"\x10Aok\n", 384, draw=False)
    assert printed.text_lines == ["Aok"] and printed.unknown_commands == ["DLE A at byte 0"]

"""The one parser of ESC/POS bytes: where each command starts and ends, its parameters and its data.

Both readers of printer bytes use it, so they cannot disagree on where a command ends:
    printers.emulator          finds DLE EOT status queries and GS V cuts in a stream that arrives in
                               pieces (:class:`EscPosScanner`), never inside image, QR or barcode data;
    printers.escpos_interpreter draws what a printer prints (:func:`tokens`).

A stream is text (every byte that does not start a command: characters, LF, CR ...) and commands. A
command starts with ESC (1B), FS (1C) or GS (1D) and a command byte, then ``params`` (the parameter
bytes the command's shape needs) and a ``body`` (bulk data whose length the parameters give: raster
rows, a QR payload, barcode data). :data:`COMMANDS` holds the shape of every command, once. DLE (10)
starts a command only as DLE EOT n, DLE ENQ n and DLE DC4 (the real-time requests); any other DLE is
a stray control byte of its own. An ESC, FS or GS command that is not in the table is taken as two
bytes (``known`` False), as printers skip a command they do not know.

Lengths follow the Epson ESC/POS reference (and the Chinese clones' extras: ESC B n t beeper, ESC C n).
Nothing here raises on odd bytes: a stream that ends inside a command gives a command with
``complete`` False (:func:`tokens`) or waits for more bytes (:class:`EscPosScanner`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

DLE, ESC, FS, GS = 0x10, 0x1B, 0x1C, 0x1D
PREFIXES = frozenset((DLE, ESC, FS, GS))
PREFIX_NAMES = {DLE: "DLE", ESC: "ESC", FS: "FS", GS: "GS"}
_PREFIX_RE = re.compile(rb"[\x10\x1b\x1c\x1d]")
#: NUL-terminated parameters (GS k function A data, ESC D tab stops) are cut off after this many bytes,
#: so a stream that never sends the NUL cannot make the emulator buffer without end.
MAX_TERMINATED = 255

#: (bytes after the two command bytes, from where the parameters start) -> (parameter bytes, body bytes),
#: or None while there are too few bytes to know.
Shape = Callable[[bytes, int], "tuple[int, int] | None"]


class Role(StrEnum):
    """What a command means to someone who only scans the stream (the emulator)."""

    PRINT = "print"          # print data: part of the job
    STATUS_QUERY = "query"   # DLE EOT n: answered at once, not part of the job
    CUT = "cut"              # GS V: a serial printer's job ends here


@dataclass(frozen=True)
class CommandSpec:
    """One command's name, shape and role."""

    name: str
    shape: Shape
    role: Role = Role.PRINT


def fixed(count: int) -> Shape:
    """``count`` parameter bytes, no body."""
    return lambda _buf, _at: (count, 0)


def counted(count: int, body: Callable[[bytes], int]) -> Shape:
    """``count`` parameter bytes; ``body(params)`` data bytes follow."""

    def shape(buf: bytes, at: int) -> tuple[int, int] | None:
        if len(buf) < at + count:
            return None
        return count, body(bytes(buf[at:at + count]))
    return shape


def _little(params: bytes) -> int:
    return int.from_bytes(params, "little")


def _nul_terminated(buf: bytes, at: int, before: int = 0) -> tuple[int, int] | None:
    """``before`` parameter bytes, then bytes up to and including a NUL (at most MAX_TERMINATED)."""
    end = buf.find(0, at + before, at + before + MAX_TERMINATED)
    if end >= 0:
        return end + 1 - at, 0
    if len(buf) >= at + before + MAX_TERMINATED:
        return before + MAX_TERMINATED, 0
    return None


def _barcode(buf: bytes, at: int) -> tuple[int, int] | None:
    """GS k m d1..dk NUL (function A, m 0-6) or GS k m n d1..dn (function B)."""
    if len(buf) <= at:
        return None
    if buf[at] <= 6:
        return _nul_terminated(buf, at, before=1)
    return (2, buf[at + 1]) if len(buf) > at + 1 else None


def _cut(buf: bytes, at: int) -> tuple[int, int] | None:
    """GS V m (m 0, 1, 48, 49) or GS V m n (m 65, 66: feed then cut; 97, 98, 103, 104)."""
    if len(buf) <= at:
        return None
    return (2 if buf[at] in (65, 66, 97, 98, 103, 104) else 1), 0


def _real_time_dc4(buf: bytes, at: int) -> tuple[int, int] | None:
    """DLE DC4 fn ...: fn 8 (clear buffers) has 7 more bytes, the others (pulse, power-off) 2."""
    if len(buf) <= at:
        return None
    return (8 if buf[at] == 8 else 3), 0


def _name(prefix: int, command: str) -> str:
    return f"{PREFIX_NAMES[prefix]} {'SP' if command == ' ' else command}"


_SIZED = counted(3, lambda p: p[1] + 256 * p[2])  # fn pL pH, then pL + 256 pH bytes
_COLUMNS = counted(3, lambda p: (p[1] + 256 * p[2]) * (3 if p[0] in (32, 33) else 1))  # m nL nH: 24-dot or 8-dot

#: Every command the parser knows, by (prefix byte, command byte).
COMMANDS: dict[tuple[int, int], CommandSpec] = {
    (DLE, 0x04): CommandSpec("DLE EOT", fixed(1), Role.STATUS_QUERY),
    (DLE, 0x05): CommandSpec("DLE ENQ", fixed(1)),
    (DLE, 0x14): CommandSpec("DLE DC4", _real_time_dc4),
    **{(ESC, ord(c)): CommandSpec(_name(ESC, c), fixed(0)) for c in "@2LSim<"},
    **{(ESC, ord(c)): CommandSpec(_name(ESC, c), fixed(1)) for c in "!-EGJMRVadt3{ =%UrTCe?"},
    **{(ESC, ord(c)): CommandSpec(_name(ESC, c), fixed(2)) for c in "$\\Bc"},
    (ESC, ord("p")): CommandSpec("ESC p", fixed(3)),
    (ESC, ord("W")): CommandSpec("ESC W", fixed(8)),
    (ESC, ord("D")): CommandSpec("ESC D", _nul_terminated),
    (ESC, ord("*")): CommandSpec("ESC *", _COLUMNS),
    (ESC, ord("(")): CommandSpec("ESC (", _SIZED),
    **{(FS, ord(c)): CommandSpec(_name(FS, c), fixed(0)) for c in "&."},
    **{(FS, ord(c)): CommandSpec(_name(FS, c), fixed(1)) for c in "!-CW"},
    **{(FS, ord(c)): CommandSpec(_name(FS, c), fixed(2)) for c in "Sp?"},
    (FS, ord("(")): CommandSpec("FS (", _SIZED),
    **{(GS, ord(c)): CommandSpec(_name(GS, c), fixed(1)) for c in "!BHafhrw/IbTEJ"},
    **{(GS, ord(c)): CommandSpec(_name(GS, c), fixed(2)) for c in "LWP$\\"},
    (GS, ord("^")): CommandSpec("GS ^", fixed(3)),
    (GS, ord("V")): CommandSpec("GS V", _cut, Role.CUT),
    (GS, ord("v")): CommandSpec("GS v 0", counted(6, lambda p: (p[2] + 256 * p[3]) * (p[4] + 256 * p[5]))),
    (GS, ord("(")): CommandSpec("GS (", _SIZED),
    (GS, ord("8")): CommandSpec("GS 8 L", counted(5, lambda p: _little(p[1:5]))),
    (GS, ord("*")): CommandSpec("GS *", counted(2, lambda p: p[0] * p[1] * 8)),
    (GS, ord("k")): CommandSpec("GS k", _barcode),
}


class Measure(NamedTuple):
    """The shape of the command at some position: ``head`` bytes (prefix, command byte, parameters)
    and then ``body`` bytes of data. ``spec`` is None for a command the table does not know."""

    head: int
    body: int
    spec: CommandSpec | None

    @property
    def role(self) -> Role:
        return self.spec.role if self.spec is not None else Role.PRINT


def measure(buf: bytes, at: int) -> Measure | None:
    """The shape of the command that starts at ``buf[at]`` (a prefix byte), or None when ``buf`` ends
    before its length is known. A byte that is not a prefix, or a stray DLE, is a head of 1."""
    first = buf[at]
    if first not in PREFIXES:
        return Measure(1, 0, None)
    if at + 1 >= len(buf):
        return None
    spec = COMMANDS.get((first, buf[at + 1]))
    if spec is None:
        return Measure(1 if first == DLE else 2, 0, None)
    shape = spec.shape(buf, at + 2)
    if shape is None:
        return None
    params, body = shape
    if len(buf) < at + 2 + params:
        return None
    return Measure(2 + params, body, spec)


@dataclass(frozen=True)
class Text:
    """A run of bytes that are no command: characters and control bytes such as LF and CR."""

    data: bytes
    start: int


@dataclass(frozen=True)
class Command:
    """One command as it stands in the stream. ``complete`` is False when the stream ended inside it
    (then ``params`` and ``body`` hold what there was)."""

    prefix: int
    code: int | None  # None: the stream ended right after the prefix
    params: bytes
    body: bytes
    start: int
    spec: CommandSpec | None
    complete: bool = True
    head_complete: bool = True  # False: the stream ended inside the parameters, not only the body

    @property
    def known(self) -> bool:
        return self.spec is not None

    @property
    def name(self) -> str:
        if self.spec is not None:
            return self.spec.name
        return f"{PREFIX_NAMES[self.prefix]} {byte_name(self.code)}"

    @property
    def length(self) -> int:
        return (1 if self.code is None or (self.prefix == DLE and self.spec is None) else 2) \
            + len(self.params) + len(self.body)


def byte_name(value: int | None) -> str:
    """A command byte as a reader would write it: ``!``, ``0x7F`` or ``(end of data)``."""
    if value is None:
        return "(end of data)"
    return chr(value) if 0x20 < value < 0x7F else f"0x{value:02X}"


def tokens(data: bytes) -> Iterator[Text | Command]:
    """Split a whole byte stream into text runs and commands, in order (the last command may be
    incomplete)."""
    data = bytes(data)
    at = 0
    while at < len(data):
        if data[at] not in PREFIXES:
            found = _PREFIX_RE.search(data, at)
            end = found.start() if found else len(data)
            yield Text(data[at:end], at)
            at = end
            continue
        shape = measure(data, at)
        prefix = data[at]
        code = data[at + 1] if at + 1 < len(data) else None
        if shape is None:  # the stream ends inside the command's parameters
            spec = COMMANDS.get((prefix, code)) if code is not None else None
            yield Command(prefix, code, data[at + 2:], b"", at, spec, complete=False, head_complete=False)
            return
        if shape.spec is None and prefix == DLE:
            yield Command(prefix, code, b"", b"", at, None)  # a stray DLE: the next byte is read afresh
            at += 1
            continue
        head_end = at + shape.head
        body = data[head_end:head_end + shape.body]
        yield Command(prefix, code, data[at + 2:head_end], body, at, shape.spec,
                      complete=len(body) == shape.body)
        at = head_end + len(body)


class ScanKind(StrEnum):
    """What :class:`EscPosScanner` found."""

    DATA = "data"
    QUERY = "query"
    CUT = "cut"


@dataclass(frozen=True)
class ScanEvent:
    """One piece of the scanned stream: print data, a status query (``query`` = n) or a cut."""

    kind: ScanKind
    data: bytes = b""
    query: int = 0


class EscPosScanner:
    """Splits an ESC/POS stream that arrives in pieces into print data, DLE EOT queries and cuts.

    Pure and incremental: a command cut between two pieces waits for the rest; the bulk data of a
    command (raster rows, QR payloads) passes through without being buffered or looked into.
    """

    def __init__(self) -> None:
        self._pending = bytearray()
        self._skip = 0  # body bytes of a command that are still to come

    def feed(self, data: bytes) -> list[ScanEvent]:
        buf = bytes(self._pending + data)
        events: list[ScanEvent] = []
        out = bytearray()
        at = 0
        while at < len(buf):
            if self._skip:
                count = min(self._skip, len(buf) - at)
                out += buf[at:at + count]
                at += count
                self._skip -= count
                continue
            if buf[at] not in PREFIXES:  # a run of text: take it in one slice
                found = _PREFIX_RE.search(buf, at)
                end = found.start() if found else len(buf)
                out += buf[at:end]
                at = end
                continue
            shape = measure(buf, at)
            if shape is None:
                break  # incomplete command: wait for more bytes
            if shape.role is Role.STATUS_QUERY:
                if out:
                    events.append(ScanEvent(ScanKind.DATA, bytes(out)))
                    out.clear()
                events.append(ScanEvent(ScanKind.QUERY, query=buf[at + 2]))
            else:
                out += buf[at:at + shape.head]
                if shape.role is Role.CUT:
                    events.append(ScanEvent(ScanKind.DATA, bytes(out)))
                    out.clear()
                    events.append(ScanEvent(ScanKind.CUT))
            self._skip = shape.body
            at += shape.head
        if out:
            events.append(ScanEvent(ScanKind.DATA, bytes(out)))
        self._pending = bytearray(buf[at:])
        return events

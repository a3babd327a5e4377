"""Printer status: real-time DLE EOT queries and their parsing into words (Chinese for the screen,
English for logs).

Wire format (Epson ESC/POS and its Chinese clones), one reply byte per query, answered at once even
when the printer is offline or its buffer is full:

    10 04 01  printer status   bit3 = offline                      (0x12 online, 0x1A offline)
    10 04 02  offline cause    bit2 = cover open, bit5 = stopped by paper end, bit6 = error
    10 04 04  paper sensor     bits2,3 = near end (0x0C), bits5,6 = paper out (0x60)

Bits 1 and 4 of every reply are fixed to 1 and bit 0 and bit 7 to 0; a byte that does not match is
not a status reply (e.g. an ASB byte) and is skipped. A query that gets no reply within the status
timeout is an error (PrinterTimeout) — never "paper OK", unlike python-escpos's paper_status().
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from printers.errors import CoverOpen, PaperOut, PrinterOffline, PrinterTimeout
from printers.vocabulary import PrinterCondition

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_PAPER = b"\x10\x04\x04"
STATUS_TIMEOUT = 1.0  # seconds to wait for each DLE EOT reply

_FIXED_MASK = 0x93  # bits 0, 1, 4, 7
_FIXED_VALUE = 0x12  # bits 1 and 4 set, bits 0 and 7 clear


class StatusChannel(Protocol):
    """What query_status needs from an open connection to a printer."""

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes: ...


def is_status_byte(value: int) -> bool:
    """True when the byte has the fixed bits of a DLE EOT reply."""
    return value & _FIXED_MASK == _FIXED_VALUE


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself. ``fault`` is set when it said nothing useful (no answer,
    unreachable, or a transport that cannot read back); such a status is never ready."""

    online: bool = False
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    error: bool = False
    fault: str | None = None

    @property
    def ready(self) -> bool:
        return self.fault is None and self.online and not (self.cover_open or self.paper_out or self.error)

    @property
    def code(self) -> PrinterCondition:
        """A short stable word for logs, tests and the UI: the most important condition."""
        if self.fault is not None:
            return PrinterCondition.NO_ANSWER
        if self.cover_open:
            return PrinterCondition.COVER_OPEN
        if self.paper_out:
            return PrinterCondition.PAPER_OUT
        if self.error:
            return PrinterCondition.ERROR
        if not self.online:
            return PrinterCondition.OFFLINE
        if self.paper_near_end:
            return PrinterCondition.PAPER_NEAR_END
        return PrinterCondition.READY

    def describe_en(self) -> str:
        if self.fault is not None:
            return f"printer status unknown: {self.fault}"
        text = WORDS_EN[self.code]
        if self.code is not PrinterCondition.PAPER_NEAR_END and self.paper_near_end:
            text += "; paper nearly used up"
        return text

    def describe_zh(self) -> str:
        if self.fault is not None:
            return WORDS_ZH[PrinterCondition.NO_ANSWER]
        return WORDS_ZH[self.code]


#: Each condition in words: English for logs and staff, Chinese for the screen.
WORDS_EN: dict[PrinterCondition, str] = {
    PrinterCondition.COVER_OPEN: "cover open",
    PrinterCondition.PAPER_OUT: "paper out",
    PrinterCondition.ERROR: "printer error (cutter or head); needs a technician",
    PrinterCondition.OFFLINE: "printer offline",
    PrinterCondition.PAPER_NEAR_END: "ready, paper nearly used up",
    PrinterCondition.READY: "ready",
}
WORDS_ZH: dict[PrinterCondition, str] = {
    PrinterCondition.NO_ANSWER: "打印机无响应，请联系工作人员检查打印机电源和连接",
    PrinterCondition.COVER_OPEN: "打印机盖未合上，请工作人员合上机盖",
    PrinterCondition.PAPER_OUT: "打印机缺纸，请工作人员装入打印纸",
    PrinterCondition.ERROR: "打印机故障，请联系工作人员",
    PrinterCondition.OFFLINE: "打印机离线，请联系工作人员",
    PrinterCondition.PAPER_NEAR_END: "打印机就绪，打印纸即将用完",
    PrinterCondition.READY: "打印机就绪",
}


def parse_status(printer: int, offline_cause: int, paper: int) -> PrinterStatus:
    """Build a PrinterStatus from the reply bytes to DLE EOT 1, 2 and 4."""
    return PrinterStatus(
        online=not printer & 0x08,
        cover_open=bool(offline_cause & 0x04),
        error=bool(offline_cause & 0x40),
        paper_near_end=bool(paper & 0x0C),
        paper_out=bool(paper & 0x60) or bool(offline_cause & 0x20),
    )


def unknown_status(reason: str) -> PrinterStatus:
    """A status for when the printer could not be asked or did not answer."""
    return PrinterStatus(fault=reason)


def _ask(channel: StatusChannel, query: bytes, timeout: float) -> int:
    channel.write(query)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        reply = channel.read(1, remaining)
        if reply and is_status_byte(reply[0]):
            return reply[0]
        # an empty read is a timeout on the transport side; anything else is noise (ASB): keep waiting
        if not reply:
            break
    raise PrinterTimeout(f"printer did not answer status query {query.hex(' ')} within {timeout:g} s")


def query_status(channel: StatusChannel, timeout: float = STATUS_TIMEOUT) -> PrinterStatus:
    """Ask DLE EOT 1, 2 and 4 over an open channel and parse the answers; PrinterTimeout if silent."""
    printer = _ask(channel, DLE_EOT_PRINTER, timeout)
    cause = _ask(channel, DLE_EOT_OFFLINE_CAUSE, timeout)
    paper = _ask(channel, DLE_EOT_PAPER, timeout)
    return parse_status(printer, cause, paper)


def raise_if_not_ready(status: PrinterStatus, when: str) -> None:
    """Raise PaperOut / CoverOpen / PrinterOffline (carrying the status) unless the printer is ready."""
    if status.ready:
        return
    message = f"{when}: {status.describe_en()}"
    if status.cover_open:
        raise CoverOpen(message, status)
    if status.paper_out:
        raise PaperOut(message, status)
    raise PrinterOffline(message, status)

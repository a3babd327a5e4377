"""sim:// transport: the in-process printer emulator (printers.emulator.EmulatedPrinter).

Wire format: the same ESC/POS bytes and DLE EOT replies as a real printer, passed in memory; a job
ends when the channel closes. The emulator keeps every job (``printer.jobs``) and can render it as a
PNG preview; the composition root passes its own EmulatedPrinter so the demo can show them.
URL: sim:// with the common options (width=576|384 sets the emulated paper width).
Faults set on the emulator behave as on TCP: a stalled printer makes writes and status reads time
out (after the named timeouts), a programmed drop raises PrinterConnectionLost(reset=True).
"""

from __future__ import annotations

from printers.emulator import ConnectionDropped, EmulatedPrinter, EmulatorSession
from printers.errors import PrinterConnectionLost, PrinterTimeout
from printers.transports.base import Channel, Transport, TransportTimeouts
from printers.url import PrinterUrl


class SimChannel(Channel):
    def __init__(self, printer: EmulatedPrinter, session: EmulatorSession, transport: SimTransport) -> None:
        self._printer = printer
        self._session = session
        self._transport = transport
        self._replies = bytearray()
        self._dropped = False

    def _wait_unstalled(self, timeout: float) -> bool:
        return self._printer.wait_until(lambda: not self._printer.stalled, timeout)

    def write(self, data: bytes) -> None:
        if self._dropped:
            raise PrinterConnectionLost("emulated printer reset the connection", reset=True)
        if self._printer.stalled and data.startswith(b"\x10\x04") and len(data) == 3:
            return  # like a socket buffer: a short query is taken, but a stalled printer never answers
        timeout = self._transport.timeouts.write_timeout(len(data))
        if not self._wait_unstalled(timeout):
            raise PrinterTimeout(f"printer stopped taking data (write not finished within {timeout:.1f} s)")
        try:
            self._replies += self._session.feed(data)
        except ConnectionDropped:
            self._dropped = True
            message = "emulated printer reset the connection while sending"
            raise PrinterConnectionLost(message, reset=True) from None

    def read(self, size: int, timeout: float) -> bytes:
        if self._dropped:
            raise PrinterConnectionLost("emulated printer reset the connection", reset=True)
        if not self._replies:
            return b""
        reply = bytes(self._replies[:size])
        del self._replies[:size]
        return reply

    def close(self) -> None:
        if not self._dropped:
            self._session.end("close")

    def abort(self) -> None:
        if not self._dropped:
            self._session.end("reset")


class SimTransport(Transport):
    def __init__(self, url: PrinterUrl, timeouts: TransportTimeouts,
                 printer: EmulatedPrinter | None = None) -> None:
        super().__init__(url, timeouts)
        self.printer = printer if printer is not None else EmulatedPrinter(width_dots=url.width or 576)

    def open(self) -> SimChannel:
        return SimChannel(self.printer, self.printer.open_session(), self)

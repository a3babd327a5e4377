"""The transport interface: how the queue and the technician CLI talk to any printer.

A Transport opens a Channel per job (a fresh TCP connection, a freshly opened serial port, ...).
A Channel writes bytes with a timeout and, when the transport can read back (``can_read_status``),
reads reply bytes for the real-time status queries. Channels are context managers; closing one ends
the job on the printer side (for tcp:// the emulator treats a connection close as the job boundary).

Errors raised by channels (all in printers.errors):
    PrinterUnreachable     open() failed: nothing was sent
    PrinterTimeout         a write or a read did not finish within its timeout
    PrinterConnectionLost  the peer reset or closed the connection (``reset`` tells which)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from types import TracebackType

from printers.url import PrinterUrl


@dataclass(frozen=True)
class TransportTimeouts:
    """Named timeouts in seconds (measured with time.monotonic()).

    A job write may take ``write`` seconds plus one second per ``min_rate`` bytes (large raster
    jobs on slow links); serial channels derive the rate from the baud rate instead.
    """

    connect: float = 3.0
    status: float = 1.0
    write: float = 10.0
    min_rate: float = 20_000.0

    def write_timeout(self, size: int, bytes_per_second: float | None = None) -> float:
        rate = bytes_per_second if bytes_per_second else self.min_rate
        return self.write + size / rate


def _stopped_taking_data(timeout: float) -> str:
    return f"printer stopped taking data (write not finished within {timeout:.1f} s)"


class Channel(ABC):
    """One open connection to a printer, for one job."""

    @abstractmethod
    def write(self, data: bytes) -> None:
        """Send every byte or raise (PrinterTimeout, PrinterConnectionLost)."""

    @abstractmethod
    def read(self, size: int, timeout: float) -> bytes:
        """Return up to ``size`` bytes, or b"" when nothing came within ``timeout`` seconds."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; never raises."""

    def abort(self) -> None:
        """Close after a fault, discarding anything not yet sent (default: same as close)."""
        self.close()

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is None:
            self.close()
        else:
            self.abort()


class Transport(ABC):
    """A printer address that can be opened once per job."""

    #: False for transports that cannot read anything back (file://, cups://).
    can_read_status: bool = True

    def __init__(self, url: PrinterUrl, timeouts: TransportTimeouts) -> None:
        self.url = url
        self.timeouts = timeouts

    @abstractmethod
    def open(self) -> Channel:
        """Open a channel for one job; raise PrinterUnreachable when the printer cannot be reached."""

    def describe(self) -> str:
        return str(self.url)

"""Printer transports: open a printer URL (printers.url) as a Transport, and deliver jobs to it.

    transport = open_transport("tcp://192.168.1.50:9100")
    result = deliver(transport, escpos_bytes)         # status before, write, status after
    status = probe_status(transport)                   # never raises; status.ready / describe_zh()

Schemes: tcp (transports.tcp), serial (transports.serial_port), usb (transports.usb), file
(transports.file), cups (transports.cups), sim (transports.sim). Modules are imported only when
their scheme is opened, so nothing heavy happens at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from printers.transports.base import Channel, Transport, TransportTimeouts
from printers.transports.delivery import DeliveryResult, deliver, probe_status
from printers.url import PrinterUrl, parse_printer_url

if TYPE_CHECKING:
    from printers.emulator import EmulatedPrinter

__all__ = ["Channel", "DeliveryResult", "Transport", "TransportTimeouts", "deliver", "open_transport",
           "probe_status"]


def open_transport(url: str | PrinterUrl, timeouts: TransportTimeouts | None = None, *,
                   sim_printer: EmulatedPrinter | None = None) -> Transport:
    """Build the transport for a printer URL (raises PrinterUrlError for a bad URL). Nothing is
    opened yet: every job opens its own channel."""
    parsed = url if isinstance(url, PrinterUrl) else parse_printer_url(url)
    timeouts = timeouts or TransportTimeouts()
    if parsed.scheme == "tcp":
        from printers.transports.tcp import TcpTransport

        return TcpTransport(parsed, timeouts)
    if parsed.scheme == "serial":
        from printers.transports.serial_port import SerialTransport

        return SerialTransport(parsed, timeouts)
    if parsed.scheme == "usb":
        from printers.transports.usb import UsbTransport

        return UsbTransport(parsed, timeouts)
    if parsed.scheme == "file":
        from printers.transports.file import FileTransport

        return FileTransport(parsed, timeouts)
    if parsed.scheme == "cups":
        from printers.transports.cups import CupsTransport

        return CupsTransport(parsed, timeouts)
    from printers.transports.sim import SimTransport

    return SimTransport(parsed, timeouts, sim_printer)

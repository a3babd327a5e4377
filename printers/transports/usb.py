"""usb:// transport: a USB printer-class device through python-escpos's Usb class (pyusb + libusb).

Wire format: ESC/POS bytes written to the OUT endpoint (0x01), DLE EOT replies read from the IN
endpoint (0x82), one device opening per job. URL: usb://VENDOR:PRODUCT, e.g. usb://0x0416:0x5011.

Needs the `pyusb` package and libusb, plus permission on the device node (a udev rule). Neither is
installed on the development machine, so this transport is untested here: without pyusb it raises
PrinterUnreachable saying so. Kernel-driven printers (/dev/usb/lp0) are better used through file://.
"""

from __future__ import annotations

import contextlib
from typing import Any

from printers.errors import PrinterConnectionLost, PrinterTimeout, PrinterUnreachable
from printers.transports.base import Channel, Transport

IN_ENDPOINT = 0x82
OUT_ENDPOINT = 0x01


class UsbChannel(Channel):
    def __init__(self, printer: Any, transport: UsbTransport) -> None:
        self._printer = printer
        self._transport = transport

    def write(self, data: bytes) -> None:
        import usb.core

        timeout_ms = int(self._transport.timeouts.write_timeout(len(data)) * 1000)
        try:
            self._printer.device.write(OUT_ENDPOINT, data, timeout_ms)
        except usb.core.USBTimeoutError:
            raise PrinterTimeout(f"USB printer stopped taking data within {timeout_ms / 1000:.1f} s") \
                from None
        except usb.core.USBError as error:
            raise PrinterConnectionLost(f"USB printer failed while sending ({error})") from None

    def read(self, size: int, timeout: float) -> bytes:
        import usb.core

        try:
            return bytes(self._printer.device.read(IN_ENDPOINT, max(size, 16), max(int(timeout * 1000), 1)))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as error:
            raise PrinterConnectionLost(f"USB printer failed while reading ({error})") from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._printer.close()


class UsbTransport(Transport):
    def open(self) -> UsbChannel:
        try:
            import usb.core  # noqa: F401  (pyusb: python-escpos's Usb needs it)

            from printers.escpos_lib import escpos_printer

            Usb = escpos_printer().Usb
        except ImportError:
            raise PrinterUnreachable("usb:// printers need pyusb and libusb (not installed)") from None
        printer = Usb(self.url.vendor_id, self.url.product_id, timeout=int(self.timeouts.write * 1000),
                      in_ep=IN_ENDPOINT, out_ep=OUT_ENDPOINT)
        try:
            printer.open()
        except Exception as error:  # escpos raises DeviceNotFoundError / USBNotFoundError / usb errors
            ids = f"{self.url.vendor_id:04x}:{self.url.product_id:04x}"
            raise PrinterUnreachable(f"cannot open USB printer {ids}: {error}") from None
        return UsbChannel(printer, self)

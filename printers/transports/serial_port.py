"""serial:// transport: an RS-232 / USB-serial printer opened with serial.serial_for_url (never with
escpos.printer.Serial), freshly opened for each job.

Wire format: the ESC/POS bytes as they are at 8N1; DLE EOT replies read back on the same line.
URL: serial://PORT where PORT is anything serial_for_url accepts (serial:///dev/ttyS1, serial://COM3,
serial://loop://, serial://socket://HOST:PORT); options baudrate= (default 9600), rtscts=, xonxoff=,
dsrdtr= (0/1). The write timeout grows with the job: a byte takes 10 bits on the wire, and we allow
twice the nominal transfer time on top of the base write timeout.
"""

from __future__ import annotations

import contextlib

import serial

from printers.errors import PrinterConnectionLost, PrinterTimeout, PrinterUnreachable
from printers.transports.base import Channel, Transport, _stopped_taking_data

BITS_PER_BYTE = 10  # start + 8 data + stop
TRANSFER_MARGIN = 2.0  # allow twice the nominal transfer time


class SerialChannel(Channel):
    def __init__(self, port: serial.SerialBase, transport: SerialTransport) -> None:
        self._port = port
        self._transport = transport

    def write(self, data: bytes) -> None:
        rate = self._transport.url.baudrate / BITS_PER_BYTE / TRANSFER_MARGIN
        timeout = self._transport.timeouts.write_timeout(len(data), rate)
        self._port.write_timeout = timeout
        try:
            self._port.write(data)
            self._port.flush()
        except serial.SerialTimeoutException:
            raise PrinterTimeout(_stopped_taking_data(timeout)) from None
        except (serial.SerialException, OSError) as error:
            raise PrinterConnectionLost(f"serial line failed while sending ({error})") from None

    def read(self, size: int, timeout: float) -> bytes:
        self._port.timeout = max(timeout, 0.001)
        try:
            return bytes(self._port.read(size))
        except (serial.SerialException, OSError) as error:
            raise PrinterConnectionLost(f"serial line failed while reading ({error})") from None

    def drain_input(self) -> None:
        with contextlib.suppress(serial.SerialException, OSError):
            self._port.reset_input_buffer()

    def close(self) -> None:
        with contextlib.suppress(serial.SerialException, OSError):
            self._port.close()

    def abort(self) -> None:
        with contextlib.suppress(serial.SerialException, OSError):
            self._port.reset_output_buffer()
        self.close()


class SerialTransport(Transport):
    def open(self) -> SerialChannel:
        url = self.url
        try:
            port = serial.serial_for_url(
                url.target, baudrate=url.baudrate, timeout=self.timeouts.status,
                write_timeout=self.timeouts.write, rtscts=url.rtscts, xonxoff=url.xonxoff, dsrdtr=url.dsrdtr)
        except (serial.SerialException, OSError, ValueError) as error:
            raise PrinterUnreachable(f"cannot open serial printer {url.target}: {error}") from None
        channel = SerialChannel(port, self)
        channel.drain_input()
        return channel

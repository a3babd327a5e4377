"""tcp:// transport: raw TCP to a network printer (port 9100, "JetDirect"), a fresh connection per job.

Wire format: the ESC/POS bytes as they are, and DLE EOT status replies (one byte each) read back on
the same connection. URL: tcp://HOST[:PORT] (default port 9100); option timeout= overrides the
connect timeout. The socket has SO_KEEPALIVE on. After a fault the socket is closed with SO_LINGER 0
so bytes still in the send buffer are discarded instead of reaching the printer later.
"""

from __future__ import annotations

import contextlib
import socket
import struct

from printers.errors import PrinterConnectionLost, PrinterTimeout, PrinterUnreachable
from printers.transports.base import Channel, Transport, _stopped_taking_data


class TcpChannel(Channel):
    def __init__(self, sock: socket.socket, transport: TcpTransport) -> None:
        self._sock = sock
        self._transport = transport

    def write(self, data: bytes) -> None:
        timeout = self._transport.timeouts.write_timeout(len(data))
        self._sock.settimeout(timeout)
        try:
            self._sock.sendall(data)
        except TimeoutError:
            raise PrinterTimeout(_stopped_taking_data(timeout)) from None
        except (ConnectionResetError, BrokenPipeError) as error:
            message = f"printer reset the connection while sending ({error})"
            raise PrinterConnectionLost(message, reset=True) from None
        except OSError as error:
            raise PrinterConnectionLost(f"connection to the printer failed while sending ({error})") from None

    def read(self, size: int, timeout: float) -> bytes:
        self._sock.settimeout(max(timeout, 0.001))
        try:
            data = self._sock.recv(size)
        except TimeoutError:
            return b""
        except ConnectionResetError:
            raise PrinterConnectionLost("printer reset the connection", reset=True) from None
        except OSError as error:
            raise PrinterConnectionLost(f"connection to the printer failed ({error})") from None
        if not data:
            raise PrinterConnectionLost("printer closed the connection")
        return data

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()


class TcpTransport(Transport):
    def open(self) -> TcpChannel:
        timeout = self.url.timeout or self.timeouts.connect
        try:
            sock = socket.create_connection((self.url.host, self.url.port), timeout=timeout)
        except TimeoutError:
            raise PrinterUnreachable(
                f"no connection to printer {self.url.host}:{self.url.port} within {timeout:g} s") from None
        except OSError as error:
            reason = error.strerror or error
            address = f"{self.url.host}:{self.url.port}"
            raise PrinterUnreachable(f"cannot connect to printer {address}: {reason}") from None
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return TcpChannel(sock, self)

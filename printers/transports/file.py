"""file:// transport: write the raw ESC/POS bytes to a device file such as /dev/usb/lp0 (or any file).

Wire format: the bytes as they are, appended. The printer cannot answer through a file, so
``can_read_status`` is False and a job counts as done once every byte was written. URL:
file:///ABSOLUTE/PATH. The write uses a non-blocking descriptor and select() so a printer that stops
taking data raises PrinterTimeout instead of hanging.
"""

from __future__ import annotations

import contextlib
import os
import select
import time

from printers.errors import PrinterConnectionLost, PrinterTimeout, PrinterUnreachable, StatusUnsupported
from printers.transports.base import Channel, Transport


class FileChannel(Channel):
    def __init__(self, fd: int, transport: FileTransport) -> None:
        self._fd = fd
        self._transport = transport

    def write(self, data: bytes) -> None:
        timeout = self._transport.timeouts.write_timeout(len(data))
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PrinterTimeout(f"device stopped taking data (not all written within {timeout:.1f} s)")
            _, writable, _ = select.select([], [self._fd], [], remaining)
            if not writable:
                continue
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                continue
            except OSError as error:
                target = self._transport.url.target
                raise PrinterConnectionLost(f"writing to {target} failed: {error}") from None
            view = view[written:]

    def read(self, size: int, timeout: float) -> bytes:
        raise StatusUnsupported(f"{self._transport.url} cannot report printer status (file:// is write-only)")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


class FileTransport(Transport):
    can_read_status = False

    def open(self) -> FileChannel:
        path = self.url.target
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o600)
        except OSError as error:
            reason = error.strerror or error
            raise PrinterUnreachable(f"cannot open printer device {path}: {reason}") from None
        return FileChannel(fd, self)

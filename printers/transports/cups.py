"""cups:// transport: a raw job through CUPS with `lp -d QUEUE -o raw` (the bytes on its stdin).

Wire format: the ESC/POS bytes, passed to CUPS unfiltered. CUPS gives no printer status back, so
``can_read_status`` is False: a job counts as done once `lp` accepted it. URL: cups://QUEUE.
Needs the `lp` command (Debian package cups-client); its absence raises PrinterUnreachable.
"""

from __future__ import annotations

import shutil
import subprocess

from printers.errors import PrinterTimeout, PrinterUnreachable, StatusUnsupported
from printers.transports.base import Channel, Transport, TransportTimeouts
from printers.url import PrinterUrl


class CupsChannel(Channel):
    def __init__(self, lp_path: str, transport: CupsTransport) -> None:
        self._lp_path = lp_path
        self._transport = transport

    def write(self, data: bytes) -> None:
        queue = self._transport.url.target
        timeout = self._transport.timeouts.write_timeout(len(data))
        try:
            result = subprocess.run([self._lp_path, "-d", queue, "-o", "raw"], input=data,
                                    capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PrinterTimeout(f"`lp -d {queue}` did not finish within {timeout:.1f} s") from None
        except OSError as error:
            raise PrinterUnreachable(f"cannot run {self._lp_path}: {error}") from None
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip() or f"exit status {result.returncode}"
            raise PrinterUnreachable(f"CUPS refused the job for queue {queue!r}: {message}")

    def read(self, size: int, timeout: float) -> bytes:
        raise StatusUnsupported(f"{self._transport.url} cannot report printer status (CUPS raw queue)")

    def close(self) -> None:
        pass


class CupsTransport(Transport):
    can_read_status = False

    def __init__(self, url: PrinterUrl, timeouts: TransportTimeouts, lp_command: str = "lp") -> None:
        super().__init__(url, timeouts)
        self.lp_command = lp_command

    def open(self) -> CupsChannel:
        lp_path = shutil.which(self.lp_command)
        if lp_path is None:
            raise PrinterUnreachable(
                f"cups:// needs the `{self.lp_command}` command (install the cups-client package)")
        return CupsChannel(lp_path, self)

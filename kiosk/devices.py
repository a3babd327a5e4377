"""Device wiring: the reader, printer and camera this kiosk talks to, real or simulated, decided once.

`wire_devices(config.devices, ...)` is called by the composition root (`kiosk.app.Kiosk`) and by
`kiosk doctor` (which checks the devices without building a kiosk); nothing else in `kiosk` looks at
a device URL's scheme or makes a simulator. Everyone else asks the `Devices` it returns:

- `reader_simulated` / `open_reader(on_event)`: the card reader (a `sim://` reader is idreader's protocol
  simulator on a pty, reached through the same serial driver; `reader.simulator` is then set);
- `sim_printer` (None for a real printer) / `printer_transport(timeouts, url)`: every connection to a
  `sim://` printer reaches the ONE in-process ESC/POS emulator made here, so the queue, the technician's
  status probe and the demo drawer's paper-out all see the same printer;
- `camera_url` / `camera_simulated` / `open_camera()`: the document camera, a frame source
  (kiosk.camera.sources); `sim://` plays the demo photos under assets/camera.

`serve_sim_reader` and `serve_emulated_printer` put the reader simulator and the printer emulator on real
TCP sockets for `kiosk --self-test` (the bundle's check of itself).

Nothing here touches Qt; the device packages (idreader, printers) never import it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assets import asset_path
from printers.emulator import CapturedJob, EmulatedPrinter
from printers.transports import Transport, TransportTimeouts, open_transport
from printers.url import parse_printer_url

if TYPE_CHECKING:  # the reader's modules (serial, the simulator, its pty and TCP servers) load when a reader does:
    from idreader.reader import CardReader  # `kiosk apply` has none (issue 17)

#: The photos the sim:// camera plays (made by `python -m kiosk.camera.synthetic assets/camera`).
SIM_CAMERA_FOLDER = ("camera",)

#: The emulated paper width when a sim:// printer URL names none (80 mm paper).
DEFAULT_SIM_WIDTH_DOTS = 576


@dataclass(frozen=True)
class Devices:
    """The kiosk's devices as the configuration names them; built by `wire_devices`."""

    reader_url: str
    printer_url: str
    camera_url: str
    sim_printer: EmulatedPrinter | None = None

    @property
    def reader_simulated(self) -> bool:
        """The reader is idreader's simulator (raises idreader ReaderUrlError for a bad address)."""
        from idreader.ports import parse_reader_url

        return parse_reader_url(self.reader_url).simulated

    @property
    def printer_simulated(self) -> bool:
        return self.sim_printer is not None

    def open_reader(self, on_event: Callable[[Any], None] | None = None) -> CardReader:
        """The card reader, not started yet (ReaderError when its address is wrong)."""
        from idreader.reader import CardReader

        return CardReader(self.reader_url, on_event=on_event)

    @property
    def camera_simulated(self) -> bool:
        """The camera is the sim:// one (raises kiosk.camera CameraError for a bad address)."""
        from kiosk.camera.url import parse_camera_url

        return parse_camera_url(self.camera_url).simulated

    def open_camera(self, url: str | None = None):
        """A frame source for `url` (default: the configured camera; kiosk.camera.sources); sim://
        plays the demo photos. Raises CameraError (plain Chinese) when it cannot be opened."""
        from kiosk.camera.sources import PhotoSource, open_source
        from kiosk.camera.url import parse_camera_url

        parsed = parse_camera_url(url or self.camera_url)
        if parsed.kind == "none":
            from kiosk.camera.url import CameraError

            raise CameraError("本终端没有配置拍摄仪：需要拍摄的纸质材料请工作人员协助提交（devices.camera = none）")
        if parsed.simulated:
            return PhotoSource(asset_path(*SIM_CAMERA_FOLDER), name="sim://")
        return open_source(parsed)

    def printer_transport(self, timeouts: TransportTimeouts | None = None, url: str | None = None) -> Transport:
        """A transport to `url` (default: the configured printer); a sim:// URL reaches `sim_printer`."""
        return open_transport(url or self.printer_url, timeouts, sim_printer=self.sim_printer)


#: Slips the simulated printer keeps in memory (their files stay in the capture folder): a slip shows its
#: holder's name, so a demo kiosk running for months keeps only the last few, not the emulator's 200.
SIM_KEEP_JOBS = 16


def wire_devices(settings: Any, *, capture_dir: Path | None = None,
                 on_printed: Callable[[CapturedJob], None] | None = None) -> Devices:
    """Decide, from `settings` (kiosk.config.DeviceSettings), which devices are simulated, and make the
    simulated printer (every slip kept in `capture_dir` when given, `on_printed` told of each).
    Raises printers' PrinterUrlError for a bad printer URL."""
    parsed = parse_printer_url(settings.printer)
    sim_printer = None
    if parsed.scheme == "sim":
        sim_printer = EmulatedPrinter(width_dots=parsed.width or DEFAULT_SIM_WIDTH_DOTS, capture_dir=capture_dir,
                                      on_job=on_printed, keep_jobs=SIM_KEEP_JOBS)
    return Devices(settings.reader, settings.printer, settings.camera, sim_printer)


@contextmanager
def serve_sim_reader(card: str) -> Iterator[str]:
    """idreader's protocol simulator with the demo card `card` on the reader, served on a real TCP socket
    on 127.0.0.1 (real frames, paced at the wire's speed): yields its `socket://HOST:PORT` address and
    stops it after. For `kiosk --self-test` (kiosk.commands.selftest)."""
    from idreader.simulator import SimulatedReader, TcpServer

    server = TcpServer(SimulatedReader([card])).start()
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def serve_emulated_printer(capture_dir: Path,
                           width_dots: int = DEFAULT_SIM_WIDTH_DOTS) -> Iterator[tuple[str, EmulatedPrinter]]:
    """The ESC/POS printer emulator on a real TCP port on 127.0.0.1 (a 9100-style raw printer that keeps
    each job's bytes and PNG in `capture_dir`): yields `(tcp://HOST:PORT, printer)` and stops it after.
    For `kiosk --self-test` (kiosk.commands.selftest)."""
    from printers.emulator import EmulatorServer

    printer = EmulatedPrinter(width_dots=width_dots, capture_dir=capture_dir)
    server = EmulatorServer(printer)
    url = server.start()
    try:
        yield url, printer
    finally:
        server.stop()
        printer.close()

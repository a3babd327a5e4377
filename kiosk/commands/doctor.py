"""`kiosk doctor`: check that this kiosk can serve applicants, one line per check.

    kiosk doctor [--config FILE] [--data-dir DIR] [--json]

Checks: the configuration; the data dir is writable; the database passes SQLite's quick_check and its
audit chain is intact; no print job waits for an operator; every committed application has its
documents (a repair: missing PDFs are made again from the stored snapshot, orphan temporaries and
files of no live application removed, unregistered ones registered; the line says what it found and
fixed, and is a problem only for what it could not fix); the signing key (and the lookup key) are
mode 0600; the service catalog loads without a problem; the card reader answers the SAM status check;
the printer answers DLE EOT with "ready"; the CJK font is present; the document camera gives a frame;
the Qt plugins the window needs load (platform, virtual keyboard, JPEG/PNG); a speech engine is there
for elder mode; the data dir's disk has at least 1 GB free; the hall answers with this kiosk's
credentials (kiosk.services.diagnostics; the file checks live in kiosk.services.file_checks, shared with
the technician panel's diagnostics page, kiosk.services.panel_doctor). Each line is `OK  what` or
`PROBLEM  what: what to do`. Exit 0 when every check is OK, 1 when any is a problem.
Device probes are bounded by READER_PROBE_SECONDS and the printer's TransportTimeouts
(kiosk.services.checks); the devices are wired by kiosk.devices as the kiosk wires them, so in demo
mode the sim:// reader and printer are the simulators and pass.
"""

from __future__ import annotations

import argparse
import json
import queue
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from idreader.errors import ReaderError
from idreader.reader import ReaderFault, ReaderReady
from kiosk.config import ConfigError, KioskConfig, config_from_args, resolve_data_dir
from kiosk.devices import Devices, wire_devices
from kiosk.services.checks import PRINTER_TIMEOUTS, PRINTER_TODO, READER_PROBE_SECONDS, Check
from kiosk.services.file_checks import (  # noqa: F401  (the checks' home; imported here by name too)
    MIN_FONT_BYTES,
    SYNC_LAG_PROBLEM_S,
    check_catalog_files,
    check_data_dir,
    check_database,
    check_documents,
    check_font,
    check_hall_sync,
    check_key_files,
    check_print_queue,
)
from printers.errors import PrinterError
from printers.transports import probe_status
from printers.vocabulary import PrinterCondition


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("doctor", parents=[common], help="check config, storage and devices",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON list of checks")
    parser.set_defaults(func=run)


# -- the checks -----------------------------------------------------------------------------------------

def check_reader(devices: Devices, timeout: float = READER_PROBE_SECONDS) -> Check:
    name = f"reader {devices.reader_url}"
    todo = "check the reader's cable and power, and the configured port (`python -m idreader ports`)"
    try:
        reader = devices.open_reader()
    except ReaderError as exc:
        return Check(name, False, str(exc), "fix devices.reader in the configuration")
    reader.start()
    try:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Check(name, False, f"no answer within {timeout:g} s", todo)
            try:
                event = reader.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if isinstance(event, ReaderFault):
                return Check(name, False, f"{event.kind}: {event.detail}", todo)
            if isinstance(event, ReaderReady):
                break
        try:
            facts = reader.diagnose(max(deadline - time.monotonic(), 0.5))
        except ReaderError as exc:
            return Check(name, False, str(exc), todo)
        return Check(name, True, f"SAM status {facts['sam_status']}, SAM ID {facts['sam_id'] or '-'}")
    finally:
        reader.stop()


def check_printer(devices: Devices) -> Check:
    name = f"printer {devices.printer_url}"
    try:
        transport = devices.printer_transport(PRINTER_TIMEOUTS)
    except PrinterError as exc:
        return Check(name, False, str(exc), "fix devices.printer in the configuration")
    status = probe_status(transport)
    if status.ready:
        return Check(name, True, status.describe_en())
    return Check(name, False, status.describe_en(), PRINTER_TODO.get(status.code, PRINTER_TODO[PrinterCondition.ERROR]))


# -- running them ---------------------------------------------------------------------------------------

def run_checks(args: argparse.Namespace) -> list[Check]:
    config: KioskConfig | None = None
    try:
        config = config_from_args(args)
        source = getattr(args, "config", None) or ("demo configuration" if config.demo else "platform file")
        checks = [Check("config", True, f"{source}{' (demo mode)' if config.demo else ''}")]
    except ConfigError as exc:
        checks = [Check("config", False, str(exc), "fix the file named, or run `kiosk doctor --config FILE`")]
    if config is not None:
        data_dir = resolve_data_dir(args, config)
        checks.append(check_data_dir(data_dir))
        checks.extend(check_database(data_dir))
        checks.append(check_hall_sync(data_dir, config))
        checks.append(check_key_files(data_dir))
    steps: list[Callable[[], Check]] = [check_catalog_files, check_font]
    if config is not None:
        steps += _device_steps(config)
    checks.extend(step() for step in steps)
    checks.extend(window_and_hall_checks(config, resolve_data_dir(args, config) if config is not None else None))
    return checks


def window_and_hall_checks(config: KioskConfig | None, data_dir: Path | None) -> list[Check]:
    """The camera's frame, the Qt plugins and the speech engine the window needs, the data dir's free
    space and the hall connection (kiosk.services.diagnostics)."""
    from kiosk.services import diagnostics

    checks = []
    if config is not None:
        checks.append(diagnostics.check_camera(_camera_devices(config)))
    probe = diagnostics.qt_probe()
    checks.append(diagnostics.check_qt_plugins(probe, diagnostics.window_platform()))
    checks.append(diagnostics.check_speech(probe))
    if data_dir is not None:
        checks.append(diagnostics.check_disk(data_dir))
    if config is not None:
        checks.append(diagnostics.check_hall_connection(config))
    return checks


def _camera_devices(config: KioskConfig) -> Devices:
    return Devices(config.devices.reader, config.devices.printer, config.devices.camera)


def _device_steps(config: KioskConfig) -> list[Callable[[], Check]]:
    """The reader and printer checks over the devices the configuration wires (kiosk.devices)."""
    try:
        devices = wire_devices(config.devices)
    except PrinterError as exc:
        bad = Check(f"printer {config.devices.printer}", False, str(exc), "fix devices.printer in the configuration")
        unwired = Devices(config.devices.reader, config.devices.printer, config.devices.camera)  # reader only
        return [lambda: check_reader(unwired), lambda: bad]
    return [lambda: check_reader(devices), lambda: check_printer(devices)]


def run(args: argparse.Namespace) -> int:
    checks = run_checks(args)
    if getattr(args, "json", False):
        print(json.dumps([{"check": c.name, "ok": c.ok, "detail": c.detail, "todo": c.todo} for c in checks],
                         ensure_ascii=False, indent=2))
    else:
        print("\n".join(check.line() for check in checks))
    return 0 if all(check.ok for check in checks) else 1

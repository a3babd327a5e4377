"""The technician panel's diagnostics page (TechDoctorPage.qml): `kiosk doctor`'s checks over the RUNNING
kiosk, one `Check` each (OK, or the problem and what to do). Call on a worker: it reads the disk, asks
the devices and starts `python -m kiosk.ui.qt_probe` as a child process.

Unlike the command, nothing the app holds is opened a second time: the reader is asked through the app's
own open reader (TechnicianDesk.reader_check), the printer on a connection of its own as the queue does.
The camera is opened for one frame (the applicant's capture screen is not showing while the panel is).
The configuration is the one the kiosk runs with (`kiosk.config`, as saved by the panel).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.services.checks import Check


def panel_checks(kiosk: Any, desk: Any, *, config_path: Any = None,
                 qt_probe: Callable[[], dict[str, Any]] | None = None) -> list[Check]:
    """Every check, in `kiosk doctor`'s order; a check that raises becomes a problem line, never a crash."""
    from kiosk.services import diagnostics, file_checks

    config, data_dir = kiosk.config, kiosk.data_dir
    probe: dict[str, Any] = {}

    def qt() -> dict[str, Any]:
        probe.update((qt_probe or diagnostics.qt_probe)())
        return probe

    steps: list[tuple[str, Callable[[], Check | list[Check]]]] = [
        ("config", lambda: Check("config", True, str(config_path or "built-in configuration")
                                 + (" (demo mode)" if config.demo else ""))),
        ("data dir", lambda: file_checks.check_data_dir(data_dir)),
        ("database", lambda: file_checks.check_database(data_dir)),
        ("hall sync", lambda: file_checks.check_hall_sync(data_dir, config)),
        ("keys", lambda: file_checks.check_key_files(data_dir)),
        ("catalog", file_checks.check_catalog_files),
        ("font", file_checks.check_font),
        ("reader", desk.reader_check),
        ("printer", desk.printer_check),
        ("camera", lambda: diagnostics.check_camera(kiosk.devices)),
        ("qt plugins", lambda: diagnostics.check_qt_plugins(qt(), diagnostics.window_platform())),
        ("speech", lambda: diagnostics.check_speech(probe or qt())),
        ("disk space", lambda: diagnostics.check_disk(data_dir)),
        ("hall connection", lambda: diagnostics.check_hall_connection(config)),
    ]
    checks: list[Check] = []
    for name, step in steps:
        try:
            done = step()
        except Exception as exc:  # one broken check must not hide the others
            done = Check(name, False, f"检查出错 the check failed: {exc}", "run `kiosk doctor` on the terminal")
        checks.extend(done if isinstance(done, list) else [done])
    return checks


def check_rows(checks: list[Check]) -> list[dict[str, Any]]:
    """The page's rows: name, ok, what was found, what to do."""
    return [{"name": c.name, "ok": c.ok, "detail": c.detail, "todo": c.todo} for c in checks]

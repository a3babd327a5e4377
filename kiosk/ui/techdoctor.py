"""The technician panel's diagnostics page (TechDoctorPage.qml; QML: `techDoctor`): `kiosk doctor`'s checks
over the running kiosk (kiosk.services.panel_doctor), each line OK or the problem with what to do, and
重新检查 to run them again. The checks run on the bridge's worker (they ask the devices, read the disk and
start the Qt probe as a child process); the GUI thread only sets the rows. The words are the panel's
(bilingual, for technicians), not the applicant table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

Submit = Callable[[Callable[[], Any], Callable[[Any], None]], None]


class TechDoctor(QObject):
    changed = Signal()

    def __init__(self, submit: Submit, services: Callable[[], Any], desk: Callable[[], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit, self._services, self._desk = submit, services, desk
        self._busy = False
        self._rows: list[dict[str, Any]] = []
        self._summary = ""

    busy = Property(bool, lambda self: self._busy, notify=changed)
    rows = Property("QVariantList", lambda self: self._rows, notify=changed)
    summary = Property(str, lambda self: self._summary, notify=changed)
    problems = Property(int, lambda self: sum(not row["ok"] for row in self._rows), notify=changed)

    @Slot()
    def check(self) -> None:
        """Run every check again (worker thread); a second tap while they run is ignored."""
        if self._busy:
            return
        self._busy, self._summary = True, "正在检查 Checking … (约需数秒 a few seconds)"
        self.changed.emit()
        services, desk = self._services(), self._desk()

        def work() -> Any:
            from kiosk.services.panel_doctor import check_rows, panel_checks

            try:
                kiosk = getattr(services, "kiosk", None)
                if kiosk is None or desk is None:
                    raise RuntimeError("终端仍在启动 The kiosk is still starting; try again in a moment")
                return check_rows(panel_checks(kiosk, desk, config_path=getattr(services, "config_path", None)))
            except Exception as exc:  # shown on the page; the panel stays usable
                return exc

        self._submit(work, self._checked)

    def _checked(self, result: Any) -> None:
        self._busy = False
        if isinstance(result, Exception):
            self._summary = f"无法检查 Cannot check: {result}"
        else:
            self._rows = result
            bad = sum(not row["ok"] for row in result)
            self._summary = (f"全部正常 All {len(result)} checks OK" if not bad else
                             f"{bad} 项有问题 {bad} of {len(result)} checks need attention — 按提示处理 see what to do")
        self.changed.emit()

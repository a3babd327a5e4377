"""The technician panel's statistics and audit pages (TechStatsPage.qml: `techStats`; TechAuditPage.qml:
`techAudit`; set as context properties by kiosk.ui.app.build_ui).

Every read runs on the bridge's worker (`submit(work, done)`): the statistics of the chosen days
(kiosk.terminal_stats, with the cache of days that are over), the CSV export (to a mounted USB stick,
else `<data dir>/exports/`), the latest audit entries filtered by event kind and text, the chain check.
The GUI thread only sets the results. Nothing shown holds personal data: statistics are counts, audit
subjects and details are masked (kiosk.store.audit_view). The words are the panel's (bilingual, for
technicians), not the applicant table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

Submit = Callable[[Callable[[], Any], Callable[[Any], None]], None]
DAY_CHOICES = (7, 30, 90)
AUDIT_LIMIT = 200


def _kiosk(services: Any) -> Any:
    kiosk = getattr(services, "kiosk", None)
    if kiosk is None:
        raise RuntimeError("终端仍在启动 The kiosk is still starting; try again in a moment")
    return kiosk


class TechStats(QObject):
    changed = Signal()

    def __init__(self, submit: Submit, services: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit, self._services = submit, services
        self._days = 30
        self._busy = False
        self._model: dict[str, Any] = {}
        self._report: Any = None
        self._export = ""
        self._error = ""
        self._target = ""

    busy = Property(bool, lambda self: self._busy, notify=changed)
    days = Property(int, lambda self: self._days, notify=changed)
    dayChoices = Property("QVariantList", lambda self: list(DAY_CHOICES), constant=True)
    model = Property("QVariant", lambda self: self._model, notify=changed)
    exportText = Property(str, lambda self: self._export, notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)
    exportTarget = Property(str, lambda self: self._target, notify=changed)

    @Slot(int)
    def load(self, days: int) -> None:
        """Count the last `days` days (worker thread)."""
        if self._busy:
            return
        self._days, self._busy, self._error = int(days), True, ""
        self.changed.emit()
        services, days = self._services(), self._days

        def work() -> Any:
            from kiosk.services.statistics import export_target, page_model, report_titles
            from kiosk.stats_cache import CACHE_FILE_NAME
            from kiosk.terminal_stats import terminal_statistics

            try:
                kiosk = _kiosk(services)
                report = terminal_statistics(kiosk.store, until=kiosk.store.now(), days=days,
                                             cache=kiosk.data_dir / CACHE_FILE_NAME)
                return (report, page_model(report, report_titles(report, getattr(kiosk, "catalog", None), kiosk.store)),
                        export_target(kiosk.data_dir))
            except Exception as exc:  # shown on the page; the panel stays usable
                return exc

        self._submit(work, self._loaded)

    def _loaded(self, result: Any) -> None:
        self._busy = False
        if isinstance(result, Exception):
            self._error = f"统计失败 Statistics failed: {result}"
        else:
            self._report, self._model, self._target = result
        self.changed.emit()

    @Slot()
    def exportCsv(self) -> None:
        """Write the CSV of the days shown (worker thread); say where it went."""
        if self._busy or self._report is None:
            return
        self._busy, self._export = True, "正在导出 Exporting …"
        self.changed.emit()
        services, report = self._services(), self._report

        def work() -> str:
            from kiosk.services.statistics import export_path, report_titles, write_csv

            try:
                kiosk = _kiosk(services)
                path = write_csv(report, export_path(kiosk.data_dir, kiosk.store.now().astimezone()),
                                 report_titles(report, getattr(kiosk, "catalog", None), kiosk.store))
                return f"已导出 Exported: {path}"
            except OSError as exc:
                return f"导出失败 Export failed: {exc.strerror or exc}（检查U盘是否写保护或已满 check the stick）"
            except Exception as exc:
                return f"导出失败 Export failed: {exc}"

        self._submit(work, self._exported)

    def _exported(self, text: str) -> None:
        self._busy, self._export = False, text
        self.changed.emit()


class TechAudit(QObject):
    changed = Signal()

    def __init__(self, submit: Submit, services: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit, self._services = submit, services
        self._busy = False
        self._rows: list[dict[str, Any]] = []
        self._kinds: list[dict[str, Any]] = []
        self._kind = ""
        self._text = ""
        self._chain = ""
        self._chain_ok: bool | None = None
        self._error = ""

    busy = Property(bool, lambda self: self._busy, notify=changed)
    rows = Property("QVariantList", lambda self: self._rows, notify=changed)
    kinds = Property("QVariantList", lambda self: self._kinds, notify=changed)
    kind = Property(str, lambda self: self._kind, notify=changed)
    text = Property(str, lambda self: self._text, notify=changed)
    chainText = Property(str, lambda self: self._chain, notify=changed)
    chainState = Property(str, lambda self: "" if self._chain_ok is None else "ok" if self._chain_ok else "broken",
                          notify=changed)
    error = Property(str, lambda self: self._error, notify=changed)

    @Slot()
    def load(self) -> None:
        """Read the latest entries with the current filter, and the kinds (worker thread)."""
        if self._busy:
            return
        self._busy, self._error = True, ""
        self.changed.emit()
        services, kind, text = self._services(), self._kind, self._text

        def work() -> Any:
            from kiosk.store.audit_view import event_kinds, latest_entries, local_time

            try:
                store = _kiosk(services).store
                rows = latest_entries(store, kind=kind, text=text, limit=AUDIT_LIMIT)
                for row in rows:
                    row["at"] = local_time(row["at"])
                return rows, [{"kind": name, "count": n} for name, n in event_kinds(store)]
            except Exception as exc:
                return exc

        self._submit(work, self._loaded)

    def _loaded(self, result: Any) -> None:
        self._busy = False
        if isinstance(result, Exception):
            self._error = f"读取失败 Cannot read the audit log: {result}"
        else:
            self._rows, self._kinds = result
        self.changed.emit()

    @Slot(str)
    def setKind(self, kind: str) -> None:
        self._kind = "" if kind == self._kind else kind  # a second tap clears the filter
        self.load()

    @Slot()
    def clear(self) -> None:
        """All entries again (no kind, no text)."""
        self._kind, self._text = "", ""
        self.load()

    @Slot(str)
    def setText(self, text: str) -> None:
        self._text = text.strip()
        self.load()

    @Slot()
    def verify(self) -> None:
        """The chain check (kiosk audit verify) on the worker."""
        if self._busy:
            return
        self._busy, self._chain, self._chain_ok = True, "正在校验 Checking …", None
        self.changed.emit()
        services = self._services()

        def work() -> Any:
            try:
                return _kiosk(services).store.verify_audit()
            except Exception as exc:
                return exc

        self._submit(work, self._verified)

    def _verified(self, report: Any) -> None:
        self._busy = False
        if isinstance(report, Exception):
            self._chain, self._chain_ok = f"无法校验 Cannot check: {report}", False
        elif report.ok:
            self._chain, self._chain_ok = f"审计链完好 Chain intact: {report.describe()}", True
        else:
            self._chain = (f"审计链损坏 Chain BROKEN: {report.describe()} — 请保留现场并通知管理员 "
                           "keep the kiosk as it is and call the administrator")
            self._chain_ok = False
        self.changed.emit()

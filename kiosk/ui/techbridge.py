"""The QObject behind the technician's PIN pad and panel (QML context property `tech`).

`TechBridge(submit, at_start_screen)` puts the Qt-free logic of kiosk.services.technician on screen: five taps
on the hall name within 3 s on the start screen (`hallTapped`) open the PIN pad (`techMode` "pin"); the
right PIN opens the panel ("panel"); `techAction` and `jobAction` run the panel's actions and show their
text in `techResult`; `quitKiosk` asks once, then quits. The panel's pages (TechPanel.qml lists them) use:
- devices (TechDevicesPage.qml): `loadDevices()` fills `deviceForm` (reader port list and baud rate,
  printer fields, profiles, volume); `readTest()` (读卡测试), `saveReader(port, baud)`,
  `savePrinter(fields)`, `speakTest(volume)`, `saveVolume(volume)`; the camera page's `saveCamera(url)`;
- catalog (TechCatalogPage.qml): `loadCatalog()` fills `catalogRows`; `setItemEnabled(id, on)`;
- settings (TechSettingsPage.qml): `loadSettings()` fills `settingsForm`; `saveSettings(fields)`;
- jobs: `jobAction("reprint" | "done" | "cancel", id)`; a job that may have printed (uncertain:
  interrupted mid-print) asks once more before it is printed again.
A save is validated, written (old file kept), applied and audited on the worker
(kiosk.services.tech_config); its line shows in `techResult`; what the window holds (hall name, the
applicant catalog, volume, the next visit's timeouts, language and elder mode) is applied by
`config_applied(config)`, which the applicant bridge sets. The pad and the panel close after 60 s without
a touch and with 返回 / 取消 (`closeTech`).

It owns no thread and no device. What it needs from the applicant bridge comes in explicitly:
- `submit(work, done)` runs `work()` on the worker pool and hands its result to `done(result)` on the
  GUI thread (a result is delivered even after the applicant's visit was wiped: nothing here is
  personal). The PIN check (scrypt, and the wrong PINs counted in the database), the lockout shown when
  the pad opens, and every desk action go through it; the GUI thread never waits.
- `at_start_screen()` is True while the start screen's home page shows with no idle countdown: the
  only place the gesture works.
- The applicant bridge calls `note_touch()` on every touch (restarts the idle time), `check_idle()` on
  every Tick (locks the pad or the panel once the idle time is over) and `attach(services)` when the
  real services arrive (a gate over the configured PIN hash counting in the kiosk's database, and a
  desk over the composition root).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QCoreApplication, QObject, Signal, Slot

from kiosk.services.technician import (
    READ_TEST_SECONDS,
    ActionResult,
    PinGate,
    PinOutcome,
    TapGesture,
    TechnicianDesk,
    kiosk_pin_gate,
)
from kiosk.ui.voice import SilentVoice

#: The speaker test's sentence.
SPEAK_TEST_TEXT = "您好，欢迎使用秒办自助终端。这是扬声器测试。"
#: `submit(work, done)`: run `work` on a worker, then `done(result)` on the GUI thread.
Submit = Callable[[Callable[[], Any], Callable[[Any], None]], None]
_log = logging.getLogger(__name__)


def _open_reader(services: Any) -> Any:
    """The card reader the services already hold open (never a second port), or None."""
    return getattr(services, "reader", None)


def _guarded(check: Callable[[], PinOutcome | None]) -> PinOutcome | None:
    """A gate call on the worker; a fault (a broken hash, the database) is an `error` outcome, not a pad
    left waiting."""
    try:
        return check()
    except Exception:  # shown on the pad as one line; the PIN is in no message
        _log.exception("technician PIN check failed")
        return PinOutcome("error")


class TechBridge(QObject):
    techChanged = Signal()
    techResultChanged = Signal()
    quitRequested = Signal()
    printerLiveChanged = Signal()
    formsChanged = Signal()

    def __init__(self, submit: Submit, at_start_screen: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self._at_start_screen = at_start_screen
        self.gate: PinGate | None = None
        self.desk: TechnicianDesk | None = None
        self.gesture = TapGesture()
        self.quit_app: Callable[[], None] = QCoreApplication.quit
        self._tech_mode = ""
        self._pin_message = ""
        self._pin_checking = False
        self._tech_busy = 0
        self._tech_result = ""
        self._tech_jobs: list[dict[str, Any]] = []
        self._tech_config: list[dict[str, str]] = []
        self._quit_armed = False
        self._armed_job = 0  # an uncertain job whose reprint was asked about once
        self._services: Any = None
        self.config_desk: Any = None
        self.voice: SilentVoice = SilentVoice()
        self.config_applied: Callable[[Any], None] = lambda config: None
        self._device_form: dict[str, Any] = {}
        self._catalog_rows: list[dict[str, Any]] = []
        self._settings_form: dict[str, Any] = {}
        self._printer_live = ""
        self.read_test_seconds = READ_TEST_SECONDS
        self._polling = False

    techMode = Property(str, lambda self: self._tech_mode, notify=techChanged)
    pinMessage = Property(str, lambda self: self._pin_message, notify=techChanged)
    pinChecking = Property(bool, lambda self: self._pin_checking, notify=techChanged)
    techBusy = Property(bool, lambda self: self._tech_busy > 0, notify=techResultChanged)
    techResult = Property(str, lambda self: self._tech_result, notify=techResultChanged)
    techJobs = Property("QVariantList", lambda self: self._tech_jobs, notify=techResultChanged)
    techConfig = Property("QVariantList", lambda self: self._tech_config, notify=techResultChanged)
    deviceForm = Property("QVariantMap", lambda self: self._device_form, notify=formsChanged)
    catalogRows = Property("QVariantList", lambda self: self._catalog_rows, notify=formsChanged)
    settingsForm = Property("QVariantMap", lambda self: self._settings_form, notify=formsChanged)
    printerLive = Property(str, lambda self: self._printer_live, notify=printerLiveChanged)

    # --- wiring from the applicant bridge -----------------------------------------------------------

    def attach(self, services: Any) -> None:
        """A gate over the configured PIN hash (wrong PINs counted in the kiosk's database) and a desk over
        the services' composition root (once; services without a `kiosk` leave the panel closed)."""
        kiosk = getattr(services, "kiosk", None)
        if kiosk is None or self.desk is not None:
            return
        from kiosk.services.tech_config import ConfigDesk

        self._services = services
        self.config_desk = ConfigDesk(kiosk, getattr(services, "config_path", None),
                                      getattr(services, "reopen_reader", None))
        self.set_technician(kiosk_pin_gate(kiosk), TechnicianDesk(kiosk, lambda: _open_reader(services)))

    def set_technician(self, gate: PinGate | None = None, desk: TechnicianDesk | None = None) -> None:
        """Put a PIN gate and a desk behind the panel (tests inject a gate on a fake clock)."""
        if gate is not None:
            self.gate = gate
        if desk is not None:
            self.desk = desk

    def note_touch(self) -> None:
        """A touch anywhere on the window: the pad's or the panel's idle time starts again."""
        if self._tech_mode and self.gate is not None:
            self.gate.activity()

    def check_idle(self) -> None:
        """Every Tick: lock the pad or the panel after the idle time without a touch."""
        if self._tech_mode and self.gate is not None and self.gate.idle_expired():
            _log.info("technician panel locked after %g s without a touch", self.gate.idle_seconds)
            self.closeTech()

    # --- slots QML calls -----------------------------------------------------------------------------

    @Slot()
    def hallTapped(self) -> None:
        """One tap on the hall name: the fifth within 3 s on the start screen opens the PIN pad. Anywhere
        else (an applicant mid-visit, the countdown showing) it does nothing."""
        if self.gate is None or self._tech_mode or not self._at_start_screen():
            self.gesture.reset()
            return
        if self.gesture.tap():
            gate = self.gate
            gate.activity()
            self._set_tech("pin", "")
            self._submit(lambda: ("pinstate", _guarded(gate.refusal)), self._on_tech_done)

    @Slot(str)
    def submitPin(self, pin: str) -> None:
        gate = self.gate
        if gate is None or self._tech_mode != "pin" or self._pin_checking or not pin:
            return
        self._pin_checking = True
        self._set_tech("pin", "正在核对… Checking")
        # refusal (locked?), scrypt and counting a wrong PIN, all on the worker; the PIN is never logged
        self._submit(lambda: ("pin", _guarded(lambda: gate.attempt(pin))), self._on_tech_done)

    @Slot()
    def closeTech(self) -> None:
        """取消 on the PIN pad, 返回 on the panel, or the idle lock: back to the start screen, locked."""
        if self.gate is not None:
            self.gate.lock()
        cancel_reads = getattr(self._services, "cancel_test_reads", None)
        if cancel_reads is not None:  # a 读卡测试 still waiting must not take the next applicant's card
            cancel_reads()
        self._quit_armed, self._armed_job = False, 0
        self._tech_result, self._tech_jobs, self._tech_config = "", [], []
        self._device_form, self._catalog_rows, self._settings_form = {}, [], {}
        self.techResultChanged.emit()
        self.formsChanged.emit()
        self._set_tech("", "")

    @Slot(str)
    def techAction(self, action: str) -> None:
        """devices | testPage | jobs | audit: run on a worker; the text and the job list come back."""
        desk = self.desk
        if desk is None or self._tech_mode != "panel":
            return
        actions = {"devices": desk.device_report, "testPage": desk.print_test_page, "audit": desk.verify_audit,
                   "jobs": None}
        if action not in actions:
            _log.error("ui: no technician action %r", action)
            return
        self._run_tech(actions[action])

    @Slot(str, int)
    def jobAction(self, action: str, job_id: int) -> None:
        """reprint | done | cancel for one listed print job. Reprinting a job that may have printed
        (uncertain: the kiosk stopped mid-print, or the printer did not confirm) asks first: the first tap
        says so, the second prints."""
        desk = self.desk
        if desk is None or self._tech_mode != "panel" or action not in ("reprint", "done", "cancel"):
            return
        if action == "reprint":
            row = next((job for job in self._tech_jobs if job["id"] == job_id), None)
            if row is not None and row.get("mayHavePrinted") and self._armed_job != job_id:
                self._armed_job = job_id
                self._set_tech_result(f"任务 {job_id} 可能已经打印过（打印中被中断或打印机未确认）。请先看出纸口："
                                      "纸已完整打出请点“确认已打印”；没有打出再点一次“重新打印” · "
                                      "It may have printed: check the tray; tap Reprint again to print it")
                return
        self._armed_job = 0
        work = {"reprint": desk.reprint_job, "done": desk.confirm_job, "cancel": desk.cancel_job}[action]
        self._run_tech(lambda: work(job_id))

    # --- devices, catalog, settings ----------------------------------------------------------------

    @Slot()
    def loadDevices(self) -> None:
        """Fill `deviceForm`: the reader's ports (pyserial's list, on the worker) and the current fields."""
        desk = self.desk
        if desk is None or self._tech_mode != "panel":
            return

        def work() -> ActionResult:
            from kiosk.services.panel_forms import (
                PAPER_WIDTHS,
                PRINTER_KIND_WORDS,
                PRINTER_KINDS,
                READER_BAUDRATES,
                reader_ports,
                split_printer_url,
                split_reader_url,
            )
            from printers.profiles import PROFILES

            config = desk.kiosk.config
            port, baud = split_reader_url(config.devices.reader)
            ports = [{"device": choice.device, "label": choice.description} for choice in reader_ports()]
            form = {
                "readerPort": port, "readerBaud": str(baud), "readerPorts": ports,
                "readerBauds": [str(rate) for rate in READER_BAUDRATES],
                "printer": split_printer_url(config.devices.printer),
                "printerKinds": [{"key": kind, "label": PRINTER_KIND_WORDS[kind]} for kind in PRINTER_KINDS],
                "profiles": ["", *sorted(PROFILES)],
                "widths": [{"key": key, "label": label} for key, label in PAPER_WIDTHS.items()],
                "volume": config.speaker.volume,
            }
            return ActionResult(True, "设备设置 · Device settings: 修改后点“保存”，先校验再保存 · "
                                      "validated before saving"), {"device_form": form}

        self._run_tech(work)

    @Slot()
    def pollPrinter(self) -> None:
        """The devices page's live printer status (every few seconds while it shows), on the worker; not
        while a job is being sent (a printer may take one connection at a time)."""
        desk = self.desk
        if desk is None or self._tech_mode != "panel" or self._polling:
            return
        self._polling = True

        def work() -> tuple[str, Any]:
            try:
                if desk.kiosk.queue.jobs(state="printing"):
                    return ("live", "正在打印… printing")
                check = desk.printer_check()
                todo = f" → {check.todo}" if check.todo else ""
                return ("live", ("✔ " if check.ok else "✖ ") + check.detail + todo)
            except Exception as exc:  # shown on the page; the next poll tries again
                return ("live", f"✖ {exc}")

        self._submit(work, self._on_tech_done)

    @Slot()
    def readTest(self) -> None:
        """读卡测试: SAM status and ID, then the card laid on the reader (the app's own reader)."""
        desk, services = self.desk, self._services
        if desk is None or self._tech_mode != "panel":
            return
        seconds = self.read_test_seconds
        self._run_tech(lambda: desk.read_test(getattr(services, "test_read", None), seconds),
                       "请把身份证放在读卡区… · Lay a card on the reader")

    @Slot(str, str)
    def saveReader(self, port: str, baud: str) -> None:
        from kiosk.services.panel_forms import FormError, reader_url

        try:
            url = reader_url(port, int(baud) if baud.isdigit() else baud)
        except (FormError, ValueError) as exc:
            self._set_tech_result(f"✖ 未保存 · NOT saved\n{exc}")
            return
        self._save({"devices.reader": url}, "读卡器设置 reader")

    @Slot("QVariantMap")
    def savePrinter(self, fields: dict[str, Any]) -> None:
        from kiosk.services.panel_forms import FormError, printer_url

        try:
            url = printer_url(dict(fields))
        except FormError as exc:
            self._set_tech_result(f"✖ 未保存 · NOT saved\n{exc}")
            return
        self._save({"devices.printer": url}, "打印机设置 printer")

    @Slot(str)
    def saveCamera(self, url: str) -> None:
        """The camera page's 保存: the address is validated (kiosk.device_check), saved and used next time."""
        self._save({"devices.camera": url.strip()}, "拍摄仪设置 camera")

    @Slot(int)
    def speakTest(self, volume: int) -> None:
        """Speak the test sentence at `volume` (the voice speaks on its own thread or engine)."""
        if self._tech_mode != "panel":
            return
        self.voice.set_volume(volume)
        self.voice.say(SPEAK_TEST_TEXT, "zh")
        name = getattr(self.voice, "name", "silent")
        heard = "（本机没有语音引擎，未发声 · no speech engine here）" if name == "silent" else ""
        self._set_tech_result(f"♪ 已朗读测试语句，音量 {volume}{heard} · spoken with {name}")

    @Slot(int)
    def saveVolume(self, volume: int) -> None:
        self._save({"speaker.volume": int(volume)}, "扬声器音量 volume")

    @Slot()
    def loadCatalog(self) -> None:
        desk = self.desk
        if desk is None or self._tech_mode != "panel":
            return

        def work() -> ActionResult:
            rows = desk.catalog_rows()
            on = sum(row["enabled"] for row in rows)
            return ActionResult(True, f"事项 {len(rows)} 项，已启用 {on} 项 · items enabled: {on}"), \
                {"catalog_rows": rows}

        self._run_tech(work)

    @Slot(str, bool)
    def setItemEnabled(self, service_id: str, enabled: bool) -> None:
        desk, config_desk = self.desk, self.config_desk
        if desk is None or config_desk is None or self._tech_mode != "panel":
            return

        def work() -> ActionResult:
            result, updates = self._saved(desk.set_item_enabled(config_desk, service_id, enabled))
            return result, {**updates, "catalog_rows": desk.catalog_rows()}

        self._run_tech(work)

    @Slot()
    def loadSettings(self) -> None:
        desk = self.desk
        if desk is None or self._tech_mode != "panel":
            return

        def work() -> ActionResult:
            from kiosk.services.panel_forms import SETTINGS_LABELS, settings_form

            form = {"values": settings_form(desk.kiosk.config), "labels": SETTINGS_LABELS}
            return ActionResult(True, "终端设置 · Settings: 修改后点“保存设置” · change, then save"), \
                {"settings_form": form}

        self._run_tech(work)

    @Slot("QVariantMap")
    def saveSettings(self, fields: dict[str, Any]) -> None:
        from kiosk.services.panel_forms import FormError, settings_changes

        try:
            changes = settings_changes(dict(fields))
        except FormError as exc:
            self._set_tech_result(f"✖ 未保存，原配置未改动 · NOT saved, the old file is untouched\n{exc}")
            return
        self._save(changes, "终端设置 settings")

    def _save(self, changes: dict[str, Any], what: str) -> None:
        config_desk = self.config_desk
        if config_desk is None or self._tech_mode != "panel":
            return
        self._run_tech(lambda: self._saved(config_desk.save(changes, what)))

    @staticmethod
    def _saved(outcome: Any) -> tuple[ActionResult, dict[str, Any]]:  # the worker
        updates = {"applied": outcome.config} if outcome.ok and outcome.config is not None else {}
        return ActionResult(outcome.ok, outcome.text), updates

    @Slot()
    def quitKiosk(self) -> None:
        """退出终端程序: the first tap asks, the second quits (the only way out of fullscreen)."""
        if self._tech_mode != "panel":
            return
        if not self._quit_armed:
            self._quit_armed = True
            self._set_tech_result("再按一次“退出终端程序”确认退出 · Tap again to quit the kiosk")
            return
        desk = self.desk
        _log.warning("technician panel: the kiosk program is quitting")
        self._submit(lambda: (("quit", desk.record("technician.quit") if desk else None)), self._on_tech_done)

    # --- running the actions -------------------------------------------------------------------------

    def _run_tech(self, work: Callable[[], Any] | None, busy_text: str = "正在处理… Working") -> None:
        desk = self.desk
        assert desk is not None
        self._quit_armed = False
        self._tech_busy += 1
        self._set_tech_result(busy_text)

        def run() -> tuple[str, Any]:
            jobs: list[dict[str, Any]] = []
            config: list[dict[str, str]] = []
            updates: dict[str, Any] = {}
            try:
                result = work() if work is not None else None
                if isinstance(result, tuple):
                    result, updates = result
                jobs = [row.to_dict() for row in desk.waiting_jobs()]
                config = [{"label": label, "value": value} for label, value in desk.config_rows()]
            except Exception as exc:  # shown in the panel; the kiosk stays up
                _log.exception("technician action failed")
                result = ActionResult(False, f"操作失败 failed: {exc}")
            if result is None:
                result = ActionResult(True, f"待处理打印任务 {len(jobs)} 个 · jobs waiting: {len(jobs)}")
            return ("action", (result.text, jobs, config, updates))

        self._submit(run, self._on_tech_done)

    def _on_tech_done(self, item: tuple[str, Any]) -> None:
        kind, value = item
        if kind == "pinstate":
            if self._tech_mode == "pin" and not self._pin_checking and value is not None:
                self._set_tech("pin", value.message)
        elif kind == "pin":
            self._pin_checking = False
            outcome: PinOutcome = value
            if outcome.status != "open":
                _log.warning("technician panel: PIN refused (%s)", outcome.status)
            if self._tech_mode != "pin" or self.gate is None:
                if self.gate is not None:
                    self.gate.lock()  # cancelled or idle-locked while checking: it stays closed
                return
            if outcome.status == "open":
                self._audit_tech("technician.open", {})  # wrong PINs and locks: audited where counted
                self._set_tech("panel", "")
                self._run_tech(None)
            else:
                self._set_tech("pin", outcome.message)
        elif kind == "action":
            self._tech_busy = max(self._tech_busy - 1, 0)
            text, jobs, config_rows, updates = value
            applied = updates.get("applied")
            if applied is not None:  # saved and applied in the kiosk: now what the window holds
                self.voice.set_volume(applied.speaker.volume)
                self.config_applied(applied)
            if self._tech_mode == "panel":
                self._tech_result, self._tech_jobs, self._tech_config = text, jobs, config_rows
                forms = False
                if "device_form" in updates:
                    self._device_form, forms = updates["device_form"], True
                if "catalog_rows" in updates:
                    self._catalog_rows, forms = updates["catalog_rows"], True
                if "settings_form" in updates:
                    self._settings_form, forms = updates["settings_form"], True
                self.techResultChanged.emit()
                if forms:
                    self.formsChanged.emit()
        elif kind == "live":
            self._polling = False
            if self._tech_mode == "panel":
                self._printer_live = value
                self.printerLiveChanged.emit()
        elif kind == "quit":
            self.quitRequested.emit()
            self.quit_app()

    def _audit_tech(self, event: str, detail: dict[str, Any]) -> None:
        desk = self.desk
        if desk is not None:
            self._submit(lambda: ("audit", desk.record(event, detail)), self._on_tech_done)

    def _set_tech(self, mode: str, message: str) -> None:
        self._tech_mode, self._pin_message = mode, message
        self.techChanged.emit()

    def _set_tech_result(self, text: str) -> None:
        self._tech_result = text
        self.techResultChanged.emit()

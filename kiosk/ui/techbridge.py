"""The QObject behind the technician's PIN pad and panel (QML context property `tech`).

`TechBridge(submit, at_start_screen)` puts the Qt-free logic of kiosk.services.technician on screen: five taps
on the hall name within 3 s on the start screen (`hallTapped`) open the PIN pad (`techMode` "pin"); the
right PIN opens the panel ("panel"); `techAction` and `jobAction` run the panel's actions and show their
text in `techResult`; `quitKiosk` asks once, then quits. The pad and the panel close after 60 s without
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

from kiosk.services.technician import ActionResult, PinGate, PinOutcome, TapGesture, TechnicianDesk, kiosk_pin_gate

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

    techMode = Property(str, lambda self: self._tech_mode, notify=techChanged)
    pinMessage = Property(str, lambda self: self._pin_message, notify=techChanged)
    pinChecking = Property(bool, lambda self: self._pin_checking, notify=techChanged)
    techBusy = Property(bool, lambda self: self._tech_busy > 0, notify=techResultChanged)
    techResult = Property(str, lambda self: self._tech_result, notify=techResultChanged)
    techJobs = Property("QVariantList", lambda self: self._tech_jobs, notify=techResultChanged)
    techConfig = Property("QVariantList", lambda self: self._tech_config, notify=techResultChanged)

    # --- wiring from the applicant bridge -----------------------------------------------------------

    def attach(self, services: Any) -> None:
        """A gate over the configured PIN hash (wrong PINs counted in the kiosk's database) and a desk over
        the services' composition root (once; services without a `kiosk` leave the panel closed)."""
        kiosk = getattr(services, "kiosk", None)
        if kiosk is None or self.desk is not None:
            return
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
        self._quit_armed = False
        self._tech_result, self._tech_jobs, self._tech_config = "", [], []
        self.techResultChanged.emit()
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
        """reprint | done for one listed print job."""
        desk = self.desk
        if desk is None or self._tech_mode != "panel" or action not in ("reprint", "done"):
            return
        self._run_tech(lambda: desk.reprint_job(job_id) if action == "reprint" else desk.confirm_job(job_id))

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

    def _run_tech(self, work: Callable[[], Any] | None) -> None:
        desk = self.desk
        assert desk is not None
        self._quit_armed = False
        self._tech_busy += 1
        self._set_tech_result("正在处理… Working")

        def run() -> tuple[str, Any]:
            jobs: list[dict[str, Any]] = []
            config: list[dict[str, str]] = []
            try:
                result = work() if work is not None else None
                jobs = [row.to_dict() for row in desk.waiting_jobs()]
                config = [{"label": label, "value": value} for label, value in desk.config_rows()]
            except Exception as exc:  # shown in the panel; the kiosk stays up
                _log.exception("technician action failed")
                result = ActionResult(False, f"操作失败 failed: {exc}")
            if result is None:
                result = ActionResult(True, f"待处理打印任务 {len(jobs)} 个 · jobs waiting: {len(jobs)}")
            return ("action", (result.text, jobs, config))

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
            if self._tech_mode == "panel":
                self._tech_result, self._tech_jobs, self._tech_config = value
                self.techResultChanged.emit()
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

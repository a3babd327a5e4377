"""The technician panel in the real QML app offscreen, over the reader simulator and the printer emulator:
the hidden gesture, the PIN pad (wrong PIN, lockout, cancel), the panel's actions (device status, test
page, print jobs waiting with 重新打印 / 确认已打印, audit check), 返回, the idle lock and screenshots."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QPointF

from kiosk.cli import main as kiosk_cli
from kiosk.config import DEMO_ADMIN_PIN, hash_pin
from kiosk.services.technician import (
    GESTURE_TAPS,
    IDLE_LOCK_SECONDS,
    PinGate,
    TapGesture,
    TechnicianDesk,
    kiosk_pin_gate,
)
from kiosk.session import FakeClock
from kiosk.store.pin_attempts import PinAttempts
from kiosk.ui.player import open_service
from kiosk.ui.techbridge import TechBridge

PRINT_WAIT = 20.0


def tap_gesture(ui) -> None:
    for _ in range(GESTURE_TAPS):
        ui.click("hallName")


def enter_pin(ui, pin: str) -> None:
    ui.item("pinPad")
    for digit in pin:
        ui.click(f"pinKey_{digit}")
    assert ui.text("pinDots") == "●" * len(pin), "digits are shown as dots only"
    ui.click("pinOk")
    ui.wait_until(lambda: not ui.tech.pinChecking, what="the PIN check")


def unlock(ui) -> None:
    tap_gesture(ui)
    enter_pin(ui, DEMO_ADMIN_PIN)
    ui.item("techPanel")
    wait_idle(ui)


def wait_idle(ui) -> None:
    ui.wait_until(lambda: not ui.tech.techBusy, timeout=PRINT_WAIT, what="the technician action")
    ui.settle()


def fake_gate(ui) -> FakeClock:
    """The kiosk's PIN gate (wrong PINs counted in its database) on the UI's one FakeClock for both the
    idle lock and the lockout (the panel's own desk stays)."""
    clock = ui.clock
    ui.tech.set_technician(kiosk_pin_gate(ui.services.kiosk, clock=clock.monotonic, now=clock.monotonic))
    return clock


def test_gesture_wrong_pin_then_right_pin_opens_the_panel(kiosk_ui, services):
    ui = kiosk_ui
    for _ in range(GESTURE_TAPS - 1):
        ui.click("hallName")
    assert not ui.exists("pinPad"), "four taps are not the gesture"
    ui.click("hallName")
    ui.item("pinPad")
    enter_pin(ui, "1111")
    assert "密码错误" in ui.text("pinMessage") and "还可尝试 4 次" in ui.text("pinMessage")
    assert ui.text("pinDots") == "—", "the pad is cleared after a try"
    enter_pin(ui, DEMO_ADMIN_PIN)
    ui.item("techPanel")
    wait_idle(ui)
    assert not ui.exists("pinPad")
    values = [row["value"] for row in ui.tech.techConfig]
    assert "sim://" in values and services.kiosk.config.hall.name in values
    assert not any("scrypt" in value for value in values), "no secret in the summary"
    events = [row["event"] for row in services.store.audit_rows()]
    ui.wait_until(lambda: "technician.open" in [row["event"] for row in services.store.audit_rows()])
    assert "technician.wrong" in events
    written = [(row["event"], row["subject"], row["detail"]) for row in services.store.audit_rows()]
    assert DEMO_ADMIN_PIN not in str(written), "the PIN is never recorded"  # (hashes and times hold digits)


def test_gesture_does_nothing_off_the_start_screen(kiosk_ui):
    ui = kiosk_ui
    open_service(ui)
    tap_gesture(ui)
    assert not ui.exists("pinPad") and ui.tech.techMode == ""
    assert ui.bridge.page == "card", "the applicant's visit is untouched"


def test_cancel_on_the_pin_pad_returns_to_the_start_screen(kiosk_ui):
    ui = kiosk_ui
    tap_gesture(ui)
    ui.click("pinKey_1")
    ui.click("pinCancel")
    ui.wait_until(lambda: not ui.exists("pinPad"), what="the pad to close")
    assert ui.bridge.page == "home" and ui.exists("btnPersonal")


def test_five_wrong_pins_lock_the_pad_for_five_minutes(kiosk_ui):
    ui = kiosk_ui
    clock = fake_gate(ui)
    tap_gesture(ui)
    for _ in range(4):
        enter_pin(ui, "0000")
    assert "还可尝试 1 次" in ui.text("pinMessage")
    enter_pin(ui, "0000")
    assert "已锁定" in ui.text("pinMessage") and "5 分钟" in ui.text("pinMessage")
    clock.advance(30)
    enter_pin(ui, DEMO_ADMIN_PIN)
    assert ui.tech.techMode == "pin", "the right PIN does not open a locked pad"
    assert "4 分 30 秒" in ui.text("pinMessage")
    ui.click("pinCancel")
    clock.advance(271)
    tap_gesture(ui)
    enter_pin(ui, DEMO_ADMIN_PIN)
    ui.item("techPanel")


def test_test_page_prints_one_job_and_audit_check(kiosk_ui, services):
    ui = kiosk_ui
    unlock(ui)
    before = services.printer.jobs_printed
    ui.click("techTestPage")
    wait_idle(ui)
    assert services.printer.wait_for_jobs(before + 1, PRINT_WAIT)
    assert "测试页已打印" in ui.text("techResult")
    assert services.printer.jobs_printed == before + 1
    ui.click("techDevices")
    wait_idle(ui)
    result = ui.text("techResult")
    assert "SAM 状态 status 0x90" in result and "打印机就绪" in result and "异常" not in result
    ui.click("techAudit")
    wait_idle(ui)
    assert "审计日志完好" in ui.text("techResult")


def test_paper_out_job_is_listed_then_reprinted_exactly_once(kiosk_ui, services):
    ui = kiosk_ui
    printer = services.printer
    unlock(ui)
    assert ui.exists("techNoJobs")
    before = printer.jobs_printed
    printer.set_paper_out(True)
    ui.click("techTestPage")
    wait_idle(ui)
    assert "已排队" in ui.text("techResult") and "缺纸" in ui.text("techResult")
    job_id = ui.tech.techJobs[0]["id"]
    queue = services.kiosk.queue
    ui.wait_until(lambda: queue.get(job_id).last_error != "", what="the queue to try the job once")
    ui.click("techRefreshJobs")
    wait_idle(ui)
    assert ui.tech.techJobs[0]["state"] == "queued"
    assert "paper out" in ui.text(f"jobText_{job_id}")
    ui.click(f"jobReprint_{job_id}")  # still no paper: it stays queued, nothing printed
    wait_idle(ui)
    assert "仍在排队" in ui.text("techResult") and printer.jobs_printed == before
    printer.load_paper()
    ui.click(f"jobReprint_{job_id}")
    wait_idle(ui)
    assert printer.wait_for_jobs(before + 1, PRINT_WAIT)
    # The emulator counts the job on its own thread as the bytes end; the queue's worker records it done
    # a moment later: the list is refreshed once the queue says so.
    ui.wait_until(lambda: queue.get(job_id).state == "done", what="the queue to record the job done")
    ui.click("techRefreshJobs")
    wait_idle(ui)
    assert ui.tech.techJobs == [] and ui.exists("techNoJobs")
    assert printer.jobs_printed == before + 1, "printed exactly once"


def test_uncertain_job_confirmed_and_failed_job_reprinted(kiosk_ui, services, tmp_path):
    ui = kiosk_ui
    printer, queue = services.printer, services.kiosk.queue
    payload = b"\x1b@technician panel test\n\x1dV\x00"
    printer.stall_next_job(after_bytes=len(payload))  # every byte in, then silence: uncertain
    uncertain = queue.submit(services.kiosk.printer_url, payload, kind="test", reference="T-1")
    assert queue.wait(uncertain, PRINT_WAIT).state == "uncertain"
    printer.set_stalled(False)
    failed = queue.submit("bogus://printer", payload, kind="test", reference="T-2")
    assert queue.wait(failed, PRINT_WAIT).state == "failed"
    unlock(ui)
    assert [job["id"] for job in ui.tech.techJobs] == [uncertain, failed]
    assert ui.exists(f"jobReprint_{uncertain}") and ui.exists(f"jobDone_{failed}")
    ui.grab(str(tmp_path / "tech-jobs.png"))
    ui.click(f"jobDone_{uncertain}")
    wait_idle(ui)
    assert "已确认打印" in ui.text("techResult")
    assert queue.get(uncertain).state == "done"
    before = printer.jobs_printed
    ui.click(f"jobReprint_{failed}")
    wait_idle(ui)
    assert printer.wait_for_jobs(before + 1, PRINT_WAIT)
    assert "已打印" in ui.text("techResult")
    assert ui.tech.techJobs == [], "the failed job is superseded by its printed copy"
    events = [row["event"] for row in services.store.audit_rows()]
    assert "print.confirmed" in events and "print.reprinted" in events


def test_back_returns_to_start_and_idle_locks_the_panel(kiosk_ui):
    ui = kiosk_ui
    clock = fake_gate(ui)
    unlock(ui)
    ui.click("techBack")
    ui.wait_until(lambda: not ui.exists("techPanel"), what="the panel to close")
    assert ui.bridge.page == "home" and ui.exists("btnPersonal")
    assert not ui.tech.gate.is_open
    unlock(ui)
    clock.advance(IDLE_LOCK_SECONDS - 1)
    ui.bridge.tick()
    assert ui.exists("techPanel"), "still open before the idle time"
    ui.click("techRefreshJobs")  # a touch: the idle time starts again
    wait_idle(ui)
    clock.advance(IDLE_LOCK_SECONDS - 1)
    ui.bridge.tick()
    assert ui.exists("techPanel")
    clock.advance(2)
    ui.bridge.tick()
    ui.wait_until(lambda: not ui.exists("techPanel"), what="the idle lock")
    assert ui.tech.techMode == "" and not ui.tech.gate.is_open and ui.bridge.page == "home"


def test_quit_asks_once_then_quits(kiosk_ui):
    ui = kiosk_ui
    quits = []
    ui.tech.quit_app = lambda: quits.append(True)
    unlock(ui)
    ui.click("techQuit")
    assert "再按一次" in ui.text("techResult") and not quits
    ui.click("techQuit")
    ui.wait_until(lambda: bool(quits), what="the quit")


def test_tech_bridge_runs_on_the_hooks_it_is_given(qapp, today):
    """Without a window: the start-screen rule, the submit and the touch / tick hooks are the only ties."""
    clock = FakeClock(today)
    at_start = [False]
    submitted: list[str] = []

    def submit(work, done):  # the worker pool, run inline: work's result goes to done
        result = work()
        submitted.append(result[0])
        done(result)

    tech = TechBridge(submit, lambda: at_start[0])
    tech.gesture = TapGesture(clock=clock.monotonic)
    tech.set_technician(PinGate(hash_pin(DEMO_ADMIN_PIN), clock=clock.monotonic))
    for _ in range(GESTURE_TAPS):
        tech.hallTapped()
    assert tech.techMode == "", "no PIN pad off the start screen"
    at_start[0] = True
    for _ in range(GESTURE_TAPS):
        tech.hallTapped()
    assert tech.techMode == "pin"
    tech.submitPin("1111")
    assert submitted == ["pinstate", "pin"] and not tech.pinChecking
    assert "还可尝试 4 次" in tech.pinMessage
    clock.advance(IDLE_LOCK_SECONDS - 1)
    tech.check_idle()
    assert tech.techMode == "pin"
    tech.note_touch()
    clock.advance(IDLE_LOCK_SECONDS - 1)
    tech.check_idle()
    assert tech.techMode == "pin", "a touch starts the idle time again"
    clock.advance(1)
    tech.check_idle()
    assert tech.techMode == "" and tech.pinMessage == ""


def test_the_pad_shows_the_last_lock_until_reset_lockout_is_run(kiosk_ui, services):
    """Fourteen wrong PINs already in the database (an earlier run): the fifteenth locks the pad for good,
    the pad says so each time it opens, and `kiosk keys reset-lockout` on the machine unlocks it."""
    ui = kiosk_ui
    clock = fake_gate(ui)
    attempts = PinAttempts(services.kiosk.store, now=clock.monotonic)
    for _ in range(14):
        attempts.failed()
        clock.advance(3600)  # past each timed lock
    tap_gesture(ui)
    enter_pin(ui, "0000")
    assert "kiosk keys reset-lockout" in ui.text("pinMessage") and "本机" in ui.text("pinMessage")
    message = ui.item("pinMessage")  # the longest line the pad says: it wraps, never cut short
    ui.wait_until(lambda: message.property("contentHeight") <= message.height() + 1, what="the whole message")
    ui.click("pinCancel")
    clock.advance(86400 * 30)
    tap_gesture(ui)
    ui.wait_until(lambda: "reset-lockout" in ui.text("pinMessage"), what="the lock shown on opening")
    enter_pin(ui, DEMO_ADMIN_PIN)
    assert ui.tech.techMode == "pin" and "reset-lockout" in ui.text("pinMessage")
    assert kiosk_cli(["keys", "reset-lockout", "--data-dir", str(services.kiosk.data_dir)]) == 0
    enter_pin(ui, DEMO_ADMIN_PIN)
    ui.item("techPanel")
    events = [row["event"] for row in services.store.audit_rows()]
    assert events.count("technician.wrong") == 15 and events.count("technician.locked") == 3
    assert "technician.lockout_reset" in events


def test_a_pin_cancelled_while_checking_still_counts_and_opens_nothing(qapp, today):
    clock = FakeClock(today)
    pending = []
    tech = TechBridge(lambda work, done: pending.append((work, done)), lambda: True)
    tech.gesture = TapGesture(clock=clock.monotonic)
    gate = PinGate(hash_pin(DEMO_ADMIN_PIN), clock=clock.monotonic)
    tech.set_technician(gate)
    for pin, failures in (("1111", 1), (DEMO_ADMIN_PIN, 0)):
        for _ in range(GESTURE_TAPS):
            tech.hallTapped()
        tech.submitPin(pin)
        tech.closeTech()  # 取消 before the worker answers
        for work, done in pending:
            done(work())
        pending.clear()
        assert tech.techMode == "" and not gate.is_open and not tech.pinChecking
        assert gate.failures == failures, "counted although nobody waited for the answer"


def _inside(ui, names: list[str]) -> None:
    ui.settle()  # geometry is read from a rendered frame, not from a layout still pending
    for name in names:
        for item in ui.items(name):
            corner = item.mapToScene(QPointF(item.width(), item.height()))
            origin = item.mapToScene(QPointF(0, 0))
            assert origin.x() >= 0 and corner.x() <= ui.window.width() + 1, f"{name} is cut off at the side"
            label = item.property("contentItem") or item  # a button's label, or the text item itself
            assert not label.property("truncated"), f"{name}'s text is cut short"
            assert label.property("contentHeight") <= label.height() + 1, f"{name}'s text overflows"


def _shots(ui, folder: Path, orientation: str) -> list[Path]:
    tap_gesture(ui)
    enter_pin(ui, "1111")
    ui.click("pinKey_1")
    pad = folder / f"tech-pin-{orientation}.png"
    _inside(ui, ["pinDots", "pinMessage", "pinOk", "pinCancel", "pinKey_0"])
    ui.grab(str(pad))
    ui.click("pinDelete")
    enter_pin(ui, DEMO_ADMIN_PIN)
    ui.item("techPanel")
    ui.services.printer.set_paper_out(True)
    ui.click("techTestPage")
    wait_idle(ui)
    job_id = ui.tech.techJobs[0]["id"]
    ui.wait_until(lambda: ui.services.kiosk.queue.get(job_id).last_error != "", what="the first try")
    ui.click("techRefreshJobs")
    wait_idle(ui)
    _inside(ui, ["techBack", "techQuit", "techDevices", "techTestPage", "techAudit", "techRefreshJobs",
                 "techResult"])
    panel = folder / f"tech-panel-{orientation}.png"
    ui.grab(str(panel))
    ui.services.printer.load_paper()
    return [pad, panel]


def test_screenshots_portrait(kiosk_ui, tmp_path):
    for path in _shots(kiosk_ui, tmp_path, "portrait"):
        assert path.stat().st_size > 10_000


def test_screenshots_landscape(kiosk_ui_landscape, tmp_path):
    for path in _shots(kiosk_ui_landscape, tmp_path, "landscape"):
        assert path.stat().st_size > 10_000


class ThreadRecordingDesk(TechnicianDesk):
    """The real desk, noting the thread each action runs on."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk, lambda: None)
        self.threads: list[threading.Thread] = []

    def waiting_jobs(self):
        self.threads.append(threading.current_thread())
        return super().waiting_jobs()

    def verify_audit(self):
        self.threads.append(threading.current_thread())
        return super().verify_audit()

    def device_report(self):
        self.threads.append(threading.current_thread())
        return super().device_report()


class ThreadRecordingGate(PinGate):
    def __init__(self, pin_hash) -> None:
        super().__init__(pin_hash)
        self.threads: list[threading.Thread] = []

    def verify(self, pin: str) -> bool:
        self.threads.append(threading.current_thread())
        return super().verify(pin)


def test_pin_check_and_actions_run_off_the_gui_thread(kiosk_ui, services):
    ui = kiosk_ui
    desk = ThreadRecordingDesk(services.kiosk)
    gate = ThreadRecordingGate(services.kiosk.config.admin.pin_hash)
    ui.tech.set_technician(gate, desk)
    unlock(ui)
    ui.click("techAudit")
    wait_idle(ui)
    ui.click("techDevices")
    wait_idle(ui)
    assert "读卡器未打开" in ui.text("techResult"), "a reader that is not open is reported, not opened"
    gui = threading.main_thread()
    assert gate.threads and desk.threads and len(desk.threads) >= 5
    assert all(thread is not gui for thread in gate.threads + desk.threads)

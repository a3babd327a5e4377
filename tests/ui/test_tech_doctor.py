"""The technician panel's diagnostics page offscreen over the demo kiosk (sim:// reader, printer and
camera; the Qt probe a real child process): every `kiosk doctor` check gets a line, a signing key
readable by others is a problem line with the chmod to run, and 重新检查 after the fix shows it OK."""

from __future__ import annotations

import os
from pathlib import Path

from ui.test_technician import unlock

from kiosk.credentials.keys import private_key_path

SHOTS = Path(os.environ.get("KIOSK_SHOTS") or "/tmp/finish13-shots")
CHECK_WAIT = 120.0  # the Qt probe starts a Python with Qt in it; the 2-core CI box is slow


def rows_of(doctor) -> dict[str, dict]:
    return {row["name"].split(" ")[0]: row for row in doctor.rows}


def test_the_diagnostics_page_shows_each_check_and_what_to_do(kiosk_ui, services):
    ui = kiosk_ui
    key = private_key_path(services.kiosk.data_dir)
    assert key.exists()
    key.chmod(0o644)  # a technician copied it with the wrong mode
    unlock(ui)
    ui.click("techTab_doctor")
    ui.item("techDoctorPage")
    doctor = ui.ui.engine.rootContext().contextProperty("techDoctor")
    ui.wait_until(lambda: not doctor.busy and doctor.rows, timeout=CHECK_WAIT, what="the checks")
    rows = rows_of(doctor)
    for name in ("config", "data", "database", "audit", "hall", "keys", "catalog", "font", "读卡器", "打印机",
                 "camera", "qt", "speech", "disk"):
        assert name in rows, f"no {name} line in {sorted(rows)}"
    for name in ("database", "audit", "读卡器", "打印机", "camera", "qt"):
        assert rows[name]["ok"], rows[name]
    assert "SAM" in rows["读卡器"]["detail"] and "frame" in rows["camera"]["detail"]
    keys = rows["keys"]
    assert not keys["ok"] and keys["todo"] == f"chmod 600 {key}"
    bad = [i for i, row in enumerate(doctor.rows) if not row["ok"]]
    assert doctor.problems == len(bad) >= 1 and "有问题" in ui.text("doctorSummary")
    todo = ui.item(f"doctorTodo_{doctor.rows.index(keys)}")
    assert todo.property("visible") and f"chmod 600 {key}" in todo.property("text")
    SHOTS.mkdir(parents=True, exist_ok=True)
    ui.settle()
    ui.grab(str(SHOTS / "doctor-problem.png"))

    key.chmod(0o600)  # what the line said to do
    ui.click("doctorRecheck")
    ui.wait_until(lambda: not doctor.busy and rows_of(doctor)["keys"]["ok"], timeout=CHECK_WAIT,
                  what="the checks again")
    assert "0600" in rows_of(doctor)["keys"]["detail"]
    ui.settle()
    ui.grab(str(SHOTS / "doctor-after-fix.png"))
    ui.click("doctorClose")
    ui.wait_until(lambda: not ui.exists("techDoctorPage"), what="the page closed")
    ui.item("techPanel")

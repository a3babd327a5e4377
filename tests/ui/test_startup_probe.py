"""`kiosk demo --startup-probe` (issue 17's contract for timing the start from outside): the normal start
path, as a process; it prints `start-screen` once the start screen's first frame is shown, then
`services-ready` once the catalog and devices are attached, and exits 0. The services load after the
first frame (their imports would hold the GIL while the window draws). In process: the start screen
over its first-frame stand-in (kiosk.ui.startbridge), then the real bridge and the services behind it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage
from ui.test_rare_glyphs import CHAIN, families_drawing

from forms import dataclass_code
from forms.code_caches import dataclass_cache_name, regex_cache_name
from kiosk.ui.app import WINDOW_CODE_KIND
from kiosk.ui.driver import UiDriver, find_items

ROOT = Path(__file__).resolve().parents[2]


def test_the_probe_prints_the_start_screen_then_services_ready_and_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
           "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "KIOSK_CACHE_DIR": str(tmp_path / "cache" / "kiosk")}  # its own: what this run wrote
    (tmp_path / "tmp").mkdir()
    result = subprocess.run([sys.executable, "-m", "kiosk", "demo", "--startup-probe", "--data-dir",
                             str(tmp_path / "data")], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["start-screen", "services-ready"]
    assert (tmp_path / "data" / "kiosk.db").is_file()  # the real services were built
    assert list((tmp_path / "tmp").iterdir()) == []  # and nothing was left in the temp folder
    # The loader thread's dataclasses took their methods' code from the window's compiled cache (saved
    # with what it compiled): ~150 ms sooner services-ready, measured.
    cache = Path(env["KIOSK_CACHE_DIR"])
    stored = dataclass_code.load(cache, dataclass_cache_name(WINDOW_CODE_KIND))
    assert any("def __init__" in text for text in stored.stored)
    assert any(key[0] == "__init__" for key in stored.made)  # (forms.dataclass_fast)
    assert (cache / regex_cache_name(WINDOW_CODE_KIND)).is_file()  # and the patterns' engine code


def _without_clock(driver) -> QImage:
    """The window as shown, the header's clock hidden (its minute may turn between two grabs)."""
    for clock in driver.items("clock"):
        clock.setProperty("opacity", 0.0)
    driver.settle()
    image = driver.window.grabWindow()
    for clock in driver.items("clock"):
        clock.setProperty("opacity", 1.0)
    return image


def test_the_start_screen_over_its_stand_in_then_the_real_bridge_and_services(qtbot, services, clock):
    """`launch`'s steps in process: the start screen's first frame over the stand-in bridge looks exactly
    as it does over the real bridge; a tap made before the real bridge is there is not lost; the keyboard
    loads once the services are attached; then the start screen works (elder mode, English). The rare-name
    fonts, registered after the first frame, serve the items made before it."""
    from kiosk.session import ApplicantSession
    from kiosk.ui.app import build_start_ui, finish_ui, import_window_modules

    start = build_start_ui(demo=True)
    early = UiDriver(start, services, clock, qtbot)  # start.bridge is the stand-in until finish_ui
    early.wait_frame()
    before = _without_clock(early)
    import_window_modules()
    ui = finish_ui(start, tick_interval=None)
    try:
        driver = UiDriver(ui, services, clock, qtbot)
        assert driver.window.property("started") and not ui.bridge.ready
        assert _without_clock(driver) == before
        # the header, made before the Hanazono fonts were registered, draws a rare name character with them
        header_font = driver.item("hallName").property("font")
        assert header_font.families()[:4] == CHAIN and families_drawing("䶮", header_font) == {"HanaMinA"}
        keyboard = lambda: find_items(driver.window.contentItem(), "inputPanel")  # noqa: E731
        driver.wait_frame(2)
        assert not keyboard()  # no keyboard before the services
        driver.bridge.attach(services, ApplicantSession(services.directory, clock))
        driver.wait_until(lambda: bool(keyboard()), what="the keyboard to load")
        driver.click("elderSwitch")
        driver.wait_until(lambda: driver.bridge.view["elder_mode"], what="elder mode")
        driver.click("langButton")
        driver.wait_until(lambda: driver.bridge.view["language"] == "en", what="English")
        assert driver.text("callStaff").endswith("Call staff")
    finally:
        ui.close()


def test_a_tap_on_the_stand_in_reaches_the_real_bridge(qtbot, services, clock):
    from kiosk.ui.app import build_start_ui, finish_ui, import_window_modules

    start = build_start_ui(demo=True)
    early = UiDriver(start, services, clock, qtbot)
    early.click("elderSwitch")  # before the real bridge: recorded by the stand-in
    assert start.stand_in.taps == [("setElderMode", (True,))]
    import_window_modules()
    ui = finish_ui(start, tick_interval=None)
    try:
        driver = UiDriver(ui, services, clock, qtbot)
        driver.wait_until(lambda: driver.bridge.view["elder_mode"], what="the early tap's elder mode")
        driver.wait_until(lambda: driver.item("elderSwitch").property("selected") is True,
                          what="the switch to show it")
    finally:
        ui.close()

"""Touchscreen figures (offscreen, software rendering, this machine). Run:

    .venv/bin/python bench/bench_ui.py [--runs N]

1. Cold start through the real entry point: `kiosk demo --startup-probe` as a process, until it prints
   `start-screen` (the start screen's first frame) and `services-ready`, against a bare PySide6 QML window
   (a Window with one Text, printing on its first frameSwapped) in the same run: median of N runs and the
   ratio (bench/bench_start.py's own functions, reused; it also times `kiosk apply` and `kiosk --help`).
   Goals (issue 17): ratio <= 1.5, services ready <= 0.4 s after the start screen.
2. Card decoded -> form shown: from the reader thread's CardRead callback to the first frame rendered
   with the form (median of N reads). Goal <= 150 ms.
3. Touches and typed characters for the health-permit happy path with the demo registry (start screen
   to the thank-you screen; a Chinese word counts its pinyin keys plus one candidate tap).
   Goals: <= 25 touches, <= 15 characters.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from figures import report

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
       "QT_IM_MODULE": "qtvirtualkeyboard", "PYTHONPATH": str(ROOT)}

BARE_QML = b"""
import QtQuick
Window { width: 1080; height: 1920; visible: true; Text { anchors.centerIn: parent; text: "hello" } }
"""


def load_bench_start():
    """bench/bench_start.py as a module (its process timing is the one both benches use)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_start", Path(__file__).with_name("bench_start.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cold_starts(runs: int) -> tuple[list[float], list[float], list[float]]:
    """(bare first frame, kiosk start screen, kiosk services ready) in seconds from process start."""
    start = load_bench_start()
    env = start.child_env()
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as scratch:
        work = Path(scratch)
        (work / "bare.qml").write_bytes(BARE_QML)
        (work / "bare.py").write_text(start.BARE_SCRIPT, encoding="utf-8")
        bare_argv = [sys.executable, str(work / "bare.py"), str(work / "bare.qml")]
        demo_argv = [*start.KIOSK, "demo", "--startup-probe", "--data-dir", str(work / "demo")]
        start.timed_lines(bare_argv, env)
        start.timed_lines(demo_argv, env)  # warm: bytecode, the demo data dir
        bare, screen, ready = [], [], []
        for _ in range(runs):
            bare.append(start.timed_lines(bare_argv, env)["start-screen"])
            lines = start.timed_lines(demo_argv, env)
            screen.append(lines["start-screen"])
            ready.append(lines["services-ready"])
    return bare, screen, ready


def card_to_form(runs: int) -> list[float]:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from kiosk.config import demo_config
    from kiosk.services.app_services import AppServices
    from kiosk.session import CardRead
    from kiosk.ui.app import build_ui, create_qt_app
    from kiosk.ui.driver import UiDriver
    from kiosk.ui.player import open_service

    create_qt_app()
    services = AppServices(demo_config(Path(tempfile.mkdtemp(prefix="bench-ui-"))))
    read_at: list[float] = []

    class Timed:
        def __getattr__(self, name):
            return getattr(services, name)

        def start_reading(self, on_event):
            def timed(event):
                if isinstance(event, CardRead):
                    read_at.append(time.monotonic())
                on_event(event)

            services.start_reading(timed)

    ui = build_ui(Timed(), demo=True, tick_interval=None)  # type: ignore[arg-type]
    driver = UiDriver(ui, services)
    frames: list[float] = []
    form_at: list[float] = []
    ui.window.frameSwapped.connect(lambda: frames.append(time.monotonic()))
    ui.bridge.pageChanged.connect(lambda: form_at.append(time.monotonic()) if ui.bridge.page == "form" else None)
    open_service(driver)
    seconds = []
    for _ in range(runs):
        read_at.clear()
        form_at.clear()
        services.demo_action("place_card", "adult")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            shown = [t for t in frames if form_at and t > form_at[0]]
            if read_at and shown:
                seconds.append(shown[0] - read_at[0])
                break
        driver.click("btnBack")
        driver.wait_page("card")
        services.demo_action("lift_card")
        driver.wait_until(lambda: not ui.bridge.view["card_present"], what="the card to be lifted")
    ui.close()
    services.close()
    return seconds


def happy_path() -> tuple[int, int]:
    from kiosk.config import demo_config
    from kiosk.services.app_services import AppServices
    from kiosk.ui.app import build_ui, create_qt_app
    from kiosk.ui.driver import UiDriver
    from kiosk.ui.player import fill_health_form, lay_card, open_service, to_result

    create_qt_app()
    services = AppServices(demo_config(Path(tempfile.mkdtemp(prefix="bench-ui-"))))
    ui = build_ui(services, demo=True, tick_interval=None)
    d = UiDriver(ui, services)
    open_service(d)
    lay_card(d, "adult")
    fill_health_form(d)
    to_result(d)
    d.click("btnConfirm")
    d.wait_page("rating", timeout=30)
    d.click("face_5")
    d.click("btnRate")
    d.wait_page("thanks")
    ui.close()
    services.close()
    return d.touches, d.typed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for key, value in ENV.items():
        os.environ.setdefault(key, value)
    bare, kiosk, loaded = cold_starts(args.runs)
    print(f"cold start, bare PySide6 QML window: median {statistics.median(bare):.3f} s "
          f"(min {min(bare):.3f}, max {max(bare):.3f}, n={len(bare)})")
    print(f"kiosk demo --startup-probe, start-screen: median {statistics.median(kiosk):.3f} s "
          f"(min {min(kiosk):.3f}, max {max(kiosk):.3f}, n={len(kiosk)})")
    print(f"  ... services-ready:                median {statistics.median(loaded):.3f} s "
          f"(catalog, store, signing key, reader and printer ready)")
    print(f"ratio start screen / bare window:    {statistics.median(kiosk) / statistics.median(bare):.2f} "
          f"(goal <= 1.5)")
    reads = card_to_form(max(args.runs * 2, 5))
    print(f"card decoded -> form shown:          median {statistics.median(reads) * 1000:.1f} ms "
          f"(min {min(reads) * 1000:.1f}, max {max(reads) * 1000:.1f}, n={len(reads)}; goal <= 150 ms)")
    touches, typed = happy_path()
    print(f"health permit happy path:            {touches} touches, {typed} characters typed "
          f"(goals <= 25, <= 15)")
    report("kiosk demo -> start screen (bench_ui)", statistics.median(kiosk), "s", goal="<= 1.5 x",
           ratio=statistics.median(kiosk) / statistics.median(bare), ratio_to="bare PySide6 QML window")
    report("card decoded -> form shown", statistics.median(reads) * 1000, "ms", goal="<= 150 ms")
    report("health permit happy path touches", touches, "touches", goal="<= 25 touches")
    report("health permit happy path typed characters", typed, "chars", goal="<= 15 chars")
    print(f"(threads alive at exit: {threading.active_count()})")


if __name__ == "__main__":
    main()

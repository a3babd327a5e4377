"""Touchscreen figures (offscreen, software rendering, this machine). Run:

    .venv/bin/python bench/bench_ui.py [--runs N]

1. Cold start: a fresh Python process until the start screen has rendered its first frame and takes
   taps (QML window and bridge; the composition root then loads on a worker thread, as `kiosk demo`
   does, and its time is printed too), median of N runs; and the same for a bare PySide6 QML window
   (a Window with one Text), with the ratio. Goals: <= 1.5 s median, ratio <= 2.5.
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
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
       "QT_IM_MODULE": "qtvirtualkeyboard", "PYTHONPATH": str(ROOT)}

BARE_QML = b"""
import QtQuick
Window { width: 1080; height: 1920; visible: true; Text { anchors.centerIn: parent; text: "hello" } }
"""


def child_kiosk(data_dir: str) -> None:
    """The app as `kiosk demo` starts it: the window first, the composition root on a worker thread."""
    from kiosk.ui.app import build_ui, create_qt_app, load_services

    create_qt_app()
    ui = build_ui(None, demo=True)
    _wait_first_frame(ui.window, lambda: ui.bridge.page == "home")
    print("ready", flush=True)

    def config():
        from kiosk.config import demo_config

        return demo_config(Path(data_dir))

    loaded = load_services(config)  # the rest of the start, timed separately by the parent
    ui.bridge.attach(loaded.services, loaded.session, loaded.entries)
    print("loaded", flush=True)
    ui.close()
    loaded.services.close()


def child_bare(qml_path: str) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine

    app = QGuiApplication([])
    engine = QQmlApplicationEngine()
    engine.load(QUrl.fromLocalFile(qml_path))
    _wait_first_frame(engine.rootObjects()[0], lambda: True)
    print("ready", flush=True)
    del app


def _wait_first_frame(window, ready) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    swapped = []
    window.frameSwapped.connect(lambda: swapped.append(time.monotonic()))
    deadline = time.monotonic() + 30
    while not (swapped and ready()) and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def cold_start(args: list[str]) -> tuple[float, float]:
    """Seconds until the child printed "ready" (start screen shown) and "loaded" (services attached)."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, env=ENV, cwd=ROOT)
    assert process.stdout is not None
    ready = loaded = float("nan")
    for line in process.stdout:
        if line.strip() == b"ready":
            ready = time.monotonic() - started
        elif line.strip() == b"loaded":
            loaded = time.monotonic() - started
    if process.wait(60) != 0 or ready != ready:
        raise RuntimeError(f"child {args} failed (exit {process.returncode})")
    return ready, loaded


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
    parser.add_argument("--child", choices=("kiosk", "bare"))
    parser.add_argument("path", nargs="?")
    args = parser.parse_args()
    if args.child == "kiosk":
        child_kiosk(args.path)
        return
    if args.child == "bare":
        child_bare(args.path)
        return
    for key, value in ENV.items():
        os.environ.setdefault(key, value)
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as scratch:
        qml = Path(scratch) / "bare.qml"
        qml.write_bytes(BARE_QML)
        bare = [cold_start(["--child", "bare", str(qml)])[0] for _ in range(args.runs)]
        runs = [cold_start(["--child", "kiosk", str(Path(scratch) / f"data{i}")]) for i in range(args.runs)]
        kiosk = [ready for ready, _ in runs]
        loaded = [done for _, done in runs]
    print(f"cold start, bare PySide6 QML window: median {statistics.median(bare):.3f} s "
          f"(min {min(bare):.3f}, max {max(bare):.3f}, n={len(bare)})")
    print(f"cold start, kiosk start screen:      median {statistics.median(kiosk):.3f} s "
          f"(min {min(kiosk):.3f}, max {max(kiosk):.3f}, n={len(kiosk)}; goal <= 1.5 s)")
    print(f"  ... services loaded behind it:     median {statistics.median(loaded):.3f} s "
          f"(catalog, store, signing key, reader and printer ready)")
    print(f"ratio kiosk / bare:                  {statistics.median(kiosk) / statistics.median(bare):.2f} "
          f"(goal <= 2.5)")
    reads = card_to_form(max(args.runs * 2, 5))
    print(f"card decoded -> form shown:          median {statistics.median(reads) * 1000:.1f} ms "
          f"(min {min(reads) * 1000:.1f}, max {max(reads) * 1000:.1f}, n={len(reads)}; goal <= 150 ms)")
    touches, typed = happy_path()
    print(f"health permit happy path:            {touches} touches, {typed} characters typed "
          f"(goals <= 25, <= 15)")
    print(f"(threads alive at exit: {threading.active_count()})")


if __name__ == "__main__":
    main()

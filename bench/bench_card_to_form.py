"""Card laid -> form shown, through the real touchscreen app offscreen (demo composition root: the
reader simulator on a pty at 115,200 baud, paced like the wire; the QML window with software rendering).

    .venv/bin/python bench/bench_card_to_form.py [--runs N]

For each run (the card laid `--pause` seconds after the card screen showed, as a person takes the card
out) the demo drawer's "lay card" is timed from the moment the simulator holds the card to:
  detected  the card screen first shows 正在读取 (the reader's CardDetected event reached the screen),
  read      the reader thread reported the decoded card (CardRead),
  form      the first frame rendered with the form page;
and, with the simulator's lift_mid_read fault armed (the card leaves while its read reply is on the
wire), from the lay to the first frame showing the card_lifted notice (请把证件放回读卡区).
Printed beside them, the bare baseline: the wire time of the reader's find + select + read replies at
115,200 baud (what no software can beat), and the ratio form / wire. Median, min, max of N runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from figures import report

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")

WIRE_BYTES = (11 + 11) + (15 + 12) + (11 + 1295)  # find, select, read: request + reply frames
BAUD = 115_200


def pause(seconds: float) -> None:
    """The applicant reading the card screen and taking the card out: the event loop runs meanwhile."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    until = time.monotonic() + seconds
    while time.monotonic() < until:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def measure(runs: int, pause_seconds: float) -> dict[str, list[float]]:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from kiosk.config import demo_config
    from kiosk.services.app_services import AppServices
    from kiosk.session import CardRead
    from kiosk.ui.app import build_ui, create_qt_app
    from kiosk.ui.driver import UiDriver
    from kiosk.ui.player import open_service

    create_qt_app()
    services = AppServices(demo_config(Path(tempfile.mkdtemp(prefix="bench-card-"))))
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
    marks: dict[str, float] = {}
    ui.window.frameSwapped.connect(lambda: frames.append(time.monotonic()))

    def on_view() -> None:
        view = ui.bridge.view
        if view.get("card_reading") and "detected" not in marks:
            marks["detected"] = time.monotonic()
        if ui.bridge.page == "form" and "form" not in marks:
            marks["form"] = time.monotonic()

    ui.bridge.viewChanged.connect(on_view)
    open_service(driver)
    figures: dict[str, list[float]] = {"detected": [], "read": [], "form": [], "read->form": [], "lifted": []}
    for _ in range(runs):
        read_at.clear()
        marks.clear()
        frames.clear()
        pause(pause_seconds)
        laid = time.monotonic()
        services.demo_action("place_card", "adult")
        deadline = laid + 15
        while time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            shown = [t for t in frames if "form" in marks and t >= marks["form"]]
            if read_at and shown:
                figures["form"].append(shown[0] - laid)
                figures["read"].append(read_at[0] - laid)
                figures["read->form"].append(shown[0] - read_at[0])
                if "detected" in marks:
                    seen = [t for t in frames if t >= marks["detected"]]
                    figures["detected"].append((seen[0] if seen else marks["detected"]) - laid)
                break
        driver.click("btnBack")
        driver.wait_page("card")
        services.demo_action("lift_card")
        driver.wait_until(lambda: not ui.bridge.view["card_present"], what="the card to be lifted")
    for _ in range(max(1, runs // 2)):
        frames.clear()
        services.demo_action("reader_fault", "lift_mid_read")
        laid = time.monotonic()
        services.demo_action("place_card", "adult")
        told: list[float] = []
        deadline = laid + 15
        while time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            if not told and (ui.bridge.view.get("notice") or {}).get("code") == "card_lifted":
                told.append(time.monotonic())
            shown = [t for t in frames if told and t >= told[0]]
            if shown:
                figures["lifted"].append(shown[0] - laid)
                break
        services.demo_action("place_card", "adult")
        driver.wait_page("form", timeout=15)
        driver.click("btnBack")
        driver.wait_page("card")
        services.demo_action("lift_card")
        driver.wait_until(lambda: not ui.bridge.view["card_present"], what="the card to be lifted")
    ui.close()
    services.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds between the card screen showing and the card laid (a person's)")
    args = parser.parse_args()
    figures = measure(args.runs, args.pause)
    print(f"{args.runs} lays, {args.pause:g} s after the card screen showed; the first is the process's first form")
    wire = WIRE_BYTES * 10 / BAUD
    print(f"wire time of find + select + read at {BAUD} baud (baseline): {wire:.3f} s")
    for name, values in figures.items():
        if not values:
            print(f"card laid -> {name:8s}: not seen")
            continue
        median = statistics.median(values)
        print(f"card laid -> {name:8s}: median {median:.3f} s (min {min(values):.3f}, max {max(values):.3f}, "
              f"n={len(values)}), ratio to the wire time {median / wire:.1f}x; runs "
              + " ".join(f"{value:.2f}" for value in values))
        report(f"card laid -> {name}", median, "s", ratio=median / wire, ratio_to="wire time")


if __name__ == "__main__":
    main()

"""Memory over many applicants through the real QML app (offscreen, software rendering). Run:

    .venv/bin/python bench/bench_memory.py [--sessions 1000] [--minutes 8] [--report 50,200,1000]

One process, one window, one `AppServices` (demo configuration, sim:// reader and printer), as in the
hall: each session is a whole visit on the touchscreen — 个人办事 -> catalog -> the health permit ->
card laid on the simulated reader -> form filled -> pre-review -> materials (我已阅读并同意) -> result ->
printed -> rated -> thanks -> back to the start screen after the idle time. Resident memory (VmRSS) is
printed at the sessions named by --report (and every 25, and at the last), and the growth from the first report to the
last; the run stops early at --minutes (it says how many sessions it played). The goal (issue 17):
<= 20 MB in all from session 50 to 1,000.

The window's QObject count and the number of Python objects are printed beside RSS. The driver's
item lookups (kiosk.ui.driver walks the item tree from Python) leave PySide wrappers behind for items
QML has since destroyed: a few hundred bytes per session that the app itself, which never walks
its items, does not pay.

Run it twice to tell leaks from the allocator: as is, and with MALLOC_ARENA_MAX=2 (glibc keeps fewer
per-thread arenas; growth that disappears then is fragmentation, not objects kept). --child runs the
sessions in this process (the parent starts it with the environment given).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import report as record

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(sessions: int, minutes: float, report: set[int], data_dir: Path, args_every: int = 25) -> None:
    from PySide6.QtCore import QObject, QTimer

    from kiosk.app import idle_settings
    from kiosk.config import demo_config
    from kiosk.services.app_services import AppServices
    from kiosk.session import ApplicantSession
    from kiosk.session.clock import FakeClock
    from kiosk.ui.app import build_ui, create_qt_app
    from kiosk.ui.driver import UiDriver
    from kiosk.ui.player import fill_health_form, lay_card, open_service, to_result

    create_qt_app()
    config = demo_config(data_dir)
    services = AppServices(config)
    clock = FakeClock(dt.date.fromisoformat(os.environ.get("KIOSK_TODAY", "2026-11-21")))
    session = ApplicantSession(services.directory, clock, idle_settings(config))
    ui = build_ui(services, session=session, demo=True, tick_interval=None)
    d = UiDriver(ui, services, clock)
    deadline = time.monotonic() + minutes * 60
    first: tuple[int, float] | None = None
    played = 0
    for number in range(1, sessions + 1):
        open_service(d)
        lay_card(d, "adult")
        fill_health_form(d)
        to_result(d)
        d.click("btnConfirm")
        d.wait_page("rating", timeout=30)
        d.click("face_5")
        d.click("btnRate")
        d.wait_page("thanks")
        services.demo_action("lift_card")
        d.wait_until(lambda: not ui.bridge.view["card_present"], what="the card to be lifted")
        clock.advance(30)
        # The idle tick from the event loop, as the app's timer delivers it: a page change made from
        # outside any event loop (calling bridge.tick() here) leaves the Loader's old page to a
        # deleteLater that never runs, one ThanksPage per session (the harness's leak, not the app's).
        QTimer.singleShot(0, ui.bridge.tick)
        d.wait_page("home")
        played = number
        last = number == sessions or time.monotonic() > deadline
        if number in report or number % args_every == 0 or last:
            gc.collect()
            rss = rss_mb()
            first = first or (number, rss)
            objects = len(ui.window.findChildren(QObject))
            print(f"session {number:5d}: RSS {rss:7.1f} MB  (+{rss - first[1]:.1f} MB since session {first[0]}); "
                  f"{objects} QObjects in the window, {len(gc.get_objects())} Python objects", flush=True)
        if last:
            break
    print(f"played {played} sessions", flush=True)
    if first is not None and played > first[0]:
        arena = os.environ.get("MALLOC_ARENA_MAX", "default")
        record(f"QML app RSS growth, session {first[0]} -> {played}, MALLOC_ARENA_MAX={arena}", rss_mb() - first[1],
               "MB", goal="<= 20 MB")
    ui.close()
    services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=8.0, help="stop after this long (default 8)")
    parser.add_argument("--report", default="50,200,1000", help="sessions at which to print RSS")
    parser.add_argument("--arena", choices=("default", "2", "both"), default="both",
                        help="MALLOC_ARENA_MAX for the child: glibc's default, 2, or one run of each")
    parser.add_argument("--child", type=Path, metavar="DATA_DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    report = {int(x) for x in args.report.split(",") if x}
    if args.child:
        child(args.sessions, args.minutes, report, args.child)
        return
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
           "QT_IM_MODULE": "qtvirtualkeyboard", "KIOSK_TODAY": os.environ.get("KIOSK_TODAY", "2026-11-21")}
    arenas = ("default", "2") if args.arena == "both" else (args.arena,)
    for arena in arenas:
        child_env = dict(env)
        child_env.pop("MALLOC_ARENA_MAX", None)
        if arena != "default":
            child_env["MALLOC_ARENA_MAX"] = arena
        print(f"-- MALLOC_ARENA_MAX={arena if arena != 'default' else '(glibc default)'}", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as scratch:
            subprocess.run([sys.executable, __file__, "--child", str(Path(scratch) / "data"),
                            "--sessions", str(args.sessions), "--minutes", str(args.minutes / len(arenas)),
                            "--report", args.report], env=child_env, cwd=ROOT, check=True,
                           stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()

"""A month in an hour: thousands of applicant visits on one kiosk process, against a real hall (issue 16).

    .venv/bin/python bench/soak.py [--sessions 1000] [--headless-sessions 10000] [--every 10]
                                   [--out build/soak] [--no-hall] [--seed 16]

1. The touchscreen: --sessions whole visits through the real QML app (offscreen, software rendering,
   the demo composition root: reader simulator on a pty, in-process printer emulator, SQLite in the
   data dir, the hall uploader thread), one window for the whole run as in a hall. The visits are the
   persona walks of kiosk.ui.personas and the player's steps (kiosk.ui.player) over a `UiDriver`,
   mixed by a seeded RNG: approved (秒批) in Chinese, in elder mode and in English, accepted (受理) by
   an agent with mail delivery, blocked (a foreign company, a minor), cancelled midway, walked away
   from (the idle timeout and its countdown), paper out, the printer gone (stalled, no answer) and back,
   the card lifted mid-read, a malformed reply frame (bad checksum, garbage) from the reader.
2. The headless core: --headless-sessions applications through `kiosk.headless.HeadlessApplicant`
   (what `kiosk apply` runs) over one `Kiosk` on the same data dir (the kiosk restarted), its uploader
   running: approved, accepted, blocked and refused cards; every --headless-pdfs-every-th application
   with its PDFs (its event for the hall waits for them), the others' events go without (as for an
   application whose PDFs cannot be made: `outbox.release_waiting`). The PDFs are 60 % of an
   application's time (reportlab); with all of them 10,000 applications take over 40 minutes here.
A real hall runs beside them (`python -m hall serve --data-dir DIR`, its own PostgreSQL cluster); it is
stopped for a stretch of each phase and started again (the hall going away and coming back).

Resident memory (VmRSS), threads and open file descriptors of the kiosk process are sampled every
--every sessions (after gc.collect()); printed, written to OUT/soak.json and drawn as OUT/soak-memory.svg.
Checked and printed at the end: no crash (every visit ended where it should; a failed visit is counted
and named, the run goes on), RSS growth after the first 50 sessions (goal <= 20 MB: the mean of the
samples at sessions 50-70 against the mean of the last three, so that one sample's swing, up to 10 MB
after a heap trim, does not decide it; the single samples' difference and the slope are printed beside),
threads and fds at the end against after session 50, `PRAGMA integrity_check`, `kiosk audit verify`, and
every outbox event held by the hall exactly once (the kiosk's outbox ids against the hall's Event table).
Figures go to bench/figures.report for `bench/run_all.py`. Nothing asserts; the output is the report.
`SOAK_PROBE=DIR [SOAK_PROBE_FROM=50]`: what grows, from that visit on (bench/soak_probe.py; slow: tracemalloc).
`SOAK_SMAPS=FILE`: resident memory by kind of mapping at every sample, one JSON line each (cheap).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from figures import report

ROOT = Path(__file__).resolve().parent.parent
TODAY = os.environ.get("KIOSK_TODAY", "2026-11-21")
KIOSK_ID = "K01"
BASELINE_SESSION = 50
BASELINE_WINDOW = range(BASELINE_SESSION, BASELINE_SESSION + 21, 10)  # sampled in both phases: 50, 60, 70
END_SAMPLES = 3
BACKOFF_MAX_S = 10.0

# The touchscreen's mix: kind -> weight (per 100 visits).
UI_MIX = {
    "young": 26, "elder": 12, "english": 10, "accepted": 10, "foreign": 5, "minor": 4, "cancel": 7,
    "idle": 6, "paper-out": 6, "printer-gone": 3, "lifted": 5, "malformed": 6,
}
# The headless core's mix.
HEADLESS_MIX = {"approved": 55, "accepted": 20, "blocked": 15, "minor": 5, "expired": 5}

HALL_QUERY = """
import json, sys
from pathlib import Path
from hall import cli
data_dir = Path(sys.argv[1])
with cli._database(data_dir, None) as url:
    cli._setup_django(data_dir, url)
    from hall.cases.models import Case, Event
    ids = [str(i) for i in Event.objects.filter(kiosk__kiosk_id=sys.argv[2]).values_list("event_id", flat=True)]
    cases = Case.objects.filter(kiosk__kiosk_id=sys.argv[2]).count()
    print(json.dumps({"events": ids, "cases": cases}))
"""


# --- the kiosk process's own figures ------------------------------------------------------------------

def proc_figures() -> dict[str, float]:
    status = Path("/proc/self/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {"rss_mb": int(fields["VmRSS"].split()[0]) / 1024, "threads": int(fields["Threads"]),
            "fds": len(os.listdir("/proc/self/fd"))}


def emit(kind: str, **fields: object) -> None:
    """One JSON line on stdout for the parent (progress, samples, failures, the end)."""
    print(json.dumps({"kind": kind, **fields}, ensure_ascii=False), flush=True)


def sample(phase: str, session: int) -> None:
    gc.collect()
    emit("sample", phase=phase, session=session, **proc_figures())
    if os.environ.get("SOAK_SMAPS"):  # where the resident memory is, by kind of mapping (bench/soak_probe.py)
        from soak_probe import smaps_by_kind

        with open(os.environ["SOAK_SMAPS"], "a", encoding="utf-8") as out:
            out.write(json.dumps({"phase": phase, "session": session, **smaps_by_kind()}) + "\n")


def pick(rng: random.Random, mix: dict[str, int]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def kiosk_config(data_dir: Path, url: str | None, token: str | None):
    from kiosk.config import SyncConfig, demo_config

    config = demo_config(data_dir)
    if url and token:
        config = config.model_copy(update={"sync": SyncConfig(url=url, token=token, heartbeat_s=5)})
    return config


def start_uploader(kiosk) -> None:
    """The kiosk's uploader thread, as `kiosk demo` starts it, with its retry backoff capped at
    BACKOFF_MAX_S instead of 300 s: a month in an hour compresses the hall's outages as well."""
    uploader = kiosk.uploader()
    if uploader is not None:
        uploader.settings = dataclasses.replace(uploader.settings, backoff_max_s=BACKOFF_MAX_S)
        kiosk.sync = uploader
        uploader.start()


def wait_drained(store, seconds: float) -> dict[str, int]:
    """Wait (the uploader thread sends) until nothing is left unsent; the backlog then."""
    from kiosk.sync import outbox

    deadline = time.monotonic() + seconds
    while True:
        backlog = outbox.backlog(store)
        if backlog.unsent == 0 or time.monotonic() > deadline:
            return {"unsent": backlog.unsent}
        time.sleep(0.5)


# --- 1. the touchscreen ---------------------------------------------------------------------------------

class Visit:
    """One visit on the one window: the persona walks (kiosk.ui.personas) run on it without shots."""

    def __init__(self, ui, driver, services, clock, kind: str) -> None:
        from kiosk.ui.personas import PersonaRun, Walk

        class SoakRun(PersonaRun):
            def __init__(self) -> None:  # the window stays: no new window per visit, as in a hall
                self.ui, self.d, self.services, self.clock = ui, driver, services, clock
                self.walk = Walk(kind, "portrait", elder=kind == "elder",
                                 language="en" if kind in ("english", "foreign") else "zh")
                self.folder, self.step = None, 0

            def shot(self, name: str) -> None:  # no screenshots, no screen audit: only the walk
                pass

        self.run = SoakRun()
        self.d, self.services, self.clock, self.kind = driver, services, clock, kind

    def tick(self) -> None:
        """The idle timer's tick, delivered from the event loop as the app's own timer does."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self.d.bridge.tick)
        self.d.process()

    def go_home(self) -> None:
        """End the visit the way the applicant leaves it: from thanks after its few seconds, otherwise
        取消办理 (confirmed); then the card is taken off the reader."""
        d = self.d
        if d.bridge.page == "thanks":
            self.clock.advance(10)
            self.tick()
        elif d.bridge.page != "home":
            d.click("btnHome")
            d.wait_until(lambda: d.bridge.page == "home" or d.exists("cancelYes"), what="home or the confirmation")
            if d.bridge.page != "home":
                d.click("cancelYes")
        d.wait_page("home", timeout=30)
        self.services.demo_action("lift_card")
        d.wait_until(lambda: not d.bridge.view["card_present"], what="the card to be lifted")

    def idle_out(self) -> None:
        """Walk away: the step's idle time passes, the countdown shows, runs out; back to the start."""
        d = self.d
        self.clock.advance(d.bridge.session.settings.form_seconds + 1)
        self.tick()
        d.wait_until(lambda: d.bridge.countingDown, what="the idle countdown")
        self.clock.advance(d.bridge.session.settings.countdown_seconds + 1)
        self.tick()
        d.wait_page("home", timeout=30)

    def play(self) -> str:
        """Play the visit; returns where it ended (the outcome)."""
        from kiosk.ui import personas
        from kiosk.ui.player import fill_health_form, lay_card, open_service, to_result

        d, run, kind = self.d, self.run, self.kind
        if kind in ("young", "elder", "english"):
            personas.young(run)
            ended = str(d.bridge.view.get("outcome") or "approved")
        elif kind == "accepted":
            open_service(d)
            lay_card(d, "adult")
            d.click("option_is_legal_rep_1")  # an agent: 受理, with the 授权委托书 promised
            fill_health_form(d)
            to_result(d, "授权委托书")
            d.click("delivery_mail")
            d.wait_until(lambda: (d.bridge.view["delivery"] or {}).get("method") == "mail", what="mail chosen")
            personas._print_and_rate(run)
            ended = str(d.bridge.view.get("outcome") or "accepted")
        elif kind in ("foreign", "minor"):
            (personas.foreign if kind == "foreign" else personas.minor)(run)
            ended = "blocked" if d.bridge.page == "form" else f"stopped at {d.bridge.page}"
            if kind == "foreign":  # he walks away: the idle timeout wipes what he entered
                self.idle_out()
                ended += ", idle timeout"
        elif kind == "cancel":
            personas.cancel_midway(run)
            ended = "cancelled"
        elif kind == "idle":
            open_service(d)
            lay_card(d, "adult")
            d.type_into("field_staff_count", "3")
            self.idle_out()
            ended = "idle timeout"
        elif kind == "paper-out":
            personas.paper_out(run)
            ended = "approved after paper out"
        elif kind == "printer-gone":
            ended = self.printer_gone()
        elif kind in ("lifted", "malformed"):
            personas._start(run)
            fault = "lift_mid_read" if kind == "lifted" else random.choice(("bad_checksum", "garbage"))
            self.services.demo_action("reader_fault", fault)
            self.services.demo_action("place_card", "adult")
            d.wait_until(lambda: d.bridge.page == "form" or d.bridge.view["notice"] is not None, timeout=15,
                         what="the read or its fault")
            if d.bridge.page != "form":  # told on the card screen: the applicant lays the card again
                self.services.demo_action("lift_card")
                d.wait_until(lambda: not d.bridge.view["card_present"], what="the card lifted")
                lay_card(d, "adult")
            personas._fill_form(run, with_keyboard_shot=False)
            personas._through_to_result(run)
            personas._print_and_rate(run)
            ended = f"approved after {fault}"
        else:
            raise ValueError(kind)
        self.go_home()
        return ended

    def printer_gone(self) -> str:
        """The printer stops answering (unplugged) as the slip is sent; it comes back; the slip prints."""
        from kiosk.ui import personas

        d, run = self.d, self.run
        personas._start(run)
        personas._lay_card(run, "adult")
        personas._fill_form(run, with_keyboard_shot=False)
        personas._through_to_result(run)
        printer = self.services.printer
        printer.set_stalled(True)
        d.click("btnConfirm")
        d.wait_until(lambda: d.bridge.page in ("print_failed", "rating")
                     or (d.bridge.page == "printing" and d.bridge.view.get("notice") is not None),
                     timeout=90, what="the printer's silence to be told")
        told = d.bridge.page
        printer.set_stalled(False)
        self.services.kiosk.queue.retry_now()
        if d.bridge.page == "print_failed":
            d.click("btnRetry")
        d.wait_page("rating", timeout=90)
        d.click("face_4")
        d.click("btnRate")
        d.wait_page("thanks")
        return f"approved after the printer was gone (told on {told})"


def ui_phase(args: argparse.Namespace) -> None:
    from PySide6.QtCore import QObject
    from soak_probe import Probe

    from kiosk.app import idle_settings
    from kiosk.services.app_services import AppServices
    from kiosk.session import ApplicantSession
    from kiosk.session.clock import FakeClock
    from kiosk.ui.app import build_ui, create_qt_app
    from kiosk.ui.driver import UiDriver

    create_qt_app()
    probe = Probe()
    config = kiosk_config(args.data_dir, args.hall_url, args.token)
    services = AppServices(config)
    start_uploader(services.kiosk)
    clock = FakeClock(dt.date.fromisoformat(TODAY))
    session = ApplicantSession(services.directory, clock, idle_settings(config))
    ui = build_ui(services, session=session, demo=True, tick_interval=None)
    driver = UiDriver(ui, services, clock)
    driver.wait_page("home", timeout=60)
    rng = random.Random(args.seed)
    random.seed(args.seed)
    sample("ui", 0)
    deadline = time.monotonic() + args.ui_minutes * 60 if args.ui_minutes else None
    for number in range(1, args.sessions + 1):
        kind = list(UI_MIX)[(number - 1) % len(UI_MIX)] if args.round_robin else pick(rng, UI_MIX)
        started = time.monotonic()
        try:
            ended = Visit(ui, driver, services, clock, kind).play()
        except Exception as exc:  # a visit that did not end where it should: counted, named, the run goes on
            emit("failed", phase="ui", session=number, visit=kind, page=ui.bridge.page, error=str(exc)[:300])
            with contextlib.suppress(Exception):
                printer = services.printer
                printer.set_stalled(False)
                printer.load_paper()
                services.kiosk.queue.retry_now()
                Visit(ui, driver, services, clock, kind).go_home()
            ended = "failed"
        emit("visit", phase="ui", session=number, visit=kind, ended=ended, seconds=round(time.monotonic() - started, 2))
        out_of_time = deadline is not None and time.monotonic() > deadline
        if number % args.every == 0 or number == args.sessions or number in BASELINE_WINDOW or out_of_time:
            sample("ui", number)
            probe.mark(number)
        if number == probe.from_session:
            probe.start(ui, number)
        if out_of_time:
            emit("stopped", phase="ui", played=number, reason=f"--ui-minutes {args.ui_minutes:g}")
            break
    emit("qobjects", phase="ui", count=len(ui.window.findChildren(QObject)))
    probe.finish(ui, number)
    if args.hall_url:
        emit("drain", phase="ui", **wait_drained(services.kiosk.store, args.drain_seconds))
    ui.close()
    services.close()
    emit("end", phase="ui")


# --- 2. the headless core ---------------------------------------------------------------------------------

HEALTH = "public-place-health-permit"


def health_answers(today: dt.date, **changes: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
        "has_central_ac": "否", "hygiene_report_date": (today - dt.timedelta(days=50)).isoformat(),
        "hygiene_report_result": "合格"}
    answers.update(changes)
    return answers


def headless_phase(args: argparse.Namespace) -> None:
    from idreader import demo_cards
    from kiosk.app import Kiosk
    from kiosk.headless import HeadlessApplicant
    from kiosk.sync import outbox

    today = dt.date.fromisoformat(TODAY)
    cards = {name: demo_cards.load(name) for name in ("adult", "elderly", "minor", "expired")}
    plans = {
        "approved": ("adult", health_answers(today)),
        "accepted": ("adult", health_answers(today, is_legal_rep="否")),
        "blocked": ("adult", health_answers(today, staff_health_certified=2)),
        "minor": ("minor", health_answers(today)),
        "expired": ("expired", health_answers(today)),
    }
    rng = random.Random(args.seed + 1)
    outcomes: dict[str, int] = {}
    with Kiosk.build(kiosk_config(args.data_dir, args.hall_url, args.token)) as kiosk:
        start_uploader(kiosk)
        sample("headless", 0)
        deadline = time.monotonic() + args.headless_minutes * 60 if args.headless_minutes else None
        for number in range(1, args.headless_sessions + 1):
            kind = pick(rng, HEADLESS_MIX)
            card, answers = plans[kind]
            pdfs = number % args.headless_pdfs_every == 0
            try:
                with HeadlessApplicant(kiosk, pdfs=pdfs) as applicant:  # with PDFs the event waits for them
                    result = applicant.apply(HEALTH, cards[card], answers)
                    saved = applicant.session.state.saved
                if not pdfs and saved is not None:  # no PDFs will come: its event goes without them
                    outbox.release_waiting(kiosk.store, [saved.application_id])
                outcome = f"{kind}: {result.decision}"
            except Exception as exc:
                emit("failed", phase="headless", session=number, visit=kind, error=str(exc)[:300])
                outcome = f"{kind}: failed"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            out_of_time = deadline is not None and time.monotonic() > deadline
            if number % args.headless_every == 0 or number == args.headless_sessions \
                    or number in BASELINE_WINDOW or out_of_time:
                sample("headless", number)
                emit("progress", phase="headless", session=number)
            if out_of_time:
                emit("stopped", phase="headless", played=number,
                     reason=f"--headless-minutes {args.headless_minutes:g}")
                break
        emit("outcomes", phase="headless", outcomes=outcomes)
        if args.hall_url:
            emit("drain", phase="headless", **wait_drained(kiosk.store, args.drain_seconds))
    emit("end", phase="headless")


# --- the parent: the hall, the children, the checks, the curve ---------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Hall:
    """`python -m hall serve` with its own PostgreSQL cluster; stopped and started again on the same port."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir, self.port = data_dir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.outages = 0

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hall", "serve", "--data-dir", str(self.data_dir), "--port", str(self.port)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 240
        while not self.healthy():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the hall did not start (exit {self.process.poll()})")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(90)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
        self.process = None

    def cli(self, *argv: str) -> str:
        done = subprocess.run([sys.executable, "-m", "hall", *argv, "--data-dir", str(self.data_dir)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True)
        return done.stdout

    def events(self) -> dict:
        done = subprocess.run([sys.executable, "-c", HALL_QUERY, str(self.data_dir), KIOSK_ID], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def run_child(phase: str, args: argparse.Namespace, hall: Hall | None, token: str | None, total: int,
              lines: list[dict]) -> int:
    """Run one phase as a child process; take the hall away over a stretch of it and bring it back."""
    argv = [sys.executable, __file__, "--child", phase, "--data-dir", str(args.work / "kiosk"), "--seed",
            str(args.seed), "--sessions", str(args.sessions), "--headless-sessions", str(args.headless_sessions),
            "--every", str(args.every), "--headless-every", str(args.headless_every),
            "--headless-pdfs-every", str(args.headless_pdfs_every),
            "--ui-minutes", str(args.ui_minutes), "--headless-minutes", str(args.headless_minutes),
            "--drain-seconds", str(args.drain_seconds)] + (["--round-robin"] if args.round_robin else [])
    if hall is not None and token:
        argv += ["--hall-url", hall.url, "--token", token]
    env = {**os.environ, "KIOSK_TODAY": TODAY, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
           "QT_IM_MODULE": "qtvirtualkeyboard"}
    down_at, up_at = max(1, int(total * 0.3)), max(2, int(total * 0.45))
    cap = (args.ui_minutes if phase == "ui" else args.headless_minutes) * 60  # a capped phase: by time too
    child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    restart: threading.Thread | None = None
    started = time.monotonic()
    for raw in child.stdout:
        try:
            line = json.loads(raw)
        except json.JSONDecodeError:
            print(raw.rstrip(), flush=True)
            continue
        lines.append(line)
        kind = line["kind"]
        session = line.get("session", 0)
        if kind == "sample":
            print(f"[{phase} {session:6d}] RSS {line['rss_mb']:7.1f} MB  threads {line['threads']:3d}  "
                  f"fds {line['fds']:4d}  ({time.monotonic() - started:6.0f} s)", flush=True)
        elif kind in ("failed", "drain", "outcomes", "qobjects", "stopped"):
            print(f"[{phase}] {kind}: {json.dumps(line, ensure_ascii=False)}", flush=True)
        elapsed = time.monotonic() - started
        if hall is not None and kind == "stopped" and hall.process is None and restart is None:
            print(f"[{phase}] the phase stopped early: the hall comes back for the drain", flush=True)
            restart = threading.Thread(target=hall.start, daemon=True)
            restart.start()
        if hall is not None and kind in ("visit", "progress", "sample"):
            going = session >= down_at or (cap and elapsed >= cap * 0.3)
            coming = session >= up_at or (cap and elapsed >= cap * 0.45)
            if going and not coming and hall.process is not None and hall.outages < (1 if phase == "ui" else 2):
                print(f"[{phase} {session:6d}] the hall goes away", flush=True)
                hall.stop()
                hall.outages += 1
            elif coming and hall.process is None and restart is None:
                print(f"[{phase} {session:6d}] the hall comes back", flush=True)
                restart = threading.Thread(target=hall.start, daemon=True)
                restart.start()
    code = child.wait()
    if restart is not None:
        restart.join()
    if hall is not None and hall.process is None:  # the phase ended before the hall's return
        hall.start()
    return code


def curve_svg(samples: dict[str, list[tuple[int, float]]], path: Path, title: str) -> None:
    """Resident memory against sessions, one panel per phase, drawn as plain SVG."""
    width, height, pad = 900, 360, 60
    panels = [(phase, points) for phase, points in samples.items() if points]
    panel_w = (width - pad) / max(1, len(panels))
    y0, y1 = height - 40, 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{title}</text>']
    for index, (phase, points) in enumerate(panels):
        x0, x1 = pad + index * panel_w, pad + (index + 1) * panel_w - 30
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        lo, hi = min(ys), max(ys)
        lo, hi = (lo - 5, hi + 5) if hi - lo < 10 else (lo - (hi - lo) * 0.1, hi + (hi - lo) * 0.1)
        span_x = max(xs) - min(xs) or 1

        def sx(v: float, x0=x0, x1=x1, xs=xs, span_x=span_x) -> float:
            return x0 + (v - min(xs)) / span_x * (x1 - x0)

        def sy(v: float, lo=lo, hi=hi) -> float:
            return y0 - (v - lo) / (hi - lo) * (y0 - y1)

        parts.append(f'<rect x="{x0}" y="{y1}" width="{x1 - x0}" height="{y0 - y1}" fill="none" stroke="#888"/>')
        for step in range(5):
            value = lo + (hi - lo) * step / 4
            parts.append(f'<text x="{x0 - 4}" y="{sy(value) + 4:.1f}" text-anchor="end">{value:.0f}</text>')
            parts.append(f'<line x1="{x0}" x2="{x1}" y1="{sy(value):.1f}" y2="{sy(value):.1f}" stroke="#eee"/>')
        for step in range(5):
            value = min(xs) + span_x * step / 4
            parts.append(f'<text x="{sx(value):.1f}" y="{y0 + 16}" text-anchor="middle">{value:.0f}</text>')
        base = [p for p in points if p[0] >= BASELINE_SESSION]
        if base:
            limit = base[0][1] + 20
            if lo <= limit <= hi:
                parts.append(f'<line x1="{x0}" x2="{x1}" y1="{sy(limit):.1f}" y2="{sy(limit):.1f}" '
                             'stroke="#c33" stroke-dasharray="4 3"/>')
                parts.append(f'<text x="{x1 - 4}" y="{sy(limit) - 4:.1f}" text-anchor="end" fill="#c33">'
                             f'session {base[0][0]} + 20 MB</text>')
        line = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1565c0" stroke-width="2"/>')
        parts.append(f'<text x="{(x0 + x1) / 2}" y="{y1 - 6}" text-anchor="middle">{phase}: RSS (MB) by session'
                     '</text>')
        parts.append(f'<text x="{(x0 + x1) / 2}" y="{height - 8}" text-anchor="middle">sessions</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def kiosk_checks(data_dir: Path) -> dict[str, object]:
    db = sqlite3.connect(data_dir / "kiosk.db")
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = db.execute("SELECT event_id, kind, sent_at IS NOT NULL, dead FROM outbox").fetchall()
        applications = db.execute("SELECT COUNT(*) FROM applications").fetchone()[0]
    finally:
        db.close()
    audit = subprocess.run([sys.executable, "-m", "kiosk", "audit", "verify", "--data-dir", str(data_dir)],
                           cwd=ROOT, capture_output=True, text=True, timeout=600,
                           env={**os.environ, "KIOSK_TODAY": TODAY})
    kinds: dict[str, int] = {}
    for _, kind, _, _ in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {"integrity": integrity, "outbox": rows, "kinds": kinds, "applications": applications,
            "audit_exit": audit.returncode, "audit": (audit.stdout + audit.stderr).strip().splitlines()[-3:]}


def growth(points: list[dict]) -> dict[str, float] | None:
    """RSS growth after the warm-up: the mean of the samples at sessions 50-70 (in a shorter run, from its
    first quarter on) against the mean of the last END_SAMPLES; the single samples and the slope beside."""
    if not points:
        return None
    baseline = min(BASELINE_SESSION, points[-1]["session"] // 4)
    base = next(p for p in points if p["session"] >= baseline)
    window = [p for p in points  # the warm-up is over at the baseline: nothing before it counts
              if base["session"] <= p["session"] <= base["session"] + 20 and p["session"] < points[-1]["session"]]
    after = [p for p in points if p["session"] >= base["session"]]
    end = after[-END_SAMPLES:]
    last = points[-1]
    mean = lambda ps: sum(p["rss_mb"] for p in ps) / len(ps)  # noqa: E731
    return {"start_rss": points[0]["rss_mb"], "base_session": base["session"], "base_rss": base["rss_mb"],
            "base_window": [window[0]["session"], window[-1]["session"]], "base_mean": mean(window),
            "end_window": [end[0]["session"], end[-1]["session"]], "end_mean": mean(end),
            "end_session": last["session"], "end_rss": last["rss_mb"], "growth": mean(end) - mean(window),
            "growth_single": last["rss_mb"] - base["rss_mb"], "kb_per_session": slope_kb(after),
            "max_rss": max(p["rss_mb"] for p in after),
            "threads": (base["threads"], last["threads"]), "fds": (base["fds"], last["fds"])}


def slope_kb(points: list[dict]) -> float:
    """Least squares: KB of RSS per session over these samples."""
    if len(points) < 2:
        return 0.0
    xs, ys = [p["session"] for p in points], [p["rss_mb"] * 1024 for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


def parent(args: argparse.Namespace) -> None:
    args.out.mkdir(parents=True, exist_ok=True)
    args.work = Path(tempfile.mkdtemp(prefix="soak-", dir=args.dir))
    args.work.chmod(0o755)  # the cluster's unprivileged user (when run as root) reaches its folder
    hall: Hall | None = None
    token = None
    lines: list[dict] = []
    codes: dict[str, int] = {}
    started = time.monotonic()
    print(f"soak: {args.sessions} touchscreen + {args.headless_sessions} headless sessions, work {args.work}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    try:
        if not args.no_hall:
            (args.work / "hall").mkdir()
            (args.work / "hall").chmod(0o755)
            hall = Hall(args.work / "hall")
            hall.start()
            token = json.loads(hall.cli("enrol", KIOSK_ID, "--json").strip().splitlines()[-1])["token"]
            print(f"hall at {hall.url} (pid {hall.process.pid if hall.process else '?'})", flush=True)
        if args.sessions:
            codes["ui"] = run_child("ui", args, hall, token, args.sessions, lines)
        if args.headless_sessions:
            if hall is not None:
                hall.outages = 1  # one more outage in this phase
            codes["headless"] = run_child("headless", args, hall, token, args.headless_sessions, lines)
        checks = kiosk_checks(args.work / "kiosk")
        held = hall.events() if hall is not None else None
    finally:
        if hall is not None:
            hall.stop()
    took = time.monotonic() - started
    summarise(args, lines, codes, checks, held, took)
    if not args.keep:
        subprocess.run(["rm", "-rf", str(args.work)], check=False)


def played(points: list[dict]) -> int:
    return points[-1]["session"] if points else 0


def summarise(args, lines, codes, checks, held, took) -> None:
    samples = {phase: [line for line in lines if line["kind"] == "sample" and line["phase"] == phase]
               for phase in ("ui", "headless")}
    failures = [line for line in lines if line["kind"] == "failed"]
    visits: dict[str, int] = {}
    seconds = [line["seconds"] for line in lines if line["kind"] == "visit"]
    for line in lines:
        if line["kind"] == "visit":
            name = f"{line['visit']}: {line['ended']}"
            visits[name] = visits.get(name, 0) + 1
    stopped = [line for line in lines if line["kind"] == "stopped"]
    outbox_ids = {row[0] for row in checks["outbox"]}
    unsent = sum(1 for row in checks["outbox"] if not row[2])
    dead = sum(1 for row in checks["outbox"] if row[3])
    result: dict[str, object] = {
        "sessions": args.sessions, "headless_sessions": args.headless_sessions, "exit_codes": codes,
        "minutes": round(took / 60, 1), "failures": failures, "visits": visits, "stopped": stopped,
        "visit_seconds_median": sorted(seconds)[len(seconds) // 2] if seconds else None,
        "growth": {phase: growth(points) for phase, points in samples.items()},
        "integrity": checks["integrity"], "audit_exit": checks["audit_exit"], "audit": checks["audit"],
        "applications": checks["applications"], "outbox": len(outbox_ids), "outbox_kinds": checks["kinds"],
        "unsent": unsent, "dead": dead,
    }
    if held is not None:
        hall_ids = held["events"]
        result.update(hall_events=len(hall_ids), hall_duplicates=len(hall_ids) - len(set(hall_ids)),
                      missing_at_hall=len(outbox_ids - set(hall_ids)), unknown_at_hall=len(set(hall_ids) - outbox_ids),
                      hall_cases=held["cases"])
    (args.out / "soak.json").write_text(json.dumps({**result, "samples": samples}, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
    curve_svg({"touchscreen (QML)": [(p["session"], p["rss_mb"]) for p in samples["ui"]],
               "headless core": [(p["session"], p["rss_mb"]) for p in samples["headless"]]},
              args.out / "soak-memory.svg",
              f"soak: {played(samples['ui'])} of {args.sessions} QML + {played(samples['headless'])} of "
              f"{args.headless_sessions} headless sessions, resident memory")
    print("\n== soak ==")
    print(f"ran {took / 60:.1f} min; children exit {codes}; visits that failed: {len(failures)}")
    for line in stopped:
        print(f"  {line['phase']} phase stopped after {line['played']} sessions ({line['reason']})")
    for line in lines:
        if line["kind"] == "outcomes":
            print(f"headless outcomes: {line['outcomes']}")
    for failure in failures[:10]:
        print(f"  failed: {failure}")
    print(f"touchscreen visits by kind and end: {json.dumps(dict(sorted(visits.items())), ensure_ascii=False)}; "
          f"median visit {result['visit_seconds_median']} s")
    for phase, figures in result["growth"].items():
        if figures:
            print(f"{phase}: RSS start {figures['start_rss']:.1f} MB, sessions {figures['base_window'][0]}-"
                  f"{figures['base_window'][1]} {figures['base_mean']:.1f} MB (mean), sessions "
                  f"{figures['end_window'][0]}-{figures['end_window'][1]} {figures['end_mean']:.1f} MB (mean): "
                  f"growth {figures['growth']:+.1f} MB (goal <= 20 MB; single samples {figures['base_session']} -> "
                  f"{figures['end_session']}: {figures['base_rss']:.1f} -> {figures['end_rss']:.1f} MB, "
                  f"{figures['growth_single']:+.1f}; slope {figures['kb_per_session']:+.1f} KB/session); "
                  f"max after {figures['base_session']} {figures['max_rss']:.1f} MB; "
                  f"threads {figures['threads'][0]} -> {figures['threads'][1]}, fds {figures['fds'][0]} -> "
                  f"{figures['fds'][1]}")
            report(f"soak {phase}: RSS growth after session {figures['base_session']} to {figures['end_session']}",
                   figures["growth"], "MB", goal="<= 20 MB")
            report(f"soak {phase}: threads growth", figures["threads"][1] - figures["threads"][0], "",
                   goal="<= 0")
            report(f"soak {phase}: fds growth", figures["fds"][1] - figures["fds"][0], "", goal="<= 0")
    print(f"database: integrity_check {checks['integrity']}; kiosk audit verify exit {checks['audit_exit']}: "
          f"{' / '.join(checks['audit'])}")
    print(f"applications {checks['applications']}; outbox events {len(outbox_ids)} {checks['kinds']}; unsent {unsent}, "
          f"dead {dead}")
    if held is not None:
        print(f"hall holds {result['hall_events']} events of this kiosk ({result['hall_cases']} cases): missing "
              f"{result['missing_at_hall']}, duplicates {result['hall_duplicates']}, unknown "
              f"{result['unknown_at_hall']}")
        report("soak: outbox events missing at the hall or held twice",
               result["missing_at_hall"] + result["hall_duplicates"] + result["unknown_at_hall"], "", goal="<= 0")
    report("soak: visits that failed", len(failures), "", goal="<= 0")
    print(f"figures: {args.out / 'soak.json'}; memory curve: {args.out / 'soak-memory.svg'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000, help="visits through the QML app")
    parser.add_argument("--headless-sessions", type=int, default=10_000, help="applications through the core")
    parser.add_argument("--every", type=int, default=10, help="sample memory every N touchscreen visits")
    parser.add_argument("--headless-every", type=int, default=100, help="sample memory every N headless sessions")
    parser.add_argument("--headless-pdfs-every", type=int, default=10,
                        help="every N-th headless application writes its PDFs (1: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "soak")
    parser.add_argument("--dir", default="/tmp", help="where the work folder (kiosk data, hall) is made")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--no-hall", action="store_true", help="no hall (the outbox is only kept)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--drain-seconds", type=float, default=600)
    parser.add_argument("--ui-minutes", type=float, default=0, help="stop the touchscreen phase after this long")
    parser.add_argument("--headless-minutes", type=float, default=0, help="stop the headless phase after this long")
    parser.add_argument("--round-robin", action="store_true", help="each kind of visit in turn (a smoke run)")
    parser.add_argument("--child", choices=("ui", "headless"), help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--hall-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "ui":
        ui_phase(args)
    elif args.child == "headless":
        headless_phase(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()

"""`kiosk --self-test`: the installed kiosk (the frozen bundle `dist/kiosk/kiosk`, or a checkout) proves
it can do its job, end to end, on this machine, without touching its real data.

In a throwaway folder (its data dir and its own caches; removed after) it walks one application through
the real parts, one line per step on stdout (`ok`, `FAIL` with the reason in plain words, or `skip` when
a step it needs failed) with the time taken:

  catalog   the shipped catalog loads from its YAML (rule-engine compiles every condition) with the item
  reader    idreader's protocol simulator on a real TCP socket, the demo card 张伟 on it; the serial
            driver reads it (find, select, read: real frames)
  printer   the ESC/POS emulator listens on a real TCP port (a 9100-style printer) and answers a DLE EOT
            status query: ready
  apply     a 公共场所卫生许可 application through the kiosk's services: the card, the demo answers,
            pre-review, the decision (秒批 expected), committed with its numbers and signed QR
  pdfs      every PDF is written, is a PDF, and its text extracts (the holder's name comes back)
  print     the slip reached the emulator over TCP: the bytes that arrived are the queued job's
  qr        the slip's QR read back from the emulator's picture of the slip (zxing-cpp / OpenCV) and
            verified by `kiosk verify` (the same command, the throwaway data dir's key)
  outbox    the hall's `application` event is ready to send, its PDFs attached
  qt        (unless `--no-screen`) kiosk doctor's Qt probe in a child process: the xcb and offscreen
            platforms, JPEG and PNG, and the virtual keyboard (an InputPanel made, which loads the keyboard's QML;
            "zhong" typed on its 简体中文 layout offers 中 first: the Pinyin plugin and its dictionary)
  screen    (unless `--no-screen`) `kiosk demo --startup-probe` in a child process, offscreen: the QML
            start screen shows (`start-screen`), the services attach (`services-ready`), and no QML
            file reports an error

Exit 0 only when every step is ok; 1 otherwise (the last line names the failed and skipped steps). The kiosk's day
is fixed (`SELF_TEST_DAY`) so the demo answers' dates hold in any year.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

SERVICE = "public-place-health-permit"
CARD = "adult"  # 张伟: his 理发店 is approved on the spot with the demo answers
SELF_TEST_DAY = dt.date(2026, 11, 21)  # the demo answers' report date is under a year old on this day
READ_TIMEOUT_S = 15.0
PRINT_WAIT_S = 20.0
PRINTER_PROBE_S = 3.0
SCREEN_TIMEOUT_S = 120.0
STEPS = ("catalog", "reader", "printer", "apply", "pdfs", "print", "qr", "outbox", "qt", "screen")
SCREEN_STEPS = ("qt", "screen")
#: A QML error or warning as Qt prints it: `file:///…/Keyboard.qml:10:1: Type InputPanel unavailable`.
QML_ERROR = re.compile(r"\.qml:\d+(?::\d+)?: ")
#: What each step needs from the steps before it (a failed one makes it `skip`).
NEEDS = {"apply": ("catalog", "reader", "printer"), "pdfs": ("apply",), "print": ("apply",),
         "qr": ("print",), "outbox": ("pdfs",)}


class StepFailed(Exception):
    """A step did not do what it should: the message is the plain reason printed after FAIL."""


@dataclass
class Outcome:
    step: str
    status: str  # ok | FAIL | skip
    detail: str
    seconds: float


@dataclass
class Run:
    """What the steps hand on to each other."""

    root: Path
    printer_url: str | None
    catalog_dir: Path | None
    screen: bool
    values: dict[str, Any] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"


def run_self_test(out: TextIO | None = None, *, screen: bool = True, printer_url: str | None = None,
                  catalog_dir: Path | None = None) -> int:
    """Run every step, print one line each to `out` (default stdout), return the exit code.
    `printer_url` sends the print elsewhere instead of starting the emulator, `catalog_dir` loads
    another catalog in the catalog step (both for the tests that prove a failing step fails)."""
    out = out or sys.stdout
    root = Path(tempfile.mkdtemp(prefix="kiosk-self-test-"))
    run = Run(root, printer_url, catalog_dir, screen)
    try:
        with _own_caches(root), contextlib.ExitStack() as devices:
            run.values["devices"] = devices
            for name in STEPS:
                if name in SCREEN_STEPS and not screen:
                    continue
                _run_step(run, name, out)
            _close_kiosk(run)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    failed = [o.step for o in run.outcomes if o.status == "FAIL"]
    skipped = [o.step for o in run.outcomes if o.status == "skip"]
    if failed or skipped:
        ok = len(run.outcomes) - len(failed) - len(skipped)
        print(f"self-test: FAILED ({', '.join(failed)})"
              f"{'; skipped: ' + ', '.join(skipped) if skipped else ''}; {ok} of {len(run.outcomes)} steps ok",
              file=out, flush=True)
        return 1
    print(f"self-test: all {len(run.outcomes)} steps ok", file=out, flush=True)
    return 0


def _run_step(run: Run, name: str, out: TextIO) -> None:
    missing = [need for need in NEEDS.get(name, ()) if not _passed(run, need)]
    started = time.perf_counter()
    if missing:
        outcome = Outcome(name, "skip", f"needs {', '.join(missing)}", 0.0)
    else:
        try:
            detail = STEP_FUNCTIONS[name](run)
            outcome = Outcome(name, "ok", detail, time.perf_counter() - started)
        except StepFailed as exc:
            outcome = Outcome(name, "FAIL", str(exc), time.perf_counter() - started)
        except Exception as exc:  # an unexpected error is this step's failure, named
            outcome = Outcome(name, "FAIL", f"{type(exc).__name__}: {_one_line(str(exc))}",
                              time.perf_counter() - started)
    run.outcomes.append(outcome)
    print(f"{outcome.status:<4}  {outcome.step:<8} {outcome.seconds:6.2f} s  {outcome.detail}", file=out, flush=True)


def _passed(run: Run, step: str) -> bool:
    return any(o.step == step and o.status == "ok" for o in run.outcomes)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


@contextlib.contextmanager
def _own_caches(root: Path) -> Iterator[None]:
    """The catalog, parser-table, font and escpos caches in the throwaway folder: the self-test builds
    them as a first start does, and leaves the kiosk's own caches alone."""
    names = {"KIOSK_CACHE_DIR": root / "cache", "ESCPOS_CAPABILITIES_PICKLE_DIR": root / "cache" / "escpos"}
    saved = {name: os.environ.get(name) for name in names}
    for path in names.values():
        path.mkdir(parents=True, exist_ok=True)
    os.environ.update({name: str(path) for name, path in names.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# --- the steps: each returns what it saw (one line), or raises StepFailed ----------------------------

def step_catalog(run: Run) -> str:
    from forms.loader import load_catalog

    try:
        catalog = load_catalog(run.catalog_dir)
    except Exception as exc:
        raise StepFailed(f"the service catalog does not load: {_one_line(str(exc))}") from None
    if SERVICE not in catalog:
        raise StepFailed(f"the catalog has no item {SERVICE}")
    return f"{len(list(catalog))} specs from YAML, {SERVICE} among them"


def step_reader(run: Run) -> str:
    from idreader.reader import read_one_card
    from kiosk.devices import serve_sim_reader

    url = run.values["devices"].enter_context(serve_sim_reader(CARD))
    try:
        card = read_one_card(url, timeout=READ_TIMEOUT_S)
    except Exception as exc:
        raise StepFailed(f"no card read from the simulator at {url}: {_one_line(str(exc))}") from None
    run.values["card"] = card
    return f"card {card.masked_id_number} read over {url}"


def step_printer(run: Run) -> str:
    from kiosk.config import DeviceSettings
    from kiosk.devices import serve_emulated_printer, wire_devices
    from printers.transports import TransportTimeouts, probe_status

    if run.printer_url is not None:
        url = run.printer_url
    else:
        url, printer = run.values["devices"].enter_context(serve_emulated_printer(run.root / "printed"))
        run.values["emulator"] = printer
    run.values["printer_url"] = url
    # The printer's own answer to a DLE EOT status query, on a connection of its own.
    transport = wire_devices(DeviceSettings(reader="sim://", printer=url, camera="none")).printer_transport(
        TransportTimeouts(connect=PRINTER_PROBE_S, status=PRINTER_PROBE_S))
    status = probe_status(transport)
    if not status.ready:
        raise StepFailed(f"no ready printer at {url}: {status.describe_en()}")
    return f"ESC/POS {'emulator' if run.printer_url is None else 'printer'} at {url} answers: {status.describe_en()}"


def step_apply(run: Run) -> str:
    from assets import asset_path
    from kiosk.answers_file import read_answers
    from kiosk.app import Kiosk
    from kiosk.config import DeviceSettings, demo_config
    from kiosk.headless import HeadlessApplicant

    config = demo_config(run.data_dir).model_copy(update={"devices": DeviceSettings(
        reader="sim://", printer=run.values["printer_url"], camera="none")})
    answers = read_answers(asset_path("demo", "answers", f"{SERVICE}.json"))
    kiosk = Kiosk.build(config, run.data_dir, today=lambda: SELF_TEST_DAY)
    run.values["kiosk"] = kiosk
    with HeadlessApplicant(kiosk, print_wait=PRINT_WAIT_S) as applicant:
        result = applicant.apply(SERVICE, run.values["card"], answers, out_dir=run.root / "out")
    run.values["result"] = result
    if not result.committed:
        rules = ", ".join(f["rule"] for f in result.findings) or "no finding"
        raise StepFailed(f"the application was not committed: {result.decision} ({rules})")
    if result.decision != "approved" or not result.licence_no:
        raise StepFailed(f"expected 秒批 approved with a licence number, got {result.decision} "
                         f"({', '.join(f['rule'] for f in result.findings)})")
    return f"pre-review passed, approved: licence {result.licence_no}, receipt {result.receipt_no}"


def step_pdfs(run: Run) -> str:
    from pypdf import PdfReader

    result = run.values["result"]
    pdf_problems = [p for p in result.problems if not p.startswith("print")]
    if pdf_problems:
        raise StepFailed(f"the documents are incomplete: {_one_line('; '.join(pdf_problems))}")
    paths = [Path(p) for p in result.documents if p.endswith(".pdf")]
    if not paths:
        raise StepFailed("no PDF was written")
    name = run.values["card"].name
    for path in paths:
        data = path.read_bytes()
        if not data.startswith(b"%PDF-"):
            raise StepFailed(f"{path.name} is not a PDF")
        text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        if name not in text:
            raise StepFailed(f"{path.name}: the holder's name does not come back from the PDF's text")
    return f"{len(paths)} PDFs ({', '.join(p.name for p in paths)}), their text extracts"


def step_print(run: Run) -> str:
    result = run.values["result"]
    job = result.print
    if job.get("status") != "printed":
        raise StepFailed(f"the slip did not print at {run.values['printer_url']}: print job {job.get('job_id')} "
                         f"is {job.get('status')} ({_one_line(str(job.get('error', '')))})")
    emulator = run.values.get("emulator")
    if emulator is None:
        return f"{job['bytes']} bytes sent to {run.values['printer_url']}"
    if not emulator.wait_for_jobs(1, timeout=5):
        raise StepFailed("the printer says printed but the emulator received no job")
    arrived = emulator.jobs[-1]
    sent = _queued_bytes(run.values["kiosk"], job["job_id"])
    if arrived.data != sent:
        raise StepFailed(f"the emulator received {len(arrived.data)} bytes, the queued job holds {len(sent)}")
    run.values["slip_png"] = arrived.png_path
    return f"{len(arrived.data)} bytes arrived at the emulator over TCP, the same as the queued job"


def _queued_bytes(kiosk, job_id: int) -> bytes:
    rows = kiosk.store.select("SELECT payload FROM print_jobs WHERE id = ?", (job_id,))
    return bytes(rows[0]["payload"]) if rows else b""


def step_qr(run: Run) -> str:
    from kiosk.commands import verify
    from kiosk.credentials import decode_qr_image

    result = run.values["result"]
    png = run.values.get("slip_png")
    if png is None or not Path(png).is_file():
        raise StepFailed("the emulator drew no picture of the slip")
    texts = decode_qr_image(Path(png))
    if result.qr not in texts:
        raise StepFailed(f"the slip's QR was not read back from its picture (read {len(texts)} other codes)")
    readers = _both_qr_readers(Path(png), result.qr)
    args = _verify_parser(verify).parse_args(["verify", result.qr, "--json", "--data-dir", str(run.data_dir)])
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = args.func(args)
    if code != 0:
        raise StepFailed(f"kiosk verify refused the slip's QR (exit {code}): "
                         f"{_one_line(stdout.getvalue() + stderr.getvalue())}")
    claims = json.loads(stdout.getvalue())
    number = (claims.get("claims") or claims).get("number")
    if number not in (result.licence_no, result.receipt_no):
        raise StepFailed(f"the QR verified but names {number!r}, not {result.licence_no}")
    return f"read back from the slip's picture ({readers}); kiosk verify: signature holds, number {number}"


def _both_qr_readers(png: Path, expected: str) -> str:
    """Both QR readers the kiosk ships find the slip's code: zxing-cpp (the first choice) finds it in the
    whole picture, and OpenCV (the fallback; also the document camera's) reads it where zxing-cpp found it
    (OpenCV's detector takes one code per picture, and a business licence slip carries two)."""
    import numpy as np
    import zxingcpp
    from PIL import Image

    from kiosk.credentials.qr import decode_with_opencv

    with Image.open(png) as image:
        gray = np.asarray(image.convert("L"))
    found = [r for r in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode) if r.text == expected]
    if not found:
        raise StepFailed("zxing-cpp does not read the slip's QR from its picture")
    corners = found[0].position
    xs = [corners.top_left.x, corners.top_right.x, corners.bottom_left.x, corners.bottom_right.x]
    ys = [corners.top_left.y, corners.top_right.y, corners.bottom_left.y, corners.bottom_right.y]
    margin = 24  # the quiet zone around the code
    code = gray[max(min(ys) - margin, 0):max(ys) + margin, max(min(xs) - margin, 0):max(xs) + margin]
    if expected not in decode_with_opencv(np.ascontiguousarray(code)):
        raise StepFailed("OpenCV does not read the slip's QR from its picture")
    return "zxing-cpp and OpenCV"


def _verify_parser(verify) -> argparse.ArgumentParser:
    """`kiosk verify`'s own parser, as kiosk.cli registers it (the command's code, not a copy)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="kiosk")
    verify.register(parser.add_subparsers(dest="command"), common)
    return parser


def step_outbox(run: Run) -> str:
    from kiosk.sync.outbox import unsent

    result, kiosk = run.values["result"], run.values["kiosk"]
    events = [e for e in unsent(kiosk.store, max_events=50, max_bytes=64 << 20, kinds=["application"])
              if e.body.get("number") in (result.receipt_no, result.licence_no)]
    if not events:
        raise StepFailed(f"no ready application event for {result.receipt_no} in the outbox")
    documents = events[0].body.get("documents") or []
    pdfs = {Path(p).name: hashlib.sha256(Path(p).read_bytes()).hexdigest()
            for p in result.documents if p.endswith(".pdf")}
    attached = {d.get("name"): d.get("sha256") for d in documents}
    missing = [name for name, digest in pdfs.items() if attached.get(name) != digest]
    if missing:
        raise StepFailed(f"the hall's event lacks {', '.join(missing)}")
    return f"application event {events[0].event_id[:8]}… ready for the hall, {len(documents)} PDFs attached"


def step_qt(run: Run) -> str:
    from kiosk.services.diagnostics import PINYIN_PROBE, qt_probe

    probe = qt_probe()
    if "error" in probe:
        raise StepFailed(probe["error"])
    missing = [name for name in ("xcb", "offscreen") if name not in probe.get("platforms", [])]
    missing += [name for name in ("jpeg", "png") if name not in probe.get("image_formats", [])]
    if missing:
        raise StepFailed(f"Qt lacks the plugins for {', '.join(missing)} (in {probe.get('plugins')})")
    if not probe.get("virtual_keyboard") or not probe.get("input_context"):
        raise StepFailed(f"the virtual keyboard does not load: {probe.get('keyboard_error') or 'no input context'}")
    letters, first = PINYIN_PROBE
    if probe.get("pinyin") != first:
        offered = probe.get("pinyin") or "nothing"
        raise StepFailed(f"'{letters}' on the 简体中文 keyboard offers {offered}, not {first}: "
                         "the Pinyin plugin or its dictionary is missing")
    voices = ", ".join(probe.get("speech_engines") or []) or "none (espeak-ng is used)"
    return (f"Qt {probe.get('qt')}: xcb, offscreen, JPEG, PNG, virtual keyboard, Pinyin ({letters} → {first}); "
            f"speech engines: {voices}")


def step_screen(run: Run) -> str:
    data_dir = run.root / "screen-data"
    command = _kiosk_command("demo", "--startup-probe", "--no-voice", "--data-dir", str(data_dir))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=SCREEN_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise StepFailed(f"the touchscreen did not start within {SCREEN_TIMEOUT_S:g} s") from None
    lines = done.stdout.split()
    if done.returncode != 0 or lines != ["start-screen", "services-ready"]:
        tail = _one_line(done.stderr[-400:]) or "no message"
        raise StepFailed(f"the touchscreen did not start (exit {done.returncode}, printed {lines}): {tail}")
    qml_errors = [line.strip() for line in done.stderr.splitlines() if QML_ERROR.search(line)]
    if qml_errors:
        raise StepFailed(f"the screens report {len(qml_errors)} QML error(s): {_one_line(qml_errors[0])}")
    return "QML start screen shown offscreen, services ready (kiosk demo --startup-probe)"


def _kiosk_command(*args: str) -> list[str]:
    """The same kiosk in a child process: the bundle's own executable, or this Python's `-m kiosk`."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "kiosk", *args]


def _close_kiosk(run: Run) -> None:
    kiosk = run.values.pop("kiosk", None)
    if kiosk is not None:
        kiosk.close()


STEP_FUNCTIONS: dict[str, Callable[[Run], str]] = {
    "catalog": step_catalog, "reader": step_reader, "printer": step_printer, "apply": step_apply,
    "pdfs": step_pdfs, "print": step_print, "qr": step_qr, "outbox": step_outbox, "qt": step_qt, "screen": step_screen,
}

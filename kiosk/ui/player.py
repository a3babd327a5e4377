"""The headless screenshot player behind `kiosk demo --headless --out DIR`.

It plays the main scenarios through the real QML app (offscreen, software rendering) over the real
composition root in demo mode — reader simulator, printer emulator, SQLite store in `DIR/data` — and
writes a PNG of every step for each orientation (portrait 1080x1920, landscape 1920x1080; the approved
walk also in elder mode), the application PDFs (`DIR/pdfs`) and the receipt previews (`DIR/receipts`);
with `personas=True` also the persona walks (kiosk.ui.personas) and their figures in `DIR/walks.json`.
A `FakeClock` drives the session so the idle countdown and the thank-you reset need no waiting.

    result = play(Path("out"))        # call with QT_QPA_PLATFORM=offscreen set before Qt starts
    print(result.screenshots[0])
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import demo_config
from kiosk.session import ApplicantSession, FakeClock
from kiosk.ui.driver import UiDriver

HEALTH = "public-place-health-permit"
WALKS_JSON = "walks.json"
ORIENTATIONS = ("portrait", "landscape")
_log = logging.getLogger(__name__)


class PlayerError(RuntimeError):
    """A scenario did not reach the screen it expected."""


@dataclass
class PlayResult:
    out_dir: Path
    screenshots: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    receipts: list[Path] = field(default_factory=list)
    touches: dict[str, int] = field(default_factory=dict)
    typed: dict[str, int] = field(default_factory=dict)
    walks: dict[str, object] = field(default_factory=dict)


class _Run:
    """One scenario in one orientation: a fresh window over the shared services."""

    def __init__(self, services: object, out: Path, orientation: str, scenario: str, result: PlayResult,
                 elder: bool = False) -> None:
        from kiosk.ui.app import build_ui

        self.clock = FakeClock(dt.date.today())
        session = ApplicantSession(services.directory, self.clock)  # type: ignore[attr-defined]
        self.ui = build_ui(services, session=session, orientation=orientation, demo=True, tick_interval=None,
                           elder_mode=elder)  # type: ignore[arg-type]
        self.driver = UiDriver(self.ui, services, self.clock)
        self.services = services
        self.folder = out / orientation
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = f"{scenario}{'-elder' if elder else ''}"
        self.step = 0
        self.result = result

    def shot(self, name: str) -> None:
        self.step += 1
        path = self.folder / f"{self.prefix}-{self.step:02d}-{name}.png"
        self.driver.grab(str(path))
        self.result.screenshots.append(path)

    def close(self) -> None:
        self.ui.close()


def _nothing(name: str) -> None:
    pass


def open_service(d: UiDriver, service_id: str = HEALTH, audience: str = "btnBusiness",
                 shot: Callable[[str], None] = _nothing) -> None:
    """Start screen -> catalog -> intro -> 开始办理 -> the card screen."""
    shot("start")
    d.click(audience)
    d.wait_page("catalog")
    shot("catalog")
    d.click("service_" + service_id)
    d.wait_page("intro")
    shot("intro")
    d.click("btnStart")
    d.wait_page("card")
    shot("card")


def lay_card(d: UiDriver, card: str, page: str = "form") -> None:
    """Lay a demo card on the simulated reader and wait for `page`."""
    d.services.demo_action("place_card", card)
    d.wait_page(page)


def fill_health_form(d: UiDriver, staff: str = "3", certified: str = "3") -> None:
    """What the demo registry cannot know: staff counts, the hygiene manager, the report."""
    d.type_into("field_staff_count", staff)
    d.type_into("field_staff_health_certified", certified)
    d.type_into("field_staff_trained", staff)
    d.type_into("field_hygiene_manager", "张伟")
    d.click("option_has_central_ac_1")            # 否
    d.click("date_hygiene_report_date_today")
    d.click("date_hygiene_report_date_month_minus")
    d.click("option_hygiene_report_result_0")     # 合格


def to_result(d: UiDriver, promise: str = "", shot: Callable[[str], None] = _nothing) -> None:
    """Form -> pre-review -> materials (confirmed, 我已阅读并同意) -> the result screen."""
    d.click("btnNext")
    d.wait_page("prereview")
    shot("prereview")
    d.click("btnNext")
    d.wait_page("materials")
    if promise:
        names = [row["name"] for row in d.bridge.view["materials_info"]]
        d.click(f"promise_{names.index(promise)}")
    d.click("btnMaterialsOk")
    shot("materials")
    d.click("btnAgree")  # the commitment is the screen's last act: it goes on to the result
    d.wait_page("result")
    shot("result")


def _open_health(run: _Run) -> None:
    open_service(run.driver, shot=run.shot)


def _lay(run: _Run, card: str, page: str = "form") -> None:
    lay_card(run.driver, card, page)


def _fill(run: _Run, certified: str = "3") -> None:
    fill_health_form(run.driver, certified=certified)


def _to_result(run: _Run, promise: bool = False) -> None:
    to_result(run.driver, "授权委托书" if promise else "", shot=run.shot)


def _finish(run: _Run) -> None:
    d = run.driver
    d.wait_page("rating", timeout=30)
    d.wait_until(lambda: d.bridge.slipCount > 0, timeout=10, what="the slip preview")
    run.shot("rating")
    d.click("face_5")
    d.click("btnRate")
    d.wait_page("thanks")
    run.shot("thanks")
    run.clock.advance(10)
    d.bridge.tick()
    d.wait_page("home")


def approved(run: _Run) -> None:
    _open_health(run)
    _lay(run, "adult")
    run.shot("form")
    run.driver.click("field_hygiene_manager")
    run.driver.wait_until(lambda: bool(run.driver.keyboard_keys()), what="the docked keyboard")
    run.shot("form-keyboard")
    _fill(run)
    run.shot("form-filled")
    _to_result(run)
    run.driver.click("btnConfirm")
    run.driver.wait_until(lambda: run.driver.bridge.page in ("printing", "rating"), timeout=30)
    run.shot("printing")
    _finish(run)


def accepted_mail(run: _Run) -> None:
    d = run.driver
    _open_health(run)
    _lay(run, "adult")
    d.click("option_is_legal_rep_1")
    _fill(run)
    run.shot("form-agent")
    _to_result(run, promise=True)
    d.click("delivery_mail")
    d.wait_until(lambda: (d.bridge.view["delivery"] or {}).get("method") == "mail")
    run.shot("result-mail")
    d.click("btnConfirm")
    _finish(run)


def blocked_fixed(run: _Run) -> None:
    d = run.driver
    _open_health(run)
    _lay(run, "adult")
    _fill(run, certified="2")
    d.scroll_into_view(d.item("message_staff_health_certified"))
    run.shot("form-message")
    d.click("btnNext")
    d.wait_until(lambda: d.bridge.view["show_fixes"])
    run.shot("form-blocked")
    d.click("fix_staff_health_certified")
    d.clear_field("field_staff_health_certified")
    d.type_into("field_staff_health_certified", "3")
    run.shot("form-fixed")
    d.click("btnNext")
    d.wait_page("prereview")
    run.shot("prereview")


def faults(run: _Run) -> None:
    d = run.driver
    _open_health(run)
    run.services.demo_action("place_card", "expired")  # type: ignore[attr-defined]
    d.wait_until(lambda: d.bridge.view["notice"] is not None)
    run.shot("card-expired")
    run.services.demo_action("reader_fault", "lift_mid_read")  # type: ignore[attr-defined]
    _lay(run, "adult", page="card")
    d.wait_until(lambda: (d.bridge.view["notice"] or {}).get("code") in ("card_lifted", "no_response"))
    run.shot("card-lifted")
    _lay(run, "adult")
    run.services.demo_action("place_card", "elderly")  # type: ignore[attr-defined]
    d.wait_page("card_swap")
    run.shot("card-swap")
    d.click("swapNo")
    d.wait_page("form")
    _fill(run)
    run.clock.advance(d.bridge.session.settings.form_seconds + 1)
    d.bridge.tick()
    d.wait_until(lambda: d.bridge.countingDown)
    run.shot("idle-countdown")
    d.click("btnContinue")
    d.wait_until(lambda: not d.bridge.countingDown)
    _to_result(run)
    run.services.demo_action("paper_out")  # type: ignore[attr-defined]
    d.click("btnConfirm")
    d.wait_page("print_failed", timeout=30)
    run.shot("paper-out")
    run.services.demo_action("paper_in")  # type: ignore[attr-defined]  # the waiting slip prints by itself
    _finish(run)
    d.click("btnLookup")
    d.wait_page("lookup")
    run.shot("lookup")
    d.click("demoToggle")
    d.settle()
    run.shot("demo-drawer")
    d.click("demoToggle")


SCENARIOS: dict[str, Callable[[_Run], None]] = {
    "approved": approved, "accepted-mail": accepted_mail, "blocked-fixed": blocked_fixed, "faults": faults,
}


def play(out_dir: Path, orientations: tuple[str, ...] = ORIENTATIONS, scenarios: tuple[str, ...] | None = None,
         log: Callable[[str], None] = print, personas: tuple[str, ...] = ()) -> PlayResult:
    """Play the scenarios; write screenshots, PDFs and receipt previews under `out_dir`; then the
    `personas` walks (kiosk.ui.personas: screenshots under out_dir/personas, figures in walks.json)."""
    from kiosk.services.app_services import AppServices
    from kiosk.ui.app import create_qt_app
    from kiosk.ui.personas import play_personas

    create_qt_app()
    out_dir = Path(out_dir)
    data_dir = out_dir / "data"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    result = PlayResult(out_dir)
    services = AppServices(demo_config(data_dir))
    try:
        for orientation in orientations:
            plan = [(name, False) for name in (scenarios or tuple(SCENARIOS))]
            if scenarios is None or "approved" in scenarios:
                plan.append(("approved", True))
            for name, elder in plan:
                log(f"playing {name}{' (elder mode)' if elder else ''} in {orientation}")
                run = _Run(services, out_dir, orientation, name, result, elder=elder)
                try:
                    SCENARIOS[name](run)
                finally:
                    result.touches[f"{orientation}/{run.prefix}"] = run.driver.touches
                    result.typed[f"{orientation}/{run.prefix}"] = run.driver.typed
                    run.close()
        if personas:
            walks = play_personas(out_dir, services, log, personas)
            (out_dir / WALKS_JSON).write_text(json.dumps(walks, ensure_ascii=False, indent=2), encoding="utf-8")
            result.walks = walks
        pdf_dir = out_dir / "pdfs"
        pdf_dir.mkdir(exist_ok=True)
        for index, path in enumerate(services.documents(), start=1):
            target = pdf_dir / f"{index:02d}-{path.parent.name}-{path.name}"
            shutil.copyfile(path, target)
            result.pdfs.append(target)
        receipt_dir = out_dir / "receipts"
        receipt_dir.mkdir(exist_ok=True)
        printer = services.printer
        for job in printer.jobs if printer is not None else []:
            target = receipt_dir / f"slip-{job.number:02d}.png"
            job.render().save(target)
            result.receipts.append(target)
    finally:
        services.close()
    return result

"""Persona walks: young, elder, foreign, minor, paper-out and cancel-midway, played through the real
QML app offscreen as a finger would, each screen shot and measured (kiosk.ui.screen_audit).

Each walk follows the session's screens (`bridge.page`) rather than a fixed list of taps: on each
screen it does what that person does there, until the walk's end (thanks, blocked, home). So a screen
added or split (a separate signing step, a cancel confirmation, a minor stopped before the form) is
followed as long as its buttons are named as the handlers below look for them (`_tap_first`).

    walks = play_personas(Path("out"))          # QT_QPA_PLATFORM=offscreen set before Qt starts
    walks["elder"].figures()                    # touches, typed_chars, card_to_form_s, min_text_px, ...

The figures per persona are the `walks.json` contract of `kiosk demo --headless --out DIR`:
`touches`, `typed_chars`, `card_to_form_s` (seconds from the card laid on the reader to the form shown),
`min_text_px`, `min_target_px`, `min_contrast` (measured on the rendered screens) and, for the foreign
persona, `han_on_english_screens` (visible texts on English screens that still hold Han characters
other than names, addresses and titles that stay Chinese).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.session import ApplicantSession, FakeClock
from kiosk.ui.driver import DriverError, UiDriver
from kiosk.ui.player import HEALTH, fill_health_form
from kiosk.ui.readability import A4_WIDTH_PT, Readability, smallest_form_text_pt
from kiosk.ui.screen_audit import audit_screen

PERSONAS = ("young", "elder", "foreign", "minor", "paper-out", "cancel-midway")
# Buttons that confirm leaving (取消办理's confirmation), by the names a confirmation may give them.
CANCEL_CONFIRM = ("cancelYes",)  # CancelDialog.qml
MAX_SCREENS = 40


def note_form_preview(run: PersonaRun, screen: str) -> None:
    """The form preview is an image of the A4 page: its smallest text on screen is the page's smallest
    type scaled to the image's width."""
    d = run.d
    d.wait_until(lambda: d.bridge.docs.pageCount > 0, timeout=30, what="the form preview")
    d.settle()
    if not d.exists("formPage_0"):
        return  # this screen shows no preview
    image = d.item("formPage_0")
    scene_width = image.mapRectToScene(image.boundingRect()).width()
    points = smallest_form_text_pt()
    run.walk.readability.note_text(scene_width * points / A4_WIDTH_PT,
                                   f"formPage_0 (the form preview's {points:g} pt text)", screen)


@dataclass
class Walk:
    persona: str
    orientation: str
    elder: bool = False
    language: str = "zh"
    touches: int = 0
    typed_chars: int = 0
    card_to_form_s: float | None = None
    ended_on: str = ""
    outcome: str | None = None        # the session's outcome on the last screen (approved, accepted, blocked)
    notice: str | None = None         # the notice code showing on the last screen, if any
    readability: Readability = field(default_factory=Readability)
    screenshots: list[Path] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "touches": self.touches, "typed_chars": self.typed_chars,
            "card_to_form_s": None if self.card_to_form_s is None else round(self.card_to_form_s, 3),
            **self.readability.figures(), "ended_on": self.ended_on, "outcome": self.outcome,
        }
        if self.language == "en":
            figures["han_on_english_screens"] = list(self.readability.han)
        return figures


class PersonaRun:
    """One persona in one orientation: a fresh window over the shared services, measured shots."""

    def __init__(self, services: Any, out: Path | None, walk: Walk, qtbot: Any = None,
                 clock: FakeClock | None = None) -> None:
        from kiosk.ui.app import build_ui

        self.clock = clock or FakeClock(dt.date.today())
        session = ApplicantSession(services.directory, self.clock)
        self.ui = build_ui(services, session=session, orientation=walk.orientation, demo=True, tick_interval=None)
        self.d = UiDriver(self.ui, services, self.clock, qtbot)
        self.services = services
        self.walk = walk
        self.folder = out / walk.orientation if out is not None else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.step = 0

    def keep_chinese(self) -> list[str]:
        """What stays Chinese on an English screen: names, addresses, the hall's name, the official
        numbers (铜卫公证字〔2026〕第000001号) and the few terms kiosk.ui.strings.KEEP_CHINESE lists."""
        from kiosk.ui.strings import KEEP_CHINESE

        kept = [self.ui.bridge.hallName, *KEEP_CHINESE]
        card = self.ui.bridge.session.state.card
        if card is not None:
            kept += [card.name, card.address, getattr(card, "display_name", "")]
        view = self.ui.bridge.view
        kept += [str(view.get(key) or "") for key in ("number", "licence_no", "receipt_no")]  # official numbers
        kept.append(str(view.get("pending_card_name") or ""))
        for row in view.get("fields") or []:
            if row.get("source") == "registry" or row.get("key", "").endswith(("name", "address")):
                kept.append(str(row.get("value") or ""))
        return kept

    def shot(self, name: str) -> None:
        self.d.settle()
        self.step += 1
        image = self.ui.window.grabWindow()
        screen = f"{self.walk.persona}-{self.step:02d}-{name}"
        if self.folder is not None:
            path = self.folder / f"{screen}.png"
            image.save(str(path))
            self.walk.screenshots.append(path)
        audit_screen(self.ui.window, image, self.walk.readability, f"{self.walk.orientation}/{screen}",
                     english=self.ui.bridge.view["language"] == "en", keep_chinese=self.keep_chinese())

    def close(self) -> None:
        self.walk.touches, self.walk.typed_chars = self.d.touches, self.d.typed
        view = self.ui.bridge.view
        self.walk.ended_on, self.walk.outcome = view["page"], view.get("outcome")
        self.walk.notice = (view.get("notice") or {}).get("code")
        self.ui.close()


# --- what a person does on each screen ----------------------------------------------------------------

def _tap_first(d: UiDriver, names: tuple[str, ...]) -> str | None:
    for name in names:
        if d.exists(name):
            d.click(name)
            return name
    return None


def _start(run: PersonaRun, audience: str = "btnBusiness", service: str = HEALTH) -> None:
    d = run.d
    d.wait_page("home")
    if run.walk.elder:
        d.click("elderSwitch")
        d.wait_until(lambda: d.bridge.theme["elder"], what="elder mode")
    if run.walk.language == "en":
        d.click("langButton")
        d.wait_until(lambda: d.bridge.view["language"] == "en", what="English")
    run.shot("start")
    d.click(audience)
    d.wait_page("catalog")
    run.shot("catalog")
    d.click("service_" + service)
    d.wait_page("intro")
    run.shot("intro")
    d.click("btnStart")
    d.wait_page("card")
    run.shot("card")


def _lay_card(run: PersonaRun, card: str) -> str:
    """Lay the card; return the screen the session shows for it (the form, or a stop before it)."""
    d = run.d
    started = time.monotonic()
    run.services.demo_action("place_card", card)
    d.wait_until(lambda: d.bridge.page != "card" or d.bridge.view["notice"] is not None, timeout=15,
                 what="the card to be read")
    if d.bridge.page == "form":
        run.walk.card_to_form_s = time.monotonic() - started
    d.settle()
    return d.bridge.page


def _fill_form(run: PersonaRun, with_keyboard_shot: bool = True) -> None:
    """What the registry cannot know (as kiosk.ui.player.fill_health_form), shot with the keyboard open
    after the hygiene manager's name is typed in Pinyin."""
    d = run.d
    run.shot("form")
    d.type_into("field_staff_count", "3")
    d.type_into("field_staff_health_certified", "3")
    d.type_into("field_staff_trained", "3")
    d.type_into("field_hygiene_manager", "张伟")
    if with_keyboard_shot:
        d.wait_until(lambda: bool(d.keyboard_keys()), what="the docked keyboard")
        run.shot("form-keyboard")
    d.click("option_has_central_ac_1")            # 否
    d.click("date_hygiene_report_date_today")
    d.click("date_hygiene_report_date_month_minus")
    d.click("option_hygiene_report_result_0")     # 合格
    run.shot("form-filled")


def _through_to_result(run: PersonaRun) -> str:
    """From the form, follow the screens to the result (or to the list of what to fix)."""
    d = run.d
    for _ in range(MAX_SCREENS):
        page = d.bridge.page
        if page == "form":
            d.click("btnNext")
            d.wait_until(lambda: d.bridge.page != "form" or d.bridge.view["show_fixes"], what="the form's verdict")
            if d.bridge.page == "form":
                run.shot("form-blocked")
                return "blocked"
        elif page == "prereview":
            run.shot("prereview")
            d.click("btnNext")
            d.wait_until(lambda: d.bridge.page != "prereview", what="leaving the pre-review")
        elif page in ("materials", "sign"):
            view = d.bridge.view
            if not view.get("materials_confirmed") and d.exists("btnMaterialsOk"):
                d.click("btnMaterialsOk")
            if view.get("commitment") is None:
                _tap_first(d, ("btnAgree", "btnSignAgree"))
                d.wait_until(lambda: d.bridge.view.get("commitment") is not None, what="the commitment")
            d.settle()
            if d.bridge.page != page:  # agreeing once the materials are confirmed goes on by itself
                continue
            run.shot(page)
            if page == "materials":
                note_form_preview(run, f"{run.walk.orientation}/{run.walk.persona}-{run.step:02d}-{page}")
            d.click("btnNext")
            d.wait_until(lambda here=page: d.bridge.page != here, what=f"leaving {page}")
        elif page == "result":
            run.shot("result")
            return "result"
        else:
            raise DriverError(f"the walk does not know what to do on page {page!r}")
    raise DriverError("the walk went through too many screens")


def _print_and_rate(run: PersonaRun, paper_out: bool = False) -> None:
    d = run.d
    if paper_out:
        run.services.demo_action("paper_out")
    d.click("btnConfirm")
    if paper_out:
        d.wait_page("print_failed", timeout=60)
        run.shot("paper-out")
        run.services.demo_action("paper_in")  # staff load paper: the waiting slip prints by itself
    d.wait_page("rating", timeout=30)
    d.wait_until(lambda: d.bridge.slipCount > 0, timeout=10, what="the slip preview")
    run.shot("rating")
    d.click("face_5")
    d.click("btnRate")
    d.wait_page("thanks")
    run.shot("thanks")


def young(run: PersonaRun) -> None:
    _start(run)
    if _lay_card(run, "adult") != "form":
        raise DriverError("the adult card did not reach the form")
    _fill_form(run)
    if _through_to_result(run) != "result":
        raise DriverError("the young applicant was blocked")
    _print_and_rate(run)


def paper_out(run: PersonaRun) -> None:
    _start(run)
    _lay_card(run, "adult")
    _fill_form(run, with_keyboard_shot=False)
    _through_to_result(run)
    _print_and_rate(run, paper_out=True)


def foreign(run: PersonaRun) -> None:
    """阿里 (foreign permanent resident card, 2023): in English; his company is registered in another
    district, so pre-review stops him with the reason (in English)."""
    _start(run)
    page = _lay_card(run, "foreign2023")
    if page == "form":
        _fill_form(run)
        _through_to_result(run)
    else:
        run.shot("card-stopped")


def minor(run: PersonaRun) -> None:
    """张小雨, under 18: blocked before or at the form, told who can apply instead."""
    _start(run)
    page = _lay_card(run, "minor")
    if page == "form":
        run.shot("form")
        fill_health_form(run.d)
        if _through_to_result(run) != "blocked":
            raise DriverError("a minor was not blocked")
    else:
        run.shot(f"{page}-stopped")


def cancel_midway(run: PersonaRun) -> None:
    """Fills part of the form, then 取消办理 (confirming if asked): back to the start, nothing kept."""
    d = run.d
    _start(run)
    _lay_card(run, "adult")
    d.type_into("field_staff_count", "3")
    run.shot("form-partly")
    d.click("btnHome")
    d.wait_until(lambda: d.bridge.page == "home" or any(d.exists(n) for n in CANCEL_CONFIRM),
                 what="the start screen or a cancel confirmation")
    if d.bridge.page != "home":
        run.shot("cancel-confirm")
        _tap_first(d, CANCEL_CONFIRM)
    d.wait_page("home")
    run.shot("home-again")
    if d.bridge.session.state.has_personal_data:
        raise DriverError("cancelling kept the applicant's data")


WALKS: dict[str, Callable[[PersonaRun], None]] = {
    "young": young, "elder": young, "foreign": foreign, "minor": minor,
    "paper-out": paper_out, "cancel-midway": cancel_midway,
}


def walk_persona(services: Any, persona: str, out: Path | None, orientation: str = "portrait",
                 qtbot: Any = None, language: str | None = None, elder: bool | None = None,
                 clock: FakeClock | None = None) -> Walk:
    """One persona's walk (`language` / `elder` override the persona's own: the young walk in English
    covers the screens the foreign applicant, blocked at the form, never reaches)."""
    walk = Walk(persona, orientation, elder=persona == "elder" if elder is None else elder,
                language=language or ("en" if persona == "foreign" else "zh"))
    run = PersonaRun(services, out, walk, qtbot, clock)
    try:
        WALKS[persona](run)
    finally:
        run.close()
    return walk


def merge(walks: list[Walk]) -> dict[str, Any]:
    """One persona's figures over its orientations: the first walk's counts, the worst measurements."""
    first = walks[0].figures()
    for other in walks[1:]:
        figures = other.figures()
        for key in ("min_text_px", "min_target_px", "min_contrast"):
            values = [v for v in (first[key], figures[key]) if v is not None]
            first[key] = min(values) if values else None
        if "han_on_english_screens" in figures:
            first["han_on_english_screens"] += figures["han_on_english_screens"]
    return first


def play_personas(out: Path, services: Any, log: Callable[[str], None] = print,
                  personas: tuple[str, ...] = PERSONAS) -> dict[str, Any]:
    """Every persona walk (the elder also in landscape), screenshots under out/personas; returns the
    walks.json object: persona -> figures, plus each persona's worst elements under "_worst"."""
    folder = out / "personas"
    report: dict[str, Any] = {}
    worst: dict[str, Any] = {}
    for persona in personas:
        orientations = ("portrait", "landscape") if persona == "elder" else ("portrait",)
        walks = []
        for orientation in orientations:
            log(f"walking {persona} in {orientation}")
            walks.append(walk_persona(services, persona, folder, orientation))
        report[persona] = merge(walks)
        worst[persona] = {w.orientation: {**w.readability.worst(), "truncated": w.readability.truncated,
                                      "unreachable": w.readability.unreachable}
                          for w in walks}
    report["_worst"] = worst
    return report

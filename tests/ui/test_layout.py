"""Layout on the applicant screens in elder mode and both orientations, measured on the real QML window:
the print-failed and rating actions stay reachable above the footer (and the screen audit says when a
target is not), the licence number is never broken inside, a choice chip fits its column, the date
picker's steps fit beside the docked keyboard, the 长辈模式 switch is as large as the entries, and a
refused card says to take it back with a way to another service."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from kiosk.ui.personas import PersonaRun, Walk, _lay_card, _start, _through_to_result
from kiosk.ui.player import fill_health_form
from kiosk.ui.screen_audit import scan
from kiosk.ui.strings import EN, ZH
from kiosk.ui.theme import ELDER_MIN_TARGET_PX


def scene_rect(item) -> QRectF:
    return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))


def page_rect(d) -> QRectF:
    return scene_rect(d.item("pageLoader"))


def unreachable(d) -> list[str]:
    d.settle()
    return [t.name for t in scan(d.window, None)[1] if not t.reachable]


def texts_with(d, words: str) -> list:
    """Every visible Text item on the window whose text holds `words`."""
    found, stack = [], [d.window.contentItem()]
    while stack:
        item = stack.pop()
        stack.extend(item.childItems())
        text = item.property("text")
        if item.isVisible() and isinstance(text, str) and words in text and item.property("lineCount") is not None:
            found.append(item)
    return found


def assert_number_on_one_line(d, number: str) -> None:
    shown = [item for item in texts_with(d, number) if item.property("text").endswith(number)]
    assert shown, f"{number} is not shown on a line of its own"
    for item in shown:
        lines = item.property("lineCount")
        assert lines == 1, f"{item.property('text')!r} breaks over {lines} lines"
        assert not item.property("truncated")
        rect = scene_rect(item)
        assert rect.right() <= page_rect(d).right() + 1


@pytest.fixture
def elder_run(services, clock, qtbot, request):
    orientation, language = request.param
    run = PersonaRun(services, None, Walk("elder", orientation, elder=True, language=language), qtbot, clock)
    yield run
    run.close()


@pytest.mark.parametrize("elder_run", [("landscape", "zh"), ("portrait", "zh")], indirect=True)
def test_elder_print_failed_and_rating_keep_their_actions_above_the_footer(elder_run):
    run, d = elder_run, elder_run.d
    _start(run)
    assert _lay_card(run, "adult") == "form"
    fill_health_form(d)
    assert _through_to_result(run) == "result"
    run.services.demo_action("paper_out")
    d.click("btnConfirm")
    d.wait_page("print_failed", timeout=60)
    number = d.bridge.view["number"]
    assert unreachable(d) == []
    assert_number_on_one_line(d, number)
    page = page_rect(d)
    assert page.contains(scene_rect(d.item("btnSkipPrint"))), "btnSkipPrint is not wholly on the page"
    assert not d.exists("btnRetry"), "paper out prints by itself: no 重新打印 beside it"
    run.services.demo_action("paper_in")
    d.wait_page("rating", timeout=30)
    assert unreachable(d) == []
    assert_number_on_one_line(d, number)
    for name in ("btnSkipRating", "btnRate"):
        assert page.contains(scene_rect(d.item(name))), f"{name} is not wholly on the page"
    d.click("face_5")
    d.click("btnRate")
    d.wait_page("thanks")


@pytest.mark.parametrize("elder_run", [("landscape", "zh")], indirect=True)
def test_a_page_taller_than_the_screen_says_more_is_below_until_the_end(elder_run):
    """Elder mode in landscape: the intro is ~1.6 screens; the 下面还有 bar shows under it, a tap scrolls on,
    and it goes once the end (the 告知承诺 text) is in view."""
    d = elder_run.d
    d.wait_page("home")
    d.click("elderSwitch")
    d.wait_until(lambda: d.bridge.theme["elder"], what="elder mode")
    d.click("btnBusiness")
    d.wait_page("catalog")
    d.click("service_public-place-health-permit")
    d.wait_page("intro")
    d.settle()
    cue = d.item("moreBelow")
    assert cue.isVisible() and cue.height() >= ELDER_MIN_TARGET_PX and "下面还有" in texts_of(cue)
    for _ in range(5):
        if not cue.isVisible():
            break
        d.click("moreBelow")
        d.settle()
    assert not cue.isVisible(), "the cue stays at the end of the page"
    assert texts_with(d, ZH["promiseText"][:12]), "the last paragraph is on screen"
    assert page_rect(d).contains(scene_rect(d.item("btnStart")))


def texts_of(item) -> str:
    return " ".join(str(child.property("text")) for child in item.childItems() if child.property("text"))


def test_the_audit_reports_a_target_under_the_footer(kiosk_ui):
    """A button moved below the page's visible area is `unreachable`, not silently left out."""
    d = kiosk_ui
    d.wait_page("home")
    assert unreachable(d) == []
    button = d.item("btnLookup")
    button.setY(d.item("pageLoader").height() - button.height() / 4)
    assert "btnLookup" in " ".join(unreachable(d))


@pytest.mark.parametrize("elder_run", [("portrait", "zh")], indirect=True)
def test_elder_choice_chip_fits_its_column(elder_run):
    run, d = elder_run, elder_run.d
    _start(run)
    assert _lay_card(run, "adult") == "form"
    d.settle()
    chip = d.item("option_uscc_0")
    d.scroll_into_view(chip)
    d.settle()
    row = scene_rect(d.item("fieldRow_uscc"))
    assert scene_rect(chip).right() <= row.right() + 1, (scene_rect(chip), row)
    assert scene_rect(chip).height() >= ELDER_MIN_TARGET_PX


@pytest.mark.parametrize("elder_run", [("landscape", "en"), ("landscape", "zh")], indirect=True)
def test_date_steps_fit_beside_the_landscape_keyboard(elder_run):
    run, d = elder_run, elder_run.d
    _start(run)
    assert _lay_card(run, "adult") == "form"
    d.type_into("field_hygiene_manager", "Z")
    d.wait_until(lambda: bool(d.keyboard_keys()), what="the docked keyboard")
    d.settle()
    form_right = page_rect(d).right()
    steps = [f"date_hygiene_report_date_{name}" for name in
             ("year_minus", "year_plus", "month_minus", "month_plus", "day_minus", "day_plus")]
    for name in steps:
        d.scroll_into_view(d.item(name))
        d.settle()
        rect = scene_rect(d.item(name))
        assert rect.right() <= form_right + 1, f"{name} is cut at the right: {rect} past {form_right}"
        assert not d.item(name).property("contentItem").property("truncated")
        row = scene_rect(d.item("fieldRow_hygiene_report_date"))
        assert rect.bottom() <= row.bottom() + 1, f"{name} hangs below its field: {rect} past {row}"
    d.click(steps[-1])
    d.wait_until(lambda: d.bridge.view["fields"] is not None)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_elder_switch_is_as_large_as_the_entries(qtbot, services, clock, orientation):
    run = PersonaRun(services, None, Walk("elder", orientation, elder=False), qtbot, clock)
    d = run.d
    try:
        d.wait_page("home")
        switch = d.item("elderSwitch")
        assert switch.height() >= ELDER_MIN_TARGET_PX
        assert switch.property("font").pixelSize() >= d.bridge.theme["title"]
        d.click("elderSwitch")
        d.wait_until(lambda: d.bridge.theme["elder"], what="elder mode")
        d.settle()
        page = page_rect(d)
        for name in ("btnPersonal", "btnBusiness", "btnLookup", "elderSwitch", "langButton"):
            assert page.contains(scene_rect(d.item(name))), f"{name} is off the page in {orientation}"
        assert d.item("elderSwitch").height() >= ELDER_MIN_TARGET_PX
        assert unreachable(d) == []
    finally:
        run.close()


@pytest.mark.parametrize(("card", "language", "orientation", "elder"),
                         [("minor", "zh", "portrait", False), ("expired", "en", "portrait", False),
                          ("minor", "zh", "landscape", True)])
def test_a_refused_card_says_take_it_back_and_offers_another_service(qtbot, services, clock, card, language,
                                                                     orientation, elder):
    run = PersonaRun(services, None, Walk("card", orientation, elder=elder, language=language), qtbot, clock)
    d = run.d
    words = {"zh": ZH, "en": EN}[language]
    try:
        _start(run)
        services.demo_action("place_card", card)
        d.wait_until(lambda: d.bridge.view["notice"] is not None, timeout=15, what="the refusal")
        d.settle()
        assert d.text("cardTitle") == words["cardRefusedTitle"]
        assert d.text("cardInstruction") == words["cardRefusedInstruction"]
        assert words["cardTitle"] not in [t.property("text") for t in texts_with(d, words["cardTitle"])]
        assert unreachable(d) == []
        assert page_rect(d).contains(scene_rect(d.item("btnOtherService")))
        d.click("btnOtherService")
        d.wait_page("catalog")
        assert d.bridge.view["notice"] is None
    finally:
        run.close()

"""Nothing of one applicant's choices reaches the next: the screen language, elder mode, the docked
keyboard's layout (English, symbols, shift) and the catalog search go back to the hall's defaults
whether the first applicant walks away (the idle countdown) or finishes. And in elder mode the keyboard
itself is large: keys >= 120 px high, labels and candidates >= 30 px, the candidate bar >= 96 px."""

from __future__ import annotations

import pytest

from kiosk.ui.personas import PersonaRun, Walk, _fill_form, _print_and_rate, _through_to_result
from kiosk.ui.player import lay_card, open_service
from kiosk.ui.screen_audit import scan
from kiosk.ui.theme import ELDER_MIN_KEY_PX, ELDER_MIN_TARGET_PX, ELDER_MIN_TEXT_PX


def panel(ui):
    return ui.items("inputPanel")[0]


def language_key(ui):
    stack = [panel(ui)]
    while stack:
        item = stack.pop()
        if item.metaObject().className().startswith("ChangeLanguageKey") and item.isVisible():
            return item
        stack.extend(item.childItems())
    raise AssertionError("no language key on the keyboard")


def switch_keyboard_to_english(ui) -> None:
    """Tap the globe key: the keyboard switches to English (two languages, no pop-up list). On English
    screens it already is English."""
    if panel(ui).property("locale") != "en_US":
        ui.tap_item(language_key(ui))
    ui.wait_until(lambda: panel(ui).property("locale") == "en_US", what="the English keyboard")


def first_applicant_changes_everything(ui, english_screens: bool) -> None:
    ui.click("elderSwitch")
    ui.wait_until(lambda: ui.bridge.theme["elder"])
    if english_screens:
        ui.click("langButton")
        ui.wait_until(lambda: ui.bridge.view["language"] == "en")
    ui.click("btnBusiness")
    ui.wait_page("catalog")
    ui.type_into("catalogSearch", "ws")
    ui.click("service_public-place-health-permit")
    ui.wait_page("intro")
    ui.click("btnStart")
    ui.wait_page("card")
    lay_card(ui, "adult")
    ui.click("field_hygiene_manager")
    ui.wait_until(lambda: ui.keyboard_keys(), what="the keyboard")
    switch_keyboard_to_english(ui)


def assert_defaults(ui) -> None:
    ui.wait_page("home")
    assert ui.bridge.view["language"] == "zh" and not ui.bridge.view["elder_mode"]
    assert not ui.bridge.theme["elder"]
    ui.click("btnBusiness")
    ui.wait_page("catalog")
    assert ui.text("catalogSearch") == ""
    ui.click("service_public-place-health-permit")
    ui.wait_page("intro")
    ui.click("btnStart")
    ui.wait_page("card")
    lay_card(ui, "elderly" if ui.bridge.session.state.card is None else "adult")
    ui.click(next(name for name in ("field_hygiene_manager", "field_staff_count") if ui.exists(name)))
    ui.wait_until(lambda: ui.keyboard_keys(), what="the keyboard")
    assert panel(ui).property("locale") == "zh_CN" and not panel(ui).property("symbols")


@pytest.mark.parametrize("english_screens", [False, True], ids=["chinese-screens", "english-screens"])
def test_the_next_applicant_after_a_timeout_sees_the_defaults(kiosk_ui, clock, english_screens):
    ui = kiosk_ui
    first_applicant_changes_everything(ui, english_screens)
    settings = ui.bridge.session.settings
    clock.advance(settings.form_seconds + 1)
    ui.bridge.tick()
    ui.wait_until(lambda: ui.bridge.countingDown, what="the countdown")
    clock.advance(settings.countdown_seconds + 1)
    ui.bridge.tick()
    assert_defaults(ui)


def test_the_next_applicant_after_one_who_finished_sees_the_defaults(qtbot, services, clock):
    run = PersonaRun(services, None, Walk("first", "portrait"), qtbot, clock)
    ui = run.d
    try:
        first_applicant_changes_everything(ui, english_screens=True)
        _fill_form(run, with_keyboard_shot=False)
        assert _through_to_result(run) == "result"
        _print_and_rate(run)
        clock.advance(30)
        ui.bridge.tick()
        assert_defaults(ui)
    finally:
        run.close()


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_elder_mode_keyboard_keys_labels_and_candidates_are_large(qtbot, services, clock, orientation):
    run = PersonaRun(services, None, Walk("elder", orientation, elder=True), qtbot, clock)
    ui = run.d
    try:
        ui.click("elderSwitch")
        ui.wait_until(lambda: ui.bridge.theme["elder"])
        open_service(ui)
        lay_card(ui, "adult")
        ui.click("field_hygiene_manager")
        ui.wait_until(lambda: ui.keyboard_keys(), what="the keyboard")
        for letter in "zhang":  # Pinyin typed, the candidate bar open
            ui.settle()
            ui.tap_item(ui.keyboard_keys()[letter])
        ui.settle()
        texts, targets = scan(ui.window, ui.window.grabWindow())
        keys = [t for t in targets if "Key_QML" in t.name]
        candidates = [t for t in targets if "SelectionListItem" in t.name]
        assert keys and candidates
        assert min(t.height for t in keys) >= ELDER_MIN_KEY_PX
        assert min(min(t.width, t.height) for t in keys + candidates) >= ELDER_MIN_TARGET_PX
        assert min(t.px for t in texts) >= ELDER_MIN_TEXT_PX
        field = ui.item("field_hygiene_manager")
        assert field.mapToScene(field.boundingRect().center()).y() < ui.window.height(), "the field stays in view"
        # the keyboard leaves the form room: in landscape it docks on the right, the form keeps the height
        fields = {t.name.split("_", 1)[1].rsplit("_", 1)[0] if t.name.startswith(("option_", "date_")) else t.name[6:]
                  for t in targets if t.name.startswith(("field_", "option_", "date_"))}
        assert len(fields) >= 3, fields
        if orientation == "landscape":
            keyboard = panel(ui)
            assert keyboard.mapToScene(keyboard.boundingRect().topLeft()).x() >= ui.window.width() / 3
    finally:
        run.close()


def test_elder_mode_in_english_reads_the_fixes_aloud_in_english(kiosk_ui):
    from kiosk.session.spec_words import EN_RULES
    from kiosk.ui.readability import han_characters

    ui = kiosk_ui
    ui.click("elderSwitch")
    ui.click("langButton")
    ui.wait_until(lambda: ui.bridge.view["language"] == "en" and ui.bridge.theme["elder"])
    open_service(ui)
    ui.services.demo_action("place_card", "minor")  # stopped at the card, or (no card rule) at the form
    ui.wait_until(lambda: ui.bridge.page == "form" or ui.bridge.view["notice"] is not None, what="the minor's card")
    if ui.bridge.page == "form":  # blocked at the form: 下一步 lists the fixes and reads them aloud
        ui.click("btnNext")
        ui.wait_until(lambda: ui.bridge.view["show_fixes"], what="the list of fixes")
        said = " ".join(text for text, _ in ui.bridge.voice.said)
        assert EN_RULES["PP-ADULT"] in said
    said = [text for text, language in ui.bridge.voice.said if language == "en"]  # (the first, in Chinese)
    assert said and all(not han_characters(text) for text in said), [
        (text, han_characters(text)) for text in said if han_characters(text)]

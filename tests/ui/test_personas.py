"""Persona walks (young, elder, foreign, minor, paper-out, cancel-midway) through the real QML app
offscreen, each screen shot and measured from its pixels and its item tree (kiosk.ui.personas,
kiosk.ui.screen_audit): elder mode keeps every text >= 30 px and every target >= 96 px, every text
keeps 4.5:1 contrast, nothing is cut off,
every touch target can be reached (none under the footer), and an English screen shows no Han character but names,
addresses and official numbers. Screenshots go to $KIOSK_WALK_SHOTS when set (to look at them), else
to the test's temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.ui.personas import PERSONAS, walk_persona
from kiosk.ui.theme import ELDER_MIN_TARGET_PX, ELDER_MIN_TEXT_PX, MIN_CONTRAST

ENDS = {"young": "thanks", "elder": "thanks", "paper-out": "thanks", "cancel-midway": "home"}


def shots(tmp_path: Path) -> Path:
    return Path(os.environ["KIOSK_WALK_SHOTS"]) if os.environ.get("KIOSK_WALK_SHOTS") else tmp_path


def check_readable(walk) -> None:
    assert walk.screenshots and all(path.stat().st_size > 0 for path in walk.screenshots)
    worst = walk.readability.worst()
    assert walk.readability.min_contrast.value >= MIN_CONTRAST, worst["contrast"]
    assert not walk.readability.truncated, walk.readability.truncated
    assert not walk.readability.unreachable, walk.readability.unreachable


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walk(persona, qtbot, services, clock, tmp_path):
    walk = walk_persona(services, persona, shots(tmp_path), qtbot=qtbot, clock=clock)
    figures = walk.figures()
    check_readable(walk)
    if persona in ENDS:
        assert walk.ended_on == ENDS[persona]
    if persona == "young":
        assert figures["card_to_form_s"] is not None and figures["typed_chars"] == 11
    if persona == "elder":
        assert figures["min_text_px"] >= ELDER_MIN_TEXT_PX, walk.readability.worst()["text"]
        assert figures["min_target_px"] >= ELDER_MIN_TARGET_PX, walk.readability.worst()["target"]
    if persona == "minor":  # blocked before the form (a notice), or at it with the reason
        assert walk.outcome == "blocked" or (walk.notice is not None and walk.ended_on != "form"), walk
    if persona == "foreign":
        assert figures["han_on_english_screens"] == []
    if persona == "paper-out":
        assert services.printer.jobs_printed >= 1


def test_elder_mode_in_landscape_keeps_the_form_in_view_above_the_keyboard(qtbot, services, clock, tmp_path):
    walk = walk_persona(services, "elder", shots(tmp_path), orientation="landscape", qtbot=qtbot, clock=clock)
    check_readable(walk)
    assert walk.readability.min_text.value >= ELDER_MIN_TEXT_PX, walk.readability.worst()["text"]
    assert walk.readability.min_target.value >= ELDER_MIN_TARGET_PX, walk.readability.worst()["target"]


@pytest.mark.parametrize("persona", ["young", "paper-out", "minor", "cancel-midway"])
def test_every_screen_in_english_shows_no_han(persona, qtbot, services, clock, tmp_path):
    """The screens the foreign applicant (blocked at the form) never reaches, walked in English."""
    walk = walk_persona(services, persona, shots(tmp_path), qtbot=qtbot, clock=clock, language="en")
    assert walk.readability.han == []
    check_readable(walk)


def test_the_other_screens_in_english_show_no_han(qtbot, services, clock, tmp_path):
    """Lookup, an expired card, a lifted card, another person's card and the idle countdown, in English."""
    from kiosk.ui.personas import PersonaRun, Walk, _start

    run = PersonaRun(services, shots(tmp_path), Walk("english-rest", "portrait", language="en"), qtbot, clock)
    d = run.d
    try:
        _start(run)
        services.demo_action("place_card", "expired")
        d.wait_until(lambda: d.bridge.view["notice"] is not None, what="the expired-card notice")
        run.shot("card-expired")
        services.demo_action("reader_fault", "lift_mid_read")
        services.demo_action("place_card", "adult")
        d.wait_until(lambda: (d.bridge.view["notice"] or {}).get("code") != "card_expired_resident"
                     or d.bridge.page == "form", what="the lifted card")
        run.shot("card-lifted")
        services.demo_action("place_card", "adult")
        d.wait_page("form")
        services.demo_action("place_card", "elderly")
        d.wait_page("card_swap")
        run.shot("card-swap")
        d.click("swapNo")
        d.wait_page("form")
        clock.advance(d.bridge.session.settings.form_seconds + 1)
        d.bridge.tick()
        d.wait_until(lambda: d.bridge.countingDown, what="the countdown")
        run.shot("countdown")
        d.click("btnContinue")
        d.click("btnHome")
        d.wait_until(lambda: d.bridge.page != "form" or d.exists("cancelYes"), what="leaving")
        if d.bridge.page != "home":
            from kiosk.ui.personas import CANCEL_CONFIRM, _tap_first
            _tap_first(d, CANCEL_CONFIRM)
        d.wait_page("home")
        d.click("langButton") if d.bridge.view["language"] != "en" else None
        d.wait_until(lambda: d.bridge.view["language"] == "en")
        d.click("btnLookup")
        d.wait_page("lookup")
        d.type_into("lookupNumber", "X123")
        d.click("btnLookupQuery")
        d.wait_until(lambda: d.text("lookupMessage") != "", what="the lookup's answer")
        run.shot("lookup")
    finally:
        run.close()
    assert run.walk.readability.han == []
    check_readable(run.walk)


WALKS_KEYS = {"touches", "typed_chars", "card_to_form_s", "min_text_px", "min_target_px", "min_contrast"}


def test_the_player_writes_walks_json(qtbot, tmp_path):
    """`kiosk demo --headless --out DIR` plays the walks through `play(..., personas=...)` and writes
    DIR/walks.json (contract): per persona the figures, for the foreign one the Han left on English screens."""
    import json

    from kiosk.ui.player import WALKS_JSON, play

    result = play(tmp_path, ("portrait",), scenarios=(), log=lambda line: None, personas=("foreign", "cancel-midway"))
    walks = json.loads((tmp_path / WALKS_JSON).read_text(encoding="utf-8"))
    assert walks == json.loads(json.dumps(result.walks))
    for persona in ("foreign", "cancel-midway"):
        assert walks[persona].keys() >= WALKS_KEYS
        assert walks[persona]["touches"] > 0 and walks[persona]["min_contrast"] >= MIN_CONTRAST
    assert walks["foreign"]["han_on_english_screens"] == []
    assert "han_on_english_screens" not in walks["cancel-midway"]
    assert walks["_worst"]["foreign"]["portrait"]["contrast"]["screen"].startswith("portrait/foreign-")
    assert sorted((tmp_path / "personas" / "portrait").glob("foreign-*.png"))

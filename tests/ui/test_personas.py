"""Persona walks (young, elder, foreign, minor, paper-out, cancel-midway) through the real QML app
offscreen, each screen shot and measured from its pixels and its item tree (kiosk.ui.personas,
kiosk.ui.screen_audit): elder mode keeps every text >= 30 px and every target >= 96 px, every text
keeps 4.5:1 contrast, nothing is cut off, and an English screen shows no Han character but names,
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

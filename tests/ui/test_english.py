"""Items other than the health permit, walked in English on the real QML app offscreen (reader simulator):
the intro, the form (labels, help, units, options) and the findings show no Han character but names,
addresses and official numbers (kiosk.ui.personas keep_chinese). The tables behind them are checked for
every item in tests/unit/ui/test_english_catalog.py; these walks prove the screens use them. Screenshots
go to $KIOSK_WALK_SHOTS when set (to look at them), else to the test's temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.session.spec_words import EN_RULES
from kiosk.ui.personas import PersonaRun, Walk, _lay_card


def shots(tmp_path: Path) -> Path:
    return Path(os.environ["KIOSK_WALK_SHOTS"]) if os.environ.get("KIOSK_WALK_SHOTS") else tmp_path


def english_run(services, qtbot, clock, tmp_path, name: str) -> PersonaRun:
    return PersonaRun(services, shots(tmp_path), Walk(name, "portrait", language="en"), qtbot, clock)


def open_in_english(run: PersonaRun, service: str, category: str, audience: str = "btnPersonal") -> None:
    """Home -> English -> audience -> the item's life event -> the item's intro -> the card screen, shot."""
    d = run.d
    d.wait_page("home")
    d.click("langButton")
    d.wait_until(lambda: d.bridge.view["language"] == "en", what="English")
    d.click(audience)
    d.wait_page("catalog")
    d.click(f"category_{category}")
    run.shot("catalog")
    d.click(f"service_{service}")
    d.wait_page("intro")
    run.shot("intro")
    d.click("btnStart")
    d.wait_page("card")


def test_minimum_living_allowance_reads_in_english_with_its_reason_to_stop(qtbot, services, clock, tmp_path):
    """李娜's hukou is in 成都: 低保 is applied for where the hukou is (ML-LOCAL, the shared data about her),
    said in English at the card step, before any form."""
    run = english_run(services, qtbot, clock, tmp_path, "english-dibao")
    d = run.d
    try:
        open_in_english(run, "minimum-living-allowance", "民政")
        assert _lay_card(run, "lina") == "card"
        notice = d.bridge.view["notice"]
        run.shot("card-stop")
    finally:
        run.close()
    assert notice["code"] == "records_excluded" and EN_RULES["ML-LOCAL"] in notice["what_it_means"], notice
    assert run.walk.readability.han == [], run.walk.readability.han


def test_teacher_qualification_says_in_english_what_each_choice_lacks(qtbot, services, clock, tmp_path):
    """Junior secondary with a secondary-school diploma, no exam pass and Mandarin level 3: three reasons
    to stop, each in English, on a form whose every option is English."""
    run = english_run(services, qtbot, clock, tmp_path, "english-teacher")
    d = run.d
    try:
        open_in_english(run, "teacher-qualification", "教育")
        assert _lay_card(run, "adult") == "form"
        d.click("option_level_2")          # 初级中学
        d.type_into("field_subject", "Maths")
        d.click("option_education_1")      # 中等师范或中专
        d.click("option_exam_passed_1")    # 否
        d.click("option_putonghua_4")      # 三级甲等及以下
        d.click("option_delivery_0")       # 窗口领取
        run.shot("form")
        d.click("btnNext")
        d.wait_until(lambda: len(d.bridge.view["findings"]) >= 3, what="the three findings")
        run.shot("findings")
        rules = {finding["rule"]: finding["message"] for finding in d.bridge.view["findings"]}
        d.wait_until(lambda: d.exists("fix_exam_passed"), what="the list of what to fix")
        fix = d.text("fix_exam_passed")  # its label is a question: no "?:" before the message
    finally:
        run.close()
    assert "?" in fix and "?:" not in fix and "? " in fix, fix
    for rule in ("TQ-EXAM", "TQ-EDUCATION", "TQ-PUTONGHUA"):
        assert rules.get(rule) == EN_RULES[rule], rules
    assert run.walk.readability.han == [], run.walk.readability.han

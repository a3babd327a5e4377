"""One translation table per language: the same keys in both, every key a screen asks for exists, and
no applicant screen spells a label itself (PrereviewPage once hard-coded its severity words in Chinese,
the date picker its 年/月/日 buttons)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.ui import formview
from kiosk.ui.strings import EN, ZH, texts

QML = Path(__file__).resolve().parents[3] / "kiosk" / "ui" / "qml"
CJK_LITERAL = re.compile(r'"[^"\n]*[\u4e00-\u9fff][^"\n]*"')
STAFF_OR_DATA = {
    "DemoDrawer.qml": "the demo drawer is for the demonstrator (Chinese only by design)",
    "TechPanel.qml": "the technician's panel is bilingual in every label",
    "TechCameraPage.qml": "the panel's camera page is bilingual, as the panel",
    "TechStatsPage.qml": "the panel's statistics page is bilingual, as the panel",
    "TechAuditPage.qml": "the panel's audit page is bilingual, as the panel",
    "PinPad.qml": "the technician's PIN pad is bilingual",
    "Header.qml": "the clock's date format",
    "Main.qml": "the window title 秒办 (the product's name)",
    "HomePage.qml": "个人/企业 are the catalog's audience values (data), not labels",
}


def test_both_tables_have_the_same_keys():
    assert set(ZH) == set(EN)


def test_every_word_a_screen_asks_for_is_in_the_table():
    asked = set()
    for path in QML.glob("*.qml"):
        text = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"\bt\.([A-Za-z_]+)\b", text))
        asked |= set(re.findall(r'\bt\["([A-Za-z_]+)"\]', text))
    assert asked - set(ZH) == set()


def _staff_or_data(name: str) -> bool:
    """Listed above, or a technician panel page or part (Tech*.qml): bilingual staff screens."""
    return name in STAFF_OR_DATA or name.startswith("Tech")


@pytest.mark.parametrize("path", sorted(p.name for p in QML.glob("*.qml") if not _staff_or_data(p.name)))
def test_applicant_screens_take_their_words_from_the_table(path):
    lines = (QML / path).read_text(encoding="utf-8").splitlines()
    spelled = [line.strip() for line in lines if not line.strip().startswith("//") and CJK_LITERAL.search(line)]
    assert spelled == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_severity_and_source_words_come_from_the_table(language):
    words = texts(language)
    findings = [{"rule": "R", "field": "f", "severity": "review", "message": "m"}]
    assert formview.finding_text(findings, language) == (words["severity_review"] + "m", "review")
    assert all(words[f"severity_{s}"] for s in ("block", "review", "warn"))
    assert words["source_card"] and words["source_registry"]

"""`kiosk doctor`'s font check covers the rare-character fonts: a missing HanaMin file is a problem
named with the folder looked in and the package to install."""

from __future__ import annotations

from kiosk.commands.doctor import check_font


def test_doctor_names_missing_rare_character_fonts_and_what_to_install(tmp_path):
    ok = check_font()
    assert ok.ok and "HanaMinA.ttf" in ok.detail and "HanaMinB.ttf" in ok.detail
    missing = check_font(hanazono_dirs=[tmp_path])
    assert not missing.ok
    assert "HanaMinA.ttf not found" in missing.detail and "fonts-hanazono" in missing.todo

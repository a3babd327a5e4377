"""The font chain: its order, finding the Hanazono files, saying what is missing, reading a cmap, and
splitting text into runs by the first font that has each character."""

from __future__ import annotations

import shutil

import pytest

from assets.fontchain import (
    FONT_CHAIN,
    HANA_MIN_A,
    HANA_MIN_B,
    WQY_MICRO_HEI,
    FontFileError,
    available_fonts,
    chain_coverages,
    missing_fonts,
    read_cmap,
    split_runs,
)


def test_the_chain_is_micro_hei_then_hanamin_a_then_b():
    assert [font.family for font in FONT_CHAIN] == ["WenQuanYi Micro Hei", "HanaMinA", "HanaMinB"]
    assert [loaded.font for loaded in available_fonts()] == list(FONT_CHAIN)  # kiosk.sh installs them
    assert missing_fonts() == []


def test_missing_hanazono_files_shorten_the_chain_and_say_what_to_install(tmp_path):
    assert [loaded.font for loaded in available_fonts(search_dirs=[tmp_path])] == [WQY_MICRO_HEI]
    lines = missing_fonts(search_dirs=[tmp_path])
    assert len(lines) == 2
    assert lines[0].startswith(f"font HanaMinA.ttf not found in {tmp_path}")
    assert all("apt-get install fonts-hanazono" in line and "□" in line for line in lines)


def test_a_bundled_copy_is_found_in_the_given_folder(tmp_path):
    shutil.copy(HANA_MIN_B.locate(), tmp_path / "HanaMinB.ttf")
    found = available_fonts(search_dirs=[tmp_path])
    assert [(loaded.font, loaded.path) for loaded in found][1:] == [(HANA_MIN_B, tmp_path / "HanaMinB.ttf")]


def test_cmaps_match_the_measured_coverage():
    wqy, hana_a, hana_b = (read_cmap(font.locate(), font.subfont_index) for font in FONT_CHAIN)
    ext_a = range(0x3400, 0x4DC0)
    ext_b = range(0x20000, 0x2A6E0)
    assert sum(code in wqy for code in ext_a) == 2 and not any(code in wqy for code in ext_b)
    assert sum(code in hana_a for code in ext_a) == 6582
    assert sum(code in hana_b for code in ext_b) == 42711


def test_not_a_font_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.ttf"
    path.write_bytes(b"<html>not a font</html>")
    with pytest.raises(FontFileError, match="not a TrueType"):
        read_cmap(path)


def test_fallback_fonts_serve_ideographs_only():
    coverages = chain_coverages(available_fonts())
    assert ord("😀") in read_cmap(HANA_MIN_A.locate())  # HanaMin has emoji glyphs...
    assert not any(ord("😀") in covered for covered in coverages)  # ...which the chain does not use
    assert ord("A") in coverages[0] and ord("A") not in coverages[1]


def test_split_runs_picks_the_first_font_that_has_each_character():
    coverages = chain_coverages(available_fonts())
    assert split_runs("叶䶮𠮷田𠀁😀", coverages) == [(0, "叶"), (1, "䶮𠮷"), (0, "田"), (2, "𠀁"), (None, "😀")]
    assert split_runs("", coverages) == []


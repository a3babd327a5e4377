"""Contrast measured from pixels, Han characters found, and the English table's words (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.session.spec_words import EN_RULES, rule_message, spec_text
from kiosk.ui.readability import Readability, han_characters, text_contrast
from kiosk.ui.strings import EN, KEEP_CHINESE, ZH
from kiosk.ui.theme import contrast_ratio


def crop(text: str, background: str, ink_pixels: int = 40, antialias: bool = True) -> np.ndarray:
    """A 20x60 crop of `background` with a stroke of `text` and (optionally) its antialiased edge."""
    def rgb(hex_colour: str) -> np.ndarray:
        return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.uint8)

    pixels = np.tile(rgb(background), (20, 60, 1))
    pixels[10, 5:5 + ink_pixels] = rgb(text)
    if antialias:
        pixels[9, 5:5 + ink_pixels] = (rgb(text).astype(int) + rgb(background)) // 2
    return pixels


@pytest.mark.parametrize(("text", "background"), [
    ("#000000", "#FFFFFF"), ("#4A5361", "#FFFFFF"), ("#FFFFFF", "#0B57A4"), ("#A0A0A0", "#FFFFFF"),
    ("#FFFFFF", "#4F83CC"),
])
def test_contrast_from_pixels_is_the_colours_contrast(text, background):
    assert text_contrast(crop(text, background)) == pytest.approx(contrast_ratio(text, background), rel=0.01)


def test_antialiasing_alone_does_not_lower_the_measure_and_a_blank_crop_has_none():
    assert text_contrast(crop("#000000", "#FFFFFF", antialias=True)) == pytest.approx(21.0, rel=0.01)
    assert text_contrast(crop("#000000", "#FFFFFF", ink_pixels=0)) is None
    assert text_contrast(np.zeros((0, 0, 3), dtype=np.uint8)) is None


def test_one_stray_pixel_of_a_neighbour_does_not_count():
    pixels = crop("#767676", "#FFFFFF")
    pixels[0, 0] = (0, 0, 0)  # a neighbour's border pixel inside the crop
    assert text_contrast(pixels) == pytest.approx(contrast_ratio("#767676", "#FFFFFF"), rel=0.01)


def test_han_characters_include_rare_ones_and_chinese_punctuation():
    assert han_characters("Licence no.：铜卫〔2026〕") == ["：", "铜", "卫", "〔", "〕"]  # ：〔〕 look wrong in English
    assert han_characters("𠮷 䶮") == ["𠮷", "䶮"]
    assert han_characters("Hello, ✔ ⓘ ①") == []


def test_readability_keeps_the_worst_of_each():
    seen = Readability()
    seen.note_text(33, "a", "s1")
    seen.note_text(31, "b", "s2")
    seen.note_target(96, "t", "s1")
    seen.note_contrast(7.0, "c", "s1")
    seen.note_contrast(4.6, "d", "s3")
    assert seen.figures() == {"min_text_px": 31, "min_target_px": 96, "min_contrast": 4.6}
    assert seen.worst()["contrast"] == {"value": 4.6, "what": "d", "screen": "s3"}


def test_english_table_has_every_key_and_no_han():
    assert ZH.keys() <= EN.keys()
    for key, text in EN.items():
        assert not han_characters(text) or key in ("language", "promiseTitle"), (key, text)


def test_spec_words_are_english_and_fall_back_to_the_phrase():
    assert spec_text("卫生管理员", "en") == "Hygiene manager"
    assert spec_text("卫生管理员", "zh") == "卫生管理员"
    assert spec_text("没有的词", "en") == "没有的词"
    assert rule_message("PP-DISTRICT", "这家单位不是在本区登记的。", "en") == EN_RULES["PP-DISTRICT"]
    assert rule_message("FIELD-REQUIRED", "请填写卫生管理员", "en") == EN_RULES["FIELD-REQUIRED"]
    assert rule_message("PP-NEW", "新规则", "en") == "新规则"
    for text in EN_RULES.values():
        assert not han_characters(text)


def untranslated(phrase: str) -> bool:
    english = spec_text(phrase, "en")
    for kept in KEEP_CHINESE:
        english = english.replace(kept, "")
    return bool(han_characters(english))


def _catalog():
    from forms.loader import catalog_dir, load_spec, spec_paths

    return [load_spec(path) for path in spec_paths(catalog_dir())]


def test_every_catalog_entry_reads_in_english():
    """The catalog and intro pages show every item's title, department, life event, what to bring,
    conditions, materials and commitment: a new item needs its English in kiosk/session/spec_words.py."""
    missing = []
    for spec in _catalog():
        phrases = [spec.title, spec.short_title or "", spec.department, spec.life_event or "", spec.conditions or "",
                   spec.commitment or "", *spec.bring, *(m.name for m in spec.materials)]
        missing += [f"{spec.id}: {p}" for p in phrases if p and untranslated(p)]
    assert not missing, "\n".join(missing)


def test_the_health_permit_form_and_rules_read_in_english():
    spec = next(s for s in _catalog() if s.id == "public-place-health-permit")
    missing = []
    for field in spec.fields:
        phrases = (field.label, field.help or "", field.unit or "", field.placeholder or "")
        for phrase in (*phrases, *(field.options or [])):
            if phrase and untranslated(phrase):
                missing.append(f"{field.key}: {phrase}")
    missing += [f"rule {rule.id}" for rule in spec.rules if han_characters(rule_message(rule.id, rule.message, "en"))]
    missing += [f"material note {m.name}" for m in spec.materials if m.note and untranslated(m.note)]
    assert not missing, "\n".join(missing)

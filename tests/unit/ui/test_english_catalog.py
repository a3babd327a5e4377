"""Every Chinese phrase of every catalog item that an English screen or slip shows has its English
(kiosk/session/spec_words.py): what the English screens pass through `spec_text` / `rule_message` (pure, no Qt).

Where each phrase is shown in English: the catalog and intro pages (kiosk.ui.views.start: title, short
title, department, life event, conditions, what to bring, materials, commitment), the form
(kiosk.ui.formview: every field's label, help, unit, placeholder and options; a yes/no field's 是/否;
section names), the materials and result screens (kiosk.ui.views.screen: material names and notes, the
document the item issues, the promised line) and every finding's message (`rule_message`, by rule id).
A failure lists each untranslated phrase with the item and the place it is shown.
"""

from __future__ import annotations

import functools

from kiosk.session.spec_words import EN_RULES, rule_message, spec_text
from kiosk.ui.readability import han_characters
from kiosk.ui.strings import KEEP_CHINESE


@functools.cache
def _catalog() -> tuple:
    from forms.loader import catalog_dir, load_spec, spec_paths

    return tuple(load_spec(path) for path in spec_paths(catalog_dir()))


def _still_chinese(english: str) -> bool:
    for kept in KEEP_CHINESE:
        english = english.replace(kept, "")
    return bool(han_characters(english))


def shown_phrases(spec) -> list[tuple[str, str]]:
    """(where, Chinese phrase) for every spec phrase an English screen or slip passes through spec_text."""
    phrases = [("title", spec.title), ("short title", spec.short_title), ("department", spec.department),
               ("life event", spec.life_event), ("conditions", spec.conditions), ("commitment", spec.commitment),
               ("result name", spec.result_name)]
    phrases += [("bring", item) for item in spec.bring]
    for field in spec.fields:
        where = f"field {field.key}"
        phrases += [(f"{where} label", field.label), (f"{where} help", field.help), (f"{where} unit", field.unit),
                    (f"{where} placeholder", field.placeholder), (f"{where} section", field.section)]
        options = field.options or (("是", "否") if field.type == "bool" else ())
        phrases += [(f"{where} option", option) for option in options]
    for material in spec.materials:
        phrases += [("material", material.name), (f"material note ({material.name})", material.note)]
    return [(where, phrase) for where, phrase in phrases if phrase]


def missing_english() -> list[str]:
    missing = []
    for spec in _catalog():
        missing += [f"{spec.id}: {where}: {phrase}" for where, phrase in shown_phrases(spec)
                    if _still_chinese(spec_text(phrase, "en"))]
        missing += [f"{spec.id}: rule {rule.id}: {rule.message}" for rule in spec.rules
                    if _still_chinese(rule_message(rule.id, rule.message, "en"))]
    return missing


def test_the_catalog_has_items_with_rules_fields_and_materials():
    specs = _catalog()
    assert len(specs) >= 40
    assert all(spec.fields for spec in specs)
    assert sum(len(spec.rules) for spec in specs) > len(specs)
    assert any(spec.materials for spec in specs)


def test_every_phrase_an_english_screen_shows_has_its_english():
    missing = missing_english()
    assert not missing, f"{len(missing)} phrases with no English in kiosk/session/spec_words.py:\n" + "\n".join(missing)


def test_a_phrase_with_no_english_is_found():
    """The check can fail: a phrase the table does not have is reported, in the item and the place."""
    spec = _catalog()[0]
    assert spec_text("一个没有英文的词", "en") == "一个没有英文的词"
    assert _still_chinese(spec_text("一个没有英文的词", "en"))
    assert not _still_chinese(spec_text(spec.title, "en"))
    assert ("title", spec.title) in shown_phrases(spec)


def test_the_rules_english_is_keyed_by_rule_ids_the_catalog_has():
    """No English for a rule the catalog no longer has (a renamed rule id would leave its English unused),
    FIELD-… checks apart."""
    ids = {rule.id for spec in _catalog() for rule in spec.rules}
    stale = sorted(key for key in EN_RULES if not key.startswith("FIELD-") and key not in ids)
    assert not stale, stale


def test_the_english_has_no_chinese_left():
    from kiosk.session.spec_words import EN_TEXT

    leftover = [(key, text) for key, text in {**EN_TEXT, **EN_RULES}.items() if _still_chinese(text)]
    assert not leftover, leftover

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


# -- the values a rule's message names, in English too ------------------------------------------------


def _rendered(rule, **values: object) -> str:
    from forms.review import render_message

    return render_message(rule.message, values)


def _rule(rule_id: str):
    return next((spec, rule) for spec in _catalog() for rule in spec.rules if rule.id == rule_id)


def test_every_rule_whose_message_names_values_shows_them_in_english():
    """Each catalog rule whose Chinese message has {placeholders} has an English sentence naming exactly
    the same ones (a new rule with a value and no such sentence fails here)."""
    import re

    from kiosk.session.spec_words import EN_RULES_WITH_VALUES

    names = re.compile(r"\{(\w+)\}")
    problems = []
    for spec in _catalog():
        for rule in spec.rules:
            wanted = set(names.findall(rule.message))
            if not wanted:
                continue
            english = EN_RULES_WITH_VALUES.get(rule.id)
            if english is None or set(names.findall(english)) != wanted:
                problems.append(f"{spec.id}: {rule.id}: {sorted(wanted)} in {english!r}")
    assert not problems, "\n".join(problems)


def test_an_english_message_shows_the_date_and_the_threshold_the_chinese_one_names():
    import datetime as dt

    spec, card = _rule("PP-CARD-VALID")
    message = _rendered(card, card_valid_to=dt.date(2026, 3, 9))
    assert "2026年3月9日" in message
    english = rule_message(card.id, message, "en", spec.rules)
    assert english.startswith("Your ID card expired on 2026-03-09 and cannot be used.")
    assert rule_message(card.id, message, "en") == EN_RULES[card.id]  # no rules given: the plain sentence
    assert rule_message(card.id, message, "zh", spec.rules) == message

    _, area = _rule("PP-AREA")
    assert "under 300 m²" in rule_message(area.id, _rendered(area, hall_shop_area_threshold_m2=300.0), "en",
                                          spec.rules)


def test_a_value_that_is_a_spec_phrase_is_put_in_english_and_a_name_is_kept():
    spec, already = _rule("FE-ALREADY")
    english = rule_message(already.id, _rendered(already, reg_pension_insurance="城乡居民"), "en", spec.rules)
    assert "“城乡居民”" not in english and "insured as “" in english
    spec, employed = _rule("UB-EMPLOYED")
    english = rule_message(employed.id, _rendered(employed, reg_employer="重庆某某科技有限公司"), "en", spec.rules)
    assert english.startswith("Records show “重庆某某科技有限公司” is still paying")


def test_a_repeated_value_must_repeat_and_a_message_that_does_not_fit_gets_the_plain_sentence():
    spec, region = _rule("IB-NAME-REGION")
    english = rule_message(region.id, _rendered(region, hall_district_name="铜梁区"), "en", spec.rules)
    assert english.count("“铜梁区”") == 2
    odd = region.message.replace("{hall_district_name}", "铜梁区", 1).replace("{hall_district_name}", "璧山区")
    assert rule_message(region.id, odd, "en", spec.rules) == EN_RULES[region.id]


def test_a_notice_holding_a_rendered_message_is_put_in_english_with_its_value():
    from kiosk.session.spec_words import with_rule_messages

    spec, local = _rule("RP-LOCAL")
    notice = "这个事项不能在这里为您办理：" + _rendered(local, hall_district_name="铜梁区") + "请按上面说的去办理。"
    english = with_rule_messages(notice, spec.rules, "en")
    assert "Your hukou is in 铜梁区, so you do not need a residence permit." in english
    assert with_rule_messages(notice, spec.rules, "zh") == notice

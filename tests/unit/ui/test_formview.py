"""Form rows for QML from the real health-permit spec and a session view."""

from __future__ import annotations

import pytest

from forms.loader import load_catalog
from kiosk.ui.formview import REQUIRED_RULE, field_rows, finding_text, fix_rows


@pytest.fixture(scope="module")
def spec():
    return load_catalog()["public-place-health-permit"]


def view_with(fields, show_fixes=False, findings=()):
    return {"fields": fields, "show_fixes": show_fixes, "findings": list(findings)}


def field(key, value=None, source=None, locked=False, findings=(), choices=()):
    return {"key": key, "value": value, "source": source, "locked": locked, "findings": list(findings),
            "choices": list(choices)}


REQUIRED = {"rule": REQUIRED_RULE, "field": "staff_count", "severity": "block", "message": "请填写“从业人员数”。"}
HEALTH = {"rule": "PP-HEALTH", "field": "staff_health_certified", "severity": "block", "message": "要有健康证明"}
AGENT = {"rule": "PP-AGENT", "field": "is_legal_rep", "severity": "review", "message": "代办需委托书"}


def test_locked_value_shows_its_source(spec):
    rows = field_rows(spec, view_with([field("applicant_name", "张伟", "card", True)]))
    assert rows[0]["locked"] and rows[0]["source"] == "来自身份证" and rows[0]["value"] == "张伟"


def test_kinds_options_and_units(spec):
    rows = field_rows(spec, view_with([field("staff_count"), field("has_central_ac"), field("hygiene_report_date"),
                                       field("applicant_phone")]))
    kinds = {row["key"]: row["kind"] for row in rows}
    assert kinds == {"staff_count": "digits", "has_central_ac": "choice", "hygiene_report_date": "date",
                     "applicant_phone": "digits"}
    assert [o["value"] for o in rows[1]["options"]] == ["是", "否"] and rows[0]["unit"] == "人"


def test_required_message_waits_until_touched_or_next(spec):
    fresh = field_rows(spec, view_with([field("staff_count", findings=[REQUIRED])]))
    assert fresh[0]["message"] == ""
    touched = field_rows(spec, view_with([field("staff_count", findings=[REQUIRED])]), touched={"staff_count"})
    assert "请填写" in touched[0]["message"] and touched[0]["severity"] == "block"
    after_next = field_rows(spec, view_with([field("staff_count", findings=[REQUIRED])], show_fixes=True))
    assert after_next[0]["message"].startswith("✖ 需要修改：")


def test_rule_messages_show_at_once_with_words_for_the_severity(spec):
    rows = field_rows(spec, view_with([field("is_legal_rep", "否", findings=[AGENT])]))
    assert rows[0]["message"] == "ⓘ 需要工作人员再看一下：代办需委托书" and rows[0]["severity"] == "review"


def test_worst_severity_first():
    text, severity = finding_text([AGENT, HEALTH], "zh")
    assert severity == "block" and text.splitlines()[0].startswith("✖")


def test_business_choices_become_buttons(spec):
    choices = [{"value": "92500151MA5UBL3K3E", "label": "张伟理发店"}, {"value": "X", "label": "其他"}]
    rows = field_rows(spec, view_with([field("uscc", choices=choices)]))
    assert rows[0]["kind"] == "choice" and rows[0]["options"][0]["label"] == "张伟理发店（92500151MA5UBL3K3E）"


def test_fix_rows_name_the_field(spec):
    rows = fix_rows(spec, view_with([], findings=[HEALTH, AGENT]))
    assert rows == [{"key": "PP-HEALTH:staff_health_certified", "field": "staff_health_certified",
                     "label": "持有效健康合格证明人数", "message": "要有健康证明"}]


def test_a_block_on_a_locked_field_is_not_called_something_to_fix(spec):
    """The applicant cannot change a value from the card or the shared data: 不能在本机办理, not 需要修改."""
    locked = field_rows(spec, view_with([field("applicant_name", "张伟", "card", True, findings=[HEALTH])]))
    assert locked[0]["message"] == "✖ 不能在本机办理：要有健康证明" and locked[0]["severity"] == "block"
    review = field_rows(spec, view_with([field("applicant_name", "张伟", "card", True, findings=[AGENT])]))
    assert review[0]["message"].startswith("ⓘ 需要工作人员再看一下")
    open_field = field_rows(spec, view_with([field("staff_health_certified", 2, findings=[HEALTH])]))
    assert open_field[0]["message"].startswith("✖ 需要修改：")


def test_english_rows_and_fixes_show_the_value_the_chinese_message_names(spec):
    """The form row and the fix list pass the spec's rules, so PP-AREA's threshold stays in the English."""
    from forms.review import render_message

    rule = next(r for r in spec.rules if r.id == "PP-AREA")
    area = {"rule": rule.id, "field": "floor_area", "severity": "block",
            "message": render_message(rule.message, {"hall_shop_area_threshold_m2": 300.0})}
    rows = field_rows(spec, view_with([field("floor_area", 80, findings=[area])]), language="en")
    assert "under 300 m²" in rows[0]["message"]
    assert "under 300 m²" in fix_rows(spec, view_with([], findings=[area]), language="en")[0]["message"]

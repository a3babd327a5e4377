"""Prefill sources and locking, answer edits, show_if, review findings and messages."""

from __future__ import annotations

import datetime as dt

import pytest

from forms import demo_registry as demo
from forms.answers import Source
from forms.casefiles import make_card
from forms.context import ReviewContext
from forms.engine import apply_answers, final_values, materials, prefill, review, set_answer, visible_fields
from forms.errors import LockedFieldError, UnknownFieldError
from forms.loader import load_catalog
from forms.registry import Business, InMemoryRegistry
from forms.settings import HallSettings

TODAY = dt.date(2026, 11, 21)
CATALOG = load_catalog()
PERMIT = CATALOG["public-place-health-permit"]
GOOD = {
    "staff_count": 3,
    "staff_health_certified": 3,
    "staff_trained": 3,
    "hygiene_manager": "张伟",
    "has_central_ac": "否",
    "hygiene_report_date": "2026-10-01",
    "hygiene_report_result": "合格",
}


def context(card_name: str = "张伟", number: str = demo.ZHANG_WEI, registry=None) -> ReviewContext:
    card = make_card({"name": card_name, "id_number": number})
    return ReviewContext(TODAY, HallSettings(), card, registry or demo.demo_registry(TODAY))


def test_prefill_tags_every_value_with_its_source() -> None:
    ctx = context()
    answers = prefill(PERMIT, ctx.card, ctx.registry, TODAY)
    assert answers["applicant_name"].source is Source.CARD and answers["applicant_name"].locked
    assert answers["applicant_id_number"].value == demo.ZHANG_WEI
    assert answers["uscc"].source is Source.REGISTRY and not answers["uscc"].locked  # editable
    assert answers["business_name"].source is Source.REGISTRY and answers["business_name"].locked
    assert answers["floor_area"].value == 80 and not answers["floor_area"].locked
    assert answers["applicant_phone"].source is Source.REGISTRY
    assert "staff_count" not in answers
    assert answers["applicant_name"].source.label == "来自身份证"
    assert answers["uscc"].source.label == "来自共享数据"
    dumped = answers.to_dict()
    assert dumped["uscc"]["choices"] == [{"value": demo.BARBER_USCC, "label": "铜梁区巴川街道张伟理发店"}]
    assert demo.ZHANG_WEI not in repr(answers)


def test_several_businesses_become_choices() -> None:
    second = Business(
        demo.SHOP_USCC, "张伟便利店", "个体工商户", "张伟", demo.ZHANG_WEI, "铜梁区某路 1 号", "500151"
    )
    registry = InMemoryRegistry([*demo.demo_businesses()[:1], second], [], demo.demo_persons())
    ctx = context(registry=registry)
    answers = prefill(PERMIT, ctx.card, registry, TODAY)
    assert answers["uscc"].value is None and len(answers["uscc"].choices) == 2
    assert "business_name" not in answers
    answers = set_answer(PERMIT, answers, "uscc", demo.SHOP_USCC, ctx)
    assert answers["business_name"].value == "张伟便利店" and answers["uscc"].source is Source.APPLICANT
    assert len(answers["uscc"].choices) == 2


def test_changing_the_credit_code_refreshes_registry_fields() -> None:
    ctx = context()
    answers = prefill(PERMIT, ctx.card, ctx.registry, TODAY)
    answers = set_answer(PERMIT, answers, "uscc", demo.FOOT_SPA_USCC, ctx)
    assert answers["business_name"].value == "铜梁区龙城足浴店"
    assert answers["is_legal_rep"].value == "否"
    answers = set_answer(PERMIT, answers, "uscc", "92500151MA5UR88X3T", ctx)  # not in the registry
    assert answers["business_name"].value is None and not answers["business_name"].locked
    answers = set_answer(PERMIT, answers, "business_name", "我的店", ctx)
    answers = set_answer(PERMIT, answers, "uscc", "92500151MA5UR88X3T ", ctx)
    assert answers["business_name"].value == "我的店" and answers["business_name"].source is Source.APPLICANT


def test_locked_values_refuse_edits_but_accept_the_same_value() -> None:
    ctx = context()
    answers = prefill(PERMIT, ctx.card, ctx.registry, TODAY)
    with pytest.raises(LockedFieldError):
        set_answer(PERMIT, answers, "applicant_name", "李四", ctx)
    assert set_answer(PERMIT, answers, "applicant_name", "张伟", ctx) is answers
    same_number = demo.ZHANG_WEI.lower().replace("x", " x ")
    assert set_answer(PERMIT, answers, "applicant_id_number", same_number, ctx) is answers
    with pytest.raises(UnknownFieldError, match="colour"):
        set_answer(PERMIT, answers, "colour", "red", ctx)


def test_no_card_and_no_registry() -> None:
    ctx = ReviewContext(TODAY, HallSettings())
    answers = prefill(PERMIT, None, None, TODAY)
    assert len(answers) == 0
    findings = review(PERMIT, answers, ctx)
    assert {f.rule for f in findings} == {"FIELD-REQUIRED"}
    assert len(findings) == sum(1 for f in PERMIT.fields if f.required)


def test_earlier_application_values() -> None:
    spec = CATALOG["individual-business-registration"]
    ctx = context("李娜", demo.LI_NA)
    answers = prefill(spec, ctx.card, ctx.registry, TODAY, earlier={"applicant_phone": "13900000000"})
    assert answers["applicant_phone"].source is Source.REGISTRY  # the registry wins over the earlier value


def test_show_if_hides_and_skips_the_field() -> None:
    ctx = context()
    answers = apply_answers(PERMIT, prefill(PERMIT, ctx.card, ctx.registry, TODAY), GOOD, ctx)
    assert "ac_report_date" not in [f.key for f in visible_fields(PERMIT, answers, ctx)]
    answers = set_answer(PERMIT, answers, "has_central_ac", "是", ctx)
    assert "ac_report_date" in [f.key for f in visible_fields(PERMIT, answers, ctx)]
    answers = set_answer(PERMIT, answers, "ac_report_date", "2026-06-01", ctx)
    assert final_values(PERMIT, answers, ctx)["ac_report_date"] == dt.date(2026, 6, 1)
    answers = set_answer(PERMIT, answers, "has_central_ac", "否", ctx)
    assert "ac_report_date" not in final_values(PERMIT, answers, ctx)


def test_findings_carry_the_contract_attributes_and_readable_messages() -> None:
    ctx = context()
    answers = apply_answers(
        PERMIT,
        prefill(PERMIT, ctx.card, ctx.registry, TODAY),
        {**GOOD, "category": "书店", "floor_area": 120, "hygiene_report_date": "2025-01-01"},
        ctx,
    )
    findings = review(PERMIT, answers, ctx)
    assert [(f.rule, f.field, f.severity) for f in findings] == [
        ("PP-AREA", "floor_area", "block"),
        ("PP-REPORT-FRESH", "hygiene_report_date", "block"),
    ]
    assert "不到 300 平方米" in findings[0].message
    assert "365 天" in findings[1].message
    assert findings[0].to_dict() == {
        "rule": "PP-AREA",
        "field": "floor_area",
        "severity": "block",
        "message": findings[0].message,
    }
    for finding in findings:
        assert "{" not in finding.message and demo.ZHANG_WEI not in finding.message


def test_expired_card_message_names_the_date() -> None:
    card = make_card({"name": "张伟", "id_number": demo.ZHANG_WEI, "valid_to": "2026-01-05"})
    ctx = ReviewContext(TODAY, HallSettings(), card, demo.demo_registry(TODAY))
    answers = apply_answers(PERMIT, prefill(PERMIT, card, ctx.registry, TODAY), GOOD, ctx)
    (finding,) = review(PERMIT, answers, ctx)
    assert finding.rule == "PP-CARD-VALID" and "2026年1月5日" in finding.message


def test_agent_material_applies_only_to_agents() -> None:
    ctx = context()
    answers = apply_answers(PERMIT, prefill(PERMIT, ctx.card, ctx.registry, TODAY), GOOD, ctx)
    assert "授权委托书" not in [m.name for m in materials(PERMIT, answers, ctx)]
    answers = set_answer(PERMIT, answers, "is_legal_rep", "否", ctx)
    assert "授权委托书" in [m.name for m in materials(PERMIT, answers, ctx)]


def test_a_rule_waits_for_the_fields_it_reads() -> None:
    ctx = context()
    answers = prefill(PERMIT, ctx.card, ctx.registry, TODAY)
    answers = set_answer(PERMIT, answers, "staff_count", "3", ctx)
    rules = {f.rule for f in review(PERMIT, answers, ctx)}
    assert "PP-HEALTH" not in rules and "PP-TRAINED" not in rules  # not filled yet
    answers = set_answer(PERMIT, answers, "staff_health_certified", "abc", ctx)
    rules = {f.rule for f in review(PERMIT, answers, ctx)}
    assert "PP-HEALTH" not in rules and "FIELD-FORMAT" in rules


def test_legal_representative_for_the_licence() -> None:
    from forms.engine import legal_representative

    ctx = context("李娜", demo.LI_NA)
    answers = prefill(PERMIT, ctx.card, ctx.registry, TODAY)
    answers = set_answer(PERMIT, answers, "uscc", demo.FOOT_SPA_USCC, ctx)
    assert legal_representative(PERMIT, answers, ctx) == "王芳"  # the registry's, not the agent
    answers = set_answer(PERMIT, answers, "uscc", "92500151MA5UR88X3T", ctx)  # unknown to the registry
    answers = set_answer(PERMIT, answers, "is_legal_rep", "是", ctx)
    assert legal_representative(PERMIT, answers, ctx) == "李娜"
    answers = set_answer(PERMIT, answers, "is_legal_rep", "否", ctx)
    assert legal_representative(PERMIT, answers, ctx) is None

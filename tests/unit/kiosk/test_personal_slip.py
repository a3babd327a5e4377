"""A personal item's slip (低保, accepted for review) names the applicant and the item, never a business
line: its "scope" field is the applicant's own hardship reason (困难原因：疾病), not for a paper carried
around (found by an applicant's-eye review: it printed 经营者名称：王秀兰 / 经营项目：疾病). A business
item's slip keeps its 经营者名称 / 经营场所 / 经营项目."""

from __future__ import annotations

import dataclasses
import datetime as dt

from forms import demo_registry as demo
from forms import engine
from forms.context import ReviewContext
from forms.loader import load_catalog
from forms.settings import HallSettings
from idreader import demo_cards
from kiosk.paperwork import issue_record, slip
from kiosk.session import ApplicationDraft
from printers.model import Field, Text

DAY = dt.date(2026, 11, 21)
AT = dt.datetime(2026, 11, 21, 10, 0)
CATALOG = load_catalog()


def printed_slip(service: str, card_name: str, given: dict, outcome: str, *, language: str = "zh",
                 promised: tuple[str, ...] = ()) -> dict[str, str]:
    """The slip's labelled lines, and its other text lines under the key "" (joined)."""
    spec, card = CATALOG[service], demo_cards.load(card_name)
    context = ReviewContext(DAY, HallSettings(), card, demo.demo_registry(DAY))
    answers = engine.apply_answers(spec, engine.prefill(spec, card, context.registry, DAY), given, context)
    findings = engine.review(spec, answers, context)
    draft = ApplicationDraft(spec.id, card, tuple(answers.items()), tuple(findings), outcome, None, None, promised,
                             language)
    issue = dataclasses.replace(issue_record(spec, draft, HallSettings(), context.registry, AT, receipt_no="R-1"),
                                qr_text="MB1.signed-status-code")  # signed by kiosk.credentials in the kiosk
    blocks = slip(issue, AT).blocks
    lines = {block.label: block.value for block in blocks if isinstance(block, Field)}
    return {**lines, "": "\n".join(block.text for block in blocks if isinstance(block, Text))}


def test_a_personal_receipt_names_the_item_and_not_the_applicants_reason_or_address():
    fields = printed_slip("minimum-living-allowance", "longterm",
                          {"household_size": 2, "monthly_income": 900, "members": "王某", "reason": "疾病"},
                          "accepted")
    assert fields["申请事项"] == CATALOG["minimum-living-allowance"].short_title
    assert "经营者名称" not in fields and "经营场所" not in fields and "经营项目" not in fields
    assert "疾病" not in fields.values()
    assert fields["申请人"] == "王**"  # the name masked on paper, as every slip does


def test_a_business_receipt_keeps_its_business_lines():
    fields = printed_slip("public-place-health-permit", "adult",
                          {"staff_count": 3, "staff_health_certified": 2, "staff_trained": 3,
                           "hygiene_manager": "张伟", "has_central_ac": "否", "hygiene_report_date": "2026-10-01",
                           "hygiene_report_result": "合格"}, "accepted")
    assert fields["经营者名称"] == "铜梁区巴川街道张伟理发店" and "经营场所" in fields and "经营项目" in fields
    assert "申请事项" not in fields


def test_an_english_slip_names_the_promised_material_in_english():
    given = {"staff_count": 3, "staff_health_certified": 2, "staff_trained": 3, "hygiene_manager": "张伟",
             "has_central_ac": "否", "hygiene_report_date": "2026-10-01", "hygiene_report_result": "合格"}
    floor_plan = "平面图及卫生设施布局图"
    english = printed_slip("public-place-health-permit", "adult", given, "accepted", language="en",
                           promised=(floor_plan,))[""]
    assert "Floor plan and layout of hygiene facilities" in english and floor_plan not in english
    chinese = printed_slip("public-place-health-permit", "adult", given, "accepted", promised=(floor_plan,))[""]
    assert floor_plan in chinese

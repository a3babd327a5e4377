"""Specs own their fields (a role names what a field means to generic code) and severities are one enum.

A spec that calls its credit-code field `org_code` and its holder field `shop_name` works like the
shipped one: the registry fills from the credit code, the licence names the registry's legal rep and
the slip prints the shop's name. Before, generic code knew only the keys `uscc` / `business_name`.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from forms import demo_registry as demo
from forms import engine
from forms.context import ReviewContext
from forms.errors import SpecError
from forms.loader import catalog_dir, parse_spec
from forms.review import Finding
from forms.settings import HallSettings
from forms.spec import FieldRole, Severity
from idreader import demo_cards
from kiosk.paperwork import business_facts, issue_record
from kiosk.session import ApplicationDraft

DAY = dt.date(2026, 11, 21)
PP_FILE = catalog_dir() / "public-place-health-permit.yaml"
ANSWERS = {"staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
           "has_central_ac": "否", "hygiene_report_date": "2026-10-01", "hygiene_report_result": "合格"}


def renamed_permit(text: str | None = None) -> dict:
    """The shipped permit with its credit code as `org_code` and its holder as `shop_name`."""
    text = text if text is not None else PP_FILE.read_text(encoding="utf-8")
    text = re.sub(r"\b(key|field): uscc\b", r"\1: org_code", text).replace("uscc[2:8]", "org_code[2:8]")
    return yaml.safe_load(text.replace("key: business_name,", "key: shop_name,"))


def test_a_spec_names_its_own_credit_code_and_holder_fields() -> None:
    spec = parse_spec(renamed_permit(), "renamed.yaml")
    assert "uscc" not in spec.field_keys and spec.role_key(FieldRole.CREDIT_CODE) == "org_code"
    card = demo_cards.load("adult")  # 张伟, legal rep of the barber's shop in the demo registry
    context = ReviewContext(DAY, HallSettings(), card, demo.demo_registry(DAY))
    answers = engine.apply_answers(spec, engine.prefill(spec, card, context.registry, DAY), ANSWERS, context)
    assert answers.value("org_code") == demo.BARBER_USCC
    assert answers.value("shop_name") == "铜梁区巴川街道张伟理发店"  # the registry followed the credit code
    findings = engine.review(spec, answers, context)
    assert engine.decide(spec, findings).outcome == "approved", findings
    assert engine.legal_representative(spec, answers, context) == "张伟"

    draft = ApplicationDraft(spec.id, card, tuple(answers.items()), tuple(findings), "approved", None, None, (), "zh")
    issue = issue_record(spec, draft, HallSettings(), context.registry, dt.datetime(2026, 11, 21, 10, 0),
                         receipt_no="R-1", licence_no="L-1")
    assert business_facts(issue)["holder"] == "铜梁区巴川街道张伟理发店"
    assert issue.role_value(FieldRole.HYGIENE_MANAGER) == "张伟"
    assert (issue.valid_from, issue.valid_to) == (DAY, dt.date(2030, 11, 20))  # 4 years - 1 day


def test_a_role_held_by_two_fields_is_refused() -> None:
    data = yaml.safe_load(PP_FILE.read_text(encoding="utf-8"))
    data["fields"] = [dict(f, role="holder") if f["key"] == "hygiene_manager" else f for f in data["fields"]]
    with pytest.raises(SpecError, match="roles repeat: holder"):
        parse_spec(data, "twice.yaml")


def test_registry_prefill_without_a_credit_code_role_is_refused() -> None:
    data = yaml.safe_load(PP_FILE.read_text(encoding="utf-8"))
    data["fields"] = [{k: v for k, v in f.items() if k != "role"} if f["key"] == "uscc" else f
                      for f in data["fields"]]
    with pytest.raises(SpecError, match="role 'credit_code'"):
        parse_spec(data, "no-role.yaml")


def test_severity_is_one_enum_and_an_unknown_one_is_refused() -> None:
    finding = Finding("PP-AGENT", "is_legal_rep", "review", "staff check the power of attorney")
    assert finding.severity is Severity.REVIEW
    assert type(finding.to_dict()["severity"]) is str and finding.to_dict()["severity"] == "review"
    with pytest.raises(ValueError, match="'blocker'"):
        Finding("X", "f", "blocker", "a typo would have let this finding block nothing")

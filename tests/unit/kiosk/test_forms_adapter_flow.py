"""Issue 14's questions to the real catalog through `FormsRules`: what the card alone decides (told
before the form), the item's own document name, the hall's 发证窗口, and a delivery the form asked."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.demo_registry import demo_registry
from forms.loader import load_catalog
from forms.settings import HallSettings
from idreader import demo_cards
from kiosk.forms_adapter import FormsDirectory
from kiosk.services.app_services import story_cards
from kiosk.session.state import Answer

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def directory() -> FormsDirectory:
    return FormsDirectory(load_catalog(), demo_registry(TODAY), HallSettings(pickup_window="3"))


def test_a_minor_is_excluded_by_the_card_alone(directory):
    rules = directory.rules_for("public-place-health-permit")
    findings = rules.card_findings(demo_cards.get("minor"), TODAY)
    assert [finding.rule for finding in findings] == ["PP-ADULT"]
    assert "家长" in findings[0].message, "the rule says who can apply instead"


def test_an_adult_is_not_excluded_and_rules_on_form_fields_wait_for_the_form(directory):
    rules = directory.rules_for("public-place-health-permit")
    assert rules.card_findings(demo_cards.get("adult"), TODAY) == []
    # 渝北区 business of the foreign2023 card fails PP-DISTRICT, a rule on a form field: not told early
    assert all(f.rule != "PP-DISTRICT" for f in rules.card_findings(demo_cards.get("foreign2023"), TODAY))


def test_the_shared_data_about_the_holder_is_decided_at_the_card_but_business_records_wait(directory):
    lina = story_cards()["lina"]  # hukou in 成都 (510104), lives in 铜梁
    dibao = directory.rules_for("minimum-living-allowance")
    assert [f.rule for f in dibao.record_findings(lina, TODAY)] == ["ML-LOCAL"]
    assert dibao.card_findings(lina, TODAY) == [], "the card alone does not decide it"
    assert dibao.record_findings(demo_cards.get("longterm"), TODAY) == [], "王秀兰's hukou is here"
    # the renewal's RN-NO-LICENCE reads the registry's business by the credit code typed on the form: not yet
    assert directory.rules_for("public-place-health-permit-renewal").record_findings(lina, TODAY) == []
    # an age limit is the card's own data, not a record
    assert directory.rules_for("public-place-health-permit").record_findings(demo_cards.get("minor"), TODAY) == []


def test_document_names_come_from_each_item(directory):
    assert directory.rules_for("public-place-health-permit").document_name == "公共场所卫生许可证"
    assert directory.rules_for("food-prepackaged-filing").document_name == "仅销售预包装食品备案回执"
    assert directory.rules_for("public-place-health-permit").pickup_window == "3"


def test_a_delivery_asked_on_the_form_is_read_back(directory):
    rules = directory.rules_for("individual-business-registration")
    assert rules.form_delivery({}) is None
    assert rules.form_delivery({"delivery": Answer("窗口领取")}) == ("pickup", "")
    mailed = {"delivery": Answer("邮寄（EMS）"), "mail_address": Answer("重庆市铜梁区龙城大道1号")}
    assert rules.form_delivery(mailed) == ("mail", "重庆市铜梁区龙城大道1号")
    assert directory.rules_for("public-place-health-permit").form_delivery({}) is None

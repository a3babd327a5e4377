"""Decision table, bundle result lines, number formats, counter keys, licence terms, hall settings."""

from __future__ import annotations

import datetime as dt

import pytest

from forms import checksums
from forms import demo_registry as demo
from forms.decision import decide
from forms.errors import NumberingError, SettingsError
from forms.loader import load_catalog
from forms.numbering import allocate, format_number, licence_template, licence_term, sequence_key
from forms.review import Finding
from forms.settings import HallSettings

CATALOG = load_catalog()
PERMIT = CATALOG["public-place-health-permit"]
RENEWAL = CATALOG["public-place-health-permit-renewal"]
BUNDLE = CATALOG["birth-bundle"]
DAY = dt.date(2026, 11, 21)


def finding(severity: str) -> Finding:
    return Finding("X", "uscc", severity, "m")


@pytest.mark.parametrize(
    ("spec_id", "severities", "outcome"),
    [
        ("public-place-health-permit", [], "approved"),
        ("public-place-health-permit", ["warn"], "approved"),
        ("public-place-health-permit", ["review", "warn"], "accepted"),
        ("public-place-health-permit", ["review", "block"], "blocked"),
        ("residence-permit", [], "accepted"),
        ("residence-permit", ["warn"], "accepted"),
        ("residence-permit", ["block"], "blocked"),
    ],
)
def test_decision_table(spec_id: str, severities: list[str], outcome: str) -> None:
    decision = decide(CATALOG[spec_id], [finding(s) for s in severities])
    assert decision.outcome == outcome
    assert len(decision.findings) == len(severities)
    assert decision.blocking == tuple(f for f in decision.findings if f.severity == "block")


def test_bundle_has_a_result_line_per_sub_item() -> None:
    accepted = decide(BUNDLE, [])
    assert [item.title for item in accepted.items] == [
        "出生医学证明",
        "出生登记（户口）",
        "城乡居民医保参保登记",
        "社会保障卡申领",
    ]
    assert [item.line for item in accepted.items] == [sub.result for sub in BUNDLE.bundle or []]
    assert all(item.outcome == "accepted" for item in accepted.items)
    blocked = decide(BUNDLE, [finding("block")])
    assert all(item.outcome == "blocked" and "未提交" in item.line for item in blocked.items)
    assert decide(PERMIT, []).items == ()


def test_bundle_sub_items_whose_when_fails_are_skipped_with_their_own_line() -> None:
    restaurant = CATALOG["restaurant-bundle"]
    small = {"floor_area": 45.0, "wants_sign": "否", "staff_count": 1}
    decision = decide(restaurant, [], small)
    outcomes = {item.id: item.outcome for item in decision.items}
    assert outcomes == {"business-licence": "accepted", "small-catering": "accepted", "food-licence": "skipped",
                        "shop-sign": "skipped", "staff-insurance": "skipped"}
    skipped = {item.id: item.line for item in decision.items if item.outcome == "skipped"}
    assert skipped["food-licence"].startswith("食品经营许可：") and "小餐饮" in skipped["food-licence"]
    large = decide(restaurant, [], {**small, "floor_area": 61.0, "staff_count": 4, "wants_sign": "是"})
    assert {item.id: item.outcome for item in large.items}["small-catering"] == "skipped"
    assert sum(item.outcome == "accepted" for item in large.items) == 4
    assert all(item.outcome == "accepted" for item in decide(restaurant, []).items)  # no symbols: all apply


def test_a_change_keeps_the_old_licence_term() -> None:
    change = CATALOG["public-place-health-permit-change"]
    old_expiry = dt.date(2028, 5, 31)
    assert licence_term(change, DAY, old_expiry) == (DAY, old_expiry)
    with pytest.raises(NumberingError):
        licence_term(change, DAY)


class Counters:
    """The smallest real SequenceAllocator: an in-memory counter per key."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def next_value(self, sequence_key: str) -> int:
        self.values[sequence_key] = self.values.get(sequence_key, 0) + 1
        return self.values[sequence_key]


def test_receipt_and_licence_numbers() -> None:
    settings = HallSettings()
    receipt = PERMIT.numbering.receipt
    assert sequence_key(receipt, settings, DAY) == "receipt:K01:20261121"
    assert format_number(receipt, settings, DAY, 1) == "500151-20261121-K01-0001"
    licence = licence_template(PERMIT)
    assert sequence_key(licence, settings, DAY) == "licence:铜卫公证字:2026"
    assert format_number(licence, settings, DAY, 42) == "铜卫公证字〔2026〕第000042号"
    counters = Counters()
    first = [allocate(receipt, settings, DAY, counters) for _ in range(2)]
    next_day = allocate(receipt, settings, DAY + dt.timedelta(days=1), counters)
    other_kiosk = allocate(receipt, HallSettings(kiosk_id="K02"), DAY, counters)
    assert first == ["500151-20261121-K01-0001", "500151-20261121-K01-0002"]
    assert next_day == "500151-20261122-K01-0001" and other_kiosk == "500151-20261121-K02-0001"
    renewal_number = allocate(licence_template(RENEWAL), settings, DAY, counters)
    new_number = allocate(licence, settings, DAY, counters)
    assert (renewal_number, new_number) == ("铜卫公证字〔2026〕第000001号", "铜卫公证字〔2026〕第000002号")
    with pytest.raises(NumberingError):
        format_number(receipt, settings, DAY, 0)
    with pytest.raises(NumberingError):
        licence_template(CATALOG["residence-permit"])


def test_filing_number() -> None:
    spec = CATALOG["food-prepackaged-filing"]
    assert format_number(licence_template(spec), HallSettings(), DAY, 7) == "YB1500151202600007"


def test_licence_terms() -> None:
    assert licence_term(PERMIT, DAY) == (DAY, dt.date(2030, 11, 20))
    assert licence_term(PERMIT, dt.date(2024, 2, 29)) == (dt.date(2024, 2, 29), dt.date(2028, 2, 28))
    assert licence_term(PERMIT, dt.date(2025, 3, 1)) == (dt.date(2025, 3, 1), dt.date(2029, 2, 28))
    old_expiry = dt.date(2026, 12, 9)
    assert licence_term(RENEWAL, DAY, old_expiry) == (dt.date(2026, 12, 10), dt.date(2030, 12, 9))
    with pytest.raises(NumberingError):
        licence_term(RENEWAL, DAY)
    with pytest.raises(NumberingError):
        licence_term(CATALOG["residence-permit"], DAY)


def test_hall_settings_demo_defaults() -> None:
    settings = HallSettings()
    assert (settings.district_code, settings.licence_prefix, settings.kiosk_id) == ("500151", "铜", "K01")
    assert (settings.shop_area_threshold_m2, settings.report_max_age_days) == (300, 365)
    assert settings.health_office == "铜梁区卫生健康委员会"
    assert settings.name == "铜梁区政务服务中心"
    assert settings.office_name(PERMIT.office) == "铜梁区卫生健康委员会"
    for spec in CATALOG.values():
        settings.office_name(spec.office)
    with pytest.raises(SettingsError, match="nowhere"):
        settings.office_name("nowhere")


def test_demo_registry_data_is_valid() -> None:
    registry = demo.demo_registry(DAY)
    for business in registry.businesses:
        assert checksums.uscc_problem(business.uscc) is None, business.uscc
        assert checksums.org_code_ok(business.uscc[8:17]), business.uscc
        assert checksums.id18_problem(business.legal_rep_id_number) is None
    for person in registry.persons:
        assert checksums.id18_problem(person.id_number) is None
    (licence,) = [lic for lic in registry.licences_for(demo.HOTEL_USCC) if lic.kind == "public-place-health"]
    assert (licence.valid_to - DAY).days == demo.HOTEL_LICENCE_DAYS_LEFT
    assert registry.business(demo.ARCADE_USCC).dishonest
    assert registry.business(demo.YUBEI_USCC).district_code != HallSettings().district_code
    assert [b.uscc for b in registry.businesses_for_person(demo.ZHANG_WEI)] == [demo.BARBER_USCC]
    assert registry.businesses_for_person(demo.LI_NA) == []
    assert (
        registry.business("nope") is None
        and registry.person("nope") is None
        and registry.licences_for("x") == []
    )

"""Spec loading: schema errors name the file and key path; the shipped catalog; the contract item."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from forms.errors import SpecFileError, UnknownServiceError
from forms.loader import catalog_dir, check_catalog, check_spec, load_catalog, load_spec, parse_spec

CONTRACT = catalog_dir() / "public-place-health-permit.yaml"


def contract_data() -> dict:
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str | None = None) -> Path:
    path = tmp_path / f"{name or data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_catalog_loads_and_checks_clean() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 40
    assert check_catalog() == []
    groups = catalog.by_life_event()
    assert {"开办经营", "户籍与居住", "出生", "社保与就业", "医保", "公积金", "证明", "民政"} <= set(groups)
    assert sum(spec.is_bundle for spec in catalog.values()) >= 5
    assert all(rule.basis for spec in catalog.values() for rule in spec.rules)
    assert catalog["birth-bundle"].is_bundle and len(catalog["birth-bundle"].bundle or []) == 4
    with pytest.raises(UnknownServiceError, match="no-such"):
        catalog["no-such"]


def test_contract_fields_and_rules_are_exact() -> None:
    spec = load_catalog()["public-place-health-permit"]
    assert spec.mode == "instant"
    assert spec.field_keys == (
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "is_legal_rep",
        "uscc",
        "business_name",
        "business_address",
        "category",
        "floor_area",
        "staff_count",
        "staff_health_certified",
        "staff_trained",
        "hygiene_manager",
        "has_central_ac",
        "hygiene_report_date",
        "hygiene_report_result",
        "ac_report_date",
    )
    rules = {(r.id, r.severity, r.field) for r in spec.rules}
    assert rules == {
        ("PP-CARD-VALID", "block", "applicant_id_number"),
        ("PP-ADULT", "block", "applicant_id_number"),
        ("PP-DISTRICT", "block", "uscc"),
        ("PP-AREA", "block", "floor_area"),
        ("PP-HEALTH", "block", "staff_health_certified"),
        ("PP-TRAINED", "block", "staff_trained"),
        ("PP-REPORT-PASS", "block", "hygiene_report_result"),
        ("PP-REPORT-FRESH", "block", "hygiene_report_date"),
        ("PP-AC-REPORT", "block", "ac_report_date"),
        ("PP-COUNTS", "block", "staff_count"),
        ("PP-LEGAL-REP", "block", "is_legal_rep"),
        ("PP-AGENT", "review", "is_legal_rep"),
        ("PP-CREDIT", "review", "uscc"),
        ("PP-EXISTING", "warn", "uscc"),
    }
    types = {f.key: f.type for f in spec.fields}
    assert types["applicant_id_number"] == "id_number" and types["uscc"] == "uscc"
    assert types["floor_area"] == "number" and types["staff_count"] == "integer"
    assert len(spec.field("category").options or []) == 25
    assert spec.field("business_name").max_length == 50 and spec.field("business_address").max_length == 70
    assert spec.field("ac_report_date").show_if == "has_central_ac == '是'"
    assert spec.numbering.receipt.format == "{district_code}-{YYYYMMDD}-{kiosk_id}-{seq:04d}"
    assert (
        spec.numbering.licence
        and spec.numbering.licence.format == "{licence_prefix}卫公证字〔{YYYY}〕第{seq:06d}号"
    )
    assert spec.validity and spec.validity.years == 4


def test_unknown_key_is_refused_with_its_path(tmp_path: Path) -> None:
    data = contract_data()
    data["fields"][4]["colour"] = "red"
    data["rules"][0]["severity"] = "fatal"
    data["titel"] = "typo"
    path = write(tmp_path, data)
    with pytest.raises(SpecFileError) as caught:
        load_spec(path)
    text = str(caught.value)
    assert str(path) in text
    assert "fields[4](uscc).colour" in text
    assert "rules[0](PP-CARD-VALID).severity" in text
    assert "titel" in text
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["fields"].append(dict(d["fields"][0])), "field keys repeat: applicant_name"),
        (lambda d: d["rules"][0].update(field="nope"), "unknown field 'nope'"),
        (lambda d: d["fields"][0].update(prefill="card.password"), "unknown prefill source"),
        (lambda d: d["fields"][7].pop("options"), "needs options"),
        (lambda d: d["numbering"]["receipt"].update(format="{district}-{seq}"), "unknown placeholders"),
        (lambda d: d["numbering"]["receipt"].update(format="{district_code}"), "must contain {seq"),
        (lambda d: d.update(mode="maybe"), "mode"),
        (lambda d: d["fields"][9].update(max_length=5), "text and address fields only"),
    ],
)
def test_consistency_errors(change, words: str) -> None:
    data = contract_data()
    change(data)
    with pytest.raises(SpecFileError, match="problem") as caught:
        parse_spec(data, "x.yaml")
    assert any(words in problem for problem in caught.value.problems), caught.value.problems


def test_conditions_are_checked_by_check_spec() -> None:
    data = contract_data()
    data["rules"][3]["condition"] = "floor_aera < hall_shop_area_threshold_m2"
    data["rules"][4]["condition"] = "staff_count <"
    data["rules"][5]["message"] = "少了 {nobody}"
    problems = check_spec(parse_spec(data, "x.yaml"))
    assert any("rules[3](PP-AREA).condition: unknown name(s) floor_aera" in p for p in problems)
    assert any("rules[4](PP-HEALTH).condition" in p and "does not parse" in p for p in problems)
    assert any("rules[5](PP-TRAINED).message: unknown placeholder(s) nobody" in p for p in problems)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\nfields: [\n  - a\n", encoding="utf-8")
    with pytest.raises(SpecFileError, match=r"(?s)broken.yaml.*line 3 column 3: YAML syntax"):
        load_spec(path)


def test_file_name_must_match_id_and_ids_are_unique(tmp_path: Path) -> None:
    data = contract_data()
    write(tmp_path, data, name="other-name")
    problems = check_catalog(tmp_path)
    assert problems == [
        f"{tmp_path / 'other-name.yaml'}: id: 'public-place-health-permit' must equal the file "
        "name 'other-name'"
    ]


def test_check_catalog_gathers_every_file(tmp_path: Path) -> None:
    write(tmp_path, contract_data())
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- 1\n", encoding="utf-8")
    problems = check_catalog(tmp_path)
    assert len(problems) == 2 and all("top level" in p for p in problems)
    with pytest.raises(SpecFileError):
        load_catalog(tmp_path)


def test_a_rule_without_its_basis_does_not_load() -> None:
    data = contract_data()
    del data["rules"][0]["basis"]
    with pytest.raises(SpecFileError) as raised:
        parse_spec(data, "x.yaml")
    assert any("rules[0](PP-CARD-VALID).basis" in problem for problem in raised.value.problems)

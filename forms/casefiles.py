"""YAML test cases for service items, in the style of OpenFisca's YAML tests: inputs -> expected
findings and decision. They live beside the specs in `forms/catalog/tests/<service id>.yaml`:

    service: public-place-health-permit
    cases:
      - name: 张伟的理发店，全部合格，当场发证
        today: 2026-11-21
        card: {name: 张伟, id_number: "500151198503150036"}   # birth date and sex follow from the number
        settings: {shop_area_threshold_m2: 200}              # optional HallSettings overrides
        answers: {staff_count: 3, ...}                       # applied over the prefill, like the screen
        expect:
          decision: approved                                 # approved | accepted | blocked
          findings: []                                       # exact set of rule ids (order ignored)
          includes: [PP-AGENT]  excludes: [PP-CREDIT]        # or just some of them
          values: {business_name: ...}  sources: {uscc: registry}  hidden: [ac_report_date]
          items: {medical-insurance: skipped}                # a bundle's sub-items and their outcomes

The registry is the demo registry (`forms.demo_registry`) as it stands on `registry_day` (default
`today`); `card: null` means
no card was read. `run_case` returns the list of mismatches (empty when the case passes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forms.checksums import id18_kind, id_birth_date
from forms.context import ReviewContext
from forms.decision import decide
from forms.demo_registry import demo_registry
from forms.engine import apply_answers, final_values, prefill, visible_fields
from forms.errors import SpecError, SpecFileError
from forms.loader import Catalog, key_path, read_yaml
from forms.review import check_fields, review
from forms.settings import HallSettings


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Model):
    decision: Literal["approved", "accepted", "blocked"] | None = None
    findings: list[str] | None = None
    includes: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)
    values: dict[str, Any] = Field(default_factory=dict)
    sources: dict[str, Literal["card", "registry", "earlier", "applicant"]] = Field(default_factory=dict)
    locked: list[str] = Field(default_factory=list)
    hidden: list[str] = Field(default_factory=list)
    items: dict[str, str] = Field(default_factory=dict)  # a bundle: sub-item id -> outcome (or skipped)
    error: str | None = None  # the name of a SpecError subclass that applying the answers must raise


class Case(_Model):
    name: str
    today: dt.date
    registry_day: dt.date | None = None  # the day the demo registry is built for (default: today)
    card: dict[str, Any] | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    answers: dict[str, Any] = Field(default_factory=dict)
    earlier: dict[str, Any] | None = None
    expect: Expect


class CaseFile(_Model):
    service: str
    cases: list[Case] = Field(min_length=1)


def load_cases(path: Path | str) -> CaseFile:
    path = Path(path)
    data = read_yaml(path)
    try:
        return CaseFile.model_validate(data)
    except ValidationError as exc:
        problems = [f"{key_path(tuple(e['loc']), data)}: {e['msg']}" for e in exc.errors(include_url=False)]
        raise SpecFileError(str(path), problems) from None


def make_card(data: dict[str, Any] | None) -> Any:
    """An IdCard from a case's partial card: card type, birth date and sex follow from the number."""
    if data is None:
        return None
    from idreader import IdCard

    number = str(data["id_number"])
    full: dict[str, Any] = {
        "card_type": id18_kind(number) if len(number) == 18 else "foreign_2017",
        "valid_from": "2020-01-01",
        "valid_to": "2040-01-01",
        "address": "重庆市铜梁区巴川街道中兴路 88 号",
        "authority": "重庆市公安局铜梁区分局",
    }
    if len(number) == 18 and (born := id_birth_date(number)):
        full["birth_date"] = born.isoformat()
        male = int(number[16]) % 2 == 1
        full["sex"], full["sex_code"] = ("男", "1") if male else ("女", "2")
    full.update({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()})
    full["id_number"] = number
    return IdCard.from_dict(full)


def run_case(case_file: CaseFile, case: Case, catalog: Catalog) -> list[str]:
    """Run one case; the list of what differs from `expect` (empty when it passes)."""
    spec = catalog[case_file.service]
    card = make_card(case.card)
    registry = demo_registry(case.registry_day or case.today)
    context = ReviewContext(case.today, HallSettings(**case.settings), card, registry)
    answers = prefill(spec, card, context.registry, case.today, case.earlier)
    expect = case.expect
    try:
        answers = apply_answers(spec, answers, case.answers, context)
    except SpecError as exc:
        if expect.error == type(exc).__name__:
            return []
        return [f"applying the answers raised {type(exc).__name__}: {exc}"]
    if expect.error:
        return [f"expected {expect.error}, nothing was raised"]
    checkup = check_fields(spec, answers, context)
    findings = review(spec, answers, context, checkup)
    decision = decide(spec, findings, checkup.symbols)
    got = sorted(f.rule for f in findings)
    problems = []
    if expect.decision is not None and decision.outcome != expect.decision:
        problems.append(f"decision {decision.outcome!r}, expected {expect.decision!r} (findings {got})")
    if expect.findings is not None and sorted(expect.findings) != got:
        problems.append(f"findings {got}, expected {sorted(expect.findings)}")
    problems += [f"finding {rule} missing (got {got})" for rule in expect.includes if rule not in got]
    problems += [f"finding {rule} should not fire" for rule in expect.excludes if rule in got]
    values = final_values(spec, answers, context)
    for key, want in expect.values.items():
        have = values.get(key, answers.value(key))
        if isinstance(have, dt.date):
            have = have.isoformat()
        want = want.isoformat() if isinstance(want, dt.date) else want
        if have != want:
            problems.append(f"value of {key} is {have!r}, expected {want!r}")
    for key, source in expect.sources.items():
        answer = answers.get(key)
        have = answer.source.value if answer is not None else None
        if have != source:
            problems.append(f"source of {key} is {have!r}, expected {source!r}")
    outcomes = {item.id: item.outcome for item in decision.items}
    for item_id, want in expect.items.items():
        if outcomes.get(item_id) != want:
            problems.append(f"bundle item {item_id} is {outcomes.get(item_id)!r}, expected {want!r}")
    for key in expect.locked:
        if answers.get(key) is None or not answers[key].locked:
            problems.append(f"{key} should be locked")
    shown = {f.key for f in visible_fields(spec, answers, context)}
    problems += [f"{key} should be hidden" for key in expect.hidden if key in shown]
    return problems


def case_paths(directory: Path) -> list[Path]:
    tests = directory / "tests"
    return sorted(tests.glob("*.yaml")) if tests.is_dir() else []


def run_case_files(directory: Path, catalog: Catalog) -> list[str]:
    """Every failing case in `<directory>/tests/*.yaml`, as 'file: case name: problem' lines."""
    failures = []
    for path in case_paths(directory):
        try:
            case_file = load_cases(path)
        except SpecFileError as exc:
            failures.extend(f"{exc.path}: {p}" for p in exc.problems)
            continue
        if case_file.service not in catalog:
            failures.append(f"{path}: service: unknown service {case_file.service!r}")
            continue
        for case in case_file.cases:
            failures.extend(f"{path}: {case.name}: {p}" for p in run_case(case_file, case, catalog))
    return failures

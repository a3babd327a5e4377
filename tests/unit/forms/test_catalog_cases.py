"""Runs every YAML case beside the specs (forms/catalog/tests/*.yaml), one pytest item per case."""

from __future__ import annotations

import pytest

from forms.casefiles import case_paths, load_cases, run_case
from forms.loader import catalog_dir, load_catalog

CATALOG = load_catalog()
CASES = [
    pytest.param(case_file, case, id=f"{path.stem}::{case.name}")
    for path in case_paths(catalog_dir())
    for case_file in [load_cases(path)]
    for case in case_file.cases
]


def test_every_catalog_item_has_cases() -> None:
    covered = {load_cases(path).service for path in case_paths(catalog_dir())}
    assert covered == set(CATALOG)


@pytest.mark.parametrize(("case_file", "case"), CASES)
def test_case(case_file, case) -> None:
    assert run_case(case_file, case, CATALOG) == []


def test_a_wrong_expectation_is_reported() -> None:
    case_file = load_cases(case_paths(catalog_dir())[0])
    case = case_file.cases[0]
    wrong = case.model_copy(update={"expect": case.expect.model_copy(update={"findings": ["NO-SUCH-RULE"]})})
    problems = run_case(case_file, wrong, CATALOG)
    assert problems and "NO-SUCH-RULE" in problems[0]

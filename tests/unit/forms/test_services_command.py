"""`kiosk services` and `kiosk services check`, driven through a real argparse tree."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import yaml

from forms.loader import catalog_dir, load_catalog
from kiosk.commands import services


def run(argv: list[str]) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path)
    common.add_argument("--data-dir", type=Path)
    parser = argparse.ArgumentParser(prog="kiosk")
    services.register(parser.add_subparsers(dest="command"), common)
    args = parser.parse_args(argv)
    return args.func(args)


def test_list(capsys) -> None:
    assert run(["services"]) == 0
    out = capsys.readouterr().out
    assert "【开办经营】" in out and "public-place-health-permit" in out and "秒批" in out


def test_list_json(capsys) -> None:
    assert run(["services", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in items][:2] == [
        "public-place-health-permit",
        "public-place-health-permit-renewal",
    ]
    bundle = next(item for item in items if item["id"] == "birth-bundle")
    assert bundle["mode"] == "accept" and len(bundle["bundle"]) == 4 and bundle["life_event"] == "出生"


def test_check_shipped_catalog(capsys) -> None:
    assert run(["services", "check"]) == 0
    out = capsys.readouterr().out
    assert f"{len(load_catalog())} service item(s) OK" in out
    summary = re.search(r"items (\d+) .*bundles (\d+), rules (\d+) \((\d+) with a source\), cases (\d+)", out)
    assert summary, out
    items, bundles, rules, sourced, cases = map(int, summary.groups())
    assert items >= 35 and bundles >= 5 and rules == sourced and cases >= items * 3


def test_check_reports_broken_files(tmp_path: Path, capsys) -> None:
    shutil.copy(catalog_dir() / "residence-permit.yaml", tmp_path)
    broken = yaml.safe_load((catalog_dir() / "public-place-health-permit.yaml").read_text(encoding="utf-8"))
    broken["fields"][8]["type"] = "float"
    broken["rules"][2]["condition"] = "uscc[2:8] != hall_district"
    (tmp_path / "public-place-health-permit.yaml").write_text(
        yaml.safe_dump(broken, allow_unicode=True), "utf-8"
    )
    assert run(["services", "check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "public-place-health-permit.yaml: fields[8](floor_area).type" in err
    assert "1 error(s)" in err


def test_check_runs_the_yaml_cases(tmp_path: Path, capsys) -> None:
    shutil.copy(catalog_dir() / "residence-permit.yaml", tmp_path)
    (tmp_path / "tests").mkdir()
    cases = yaml.safe_load((catalog_dir() / "tests" / "residence-permit.yaml").read_text(encoding="utf-8"))
    cases["cases"][0]["expect"]["decision"] = "approved"
    (tmp_path / "tests" / "residence-permit.yaml").write_text(
        yaml.safe_dump(cases, allow_unicode=True), "utf-8"
    )
    assert run(["services", "check", str(tmp_path)]) == 1
    assert "decision 'accepted', expected 'approved'" in capsys.readouterr().err

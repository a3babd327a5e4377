"""Helpers for the end-to-end `kiosk apply` tests: a CLI runner, answer sets dated from the kiosk's today
(the suite's test clock, KIOSK_TODAY: see tests/conftest.py; never the machine's date), card files.

The runner builds the `kiosk` parser the way kiosk.cli.build_parser does, over kiosk.cli.COMMAND_MODULES
plus the commands of this area (jobs, reprint, doctor) until the lead lists them there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import kiosk.cli
from forms import demo_registry as reg
from idreader import demo_cards
from kiosk.app import env_calendar

MODULES = tuple(dict.fromkeys((*kiosk.cli.COMMAND_MODULES, "jobs", "reprint", "doctor")))
REPO = Path(__file__).resolve().parents[3]

#: The day every kiosk of these tests lives on (the test clock the suite sets; a child process inherits it).
TODAY = env_calendar()[0]()

RECEIPT_RE = r"500151-(\d{8})-K01-(\d{4})"
LICENCE_RE = r"铜卫公证字〔(\d{4})〕第(\d{6})号"
FILING_RE = r"YB1500151(\d{4})(\d{5})"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="kiosk")
    subparsers = parser.add_subparsers(dest="command")
    for name in MODULES:
        importlib.import_module(f"kiosk.commands.{name}").register(subparsers, common)
    return parser


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run_cli(capsys) -> Callable[..., Run]:
    """Run `kiosk ARGS...` in-process; return its exit code, stdout and stderr."""

    def run(*argv: object) -> Run:
        args = build_parser().parse_args([str(arg) for arg in argv])
        code = int(args.func(args) or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def kiosk_process(*argv: object, **options: Any) -> subprocess.Popen:
    """`python -m kiosk ARGS...` as a child process (for kill -9 and concurrency)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "kiosk", *map(str, argv)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def base_answers(service: str) -> dict[str, Any]:
    """An answer set that passes every rule of the item for its demo story (dates relative to TODAY)."""
    return {
        "public-place-health-permit": {
            "staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
            "has_central_ac": "否", "hygiene_report_date": days_ago(50), "hygiene_report_result": "合格"},
        "public-place-health-permit-renewal": {
            "staff_count": 6, "staff_health_certified": 6, "staff_trained": 6, "conditions_changed": "否"},
        "food-prepackaged-filing": {
            "scope": "仅销售预包装食品（不含冷藏冷冻食品）", "special_foods": "否", "sells_bulk_or_made": "否",
            "food_safety_manager": "陈家明"},
        "individual-business-registration": {
            "organisation_form": "个人经营", "proposed_name": "铜梁区巴川张记理发店", "business_scope": "理发服务",
            "business_address": "重庆市铜梁区巴川街道中兴路 90 号", "capital": 5, "employees": 2,
            "delivery": "窗口领取"},
        "residence-permit": {
            "residence_since": days_ago(400), "basis": "合法稳定就业", "employer": "铜梁区龙城足浴店",
            "delivery": "窗口领取"},
        "birth-bundle": {
            "applicant_relation": "母亲", "other_parent_name": "张伟", "other_parent_id_number": reg.ZHANG_WEI,
            "child_name": "张小宝", "child_sex": "女", "child_birth_date": days_ago(90),
            "birth_hospital": "铜梁区人民医院", "insure": "是", "delivery": "邮寄（EMS）"},
        **more_base_answers(),
    }[service]


def more_base_answers() -> dict[str, dict[str, Any]]:
    """Answer sets of the items added with issue 15 (one demo story each, see forms.demo_registry)."""
    employee = {"employee_name": "李娜", "employee_id_number": reg.LI_NA, "hire_date": days_ago(11)}
    return {
        "individual-business-change": {"change_item": "经营范围", "new_value": "理发服务；美容服务",
                                       "change_date": days_ago(11), "delivery": "窗口领取"},
        "individual-business-deregistration": {"debts_settled": "是", "taxes_settled": "是", "reason": "停止经营"},
        "food-business-licence": {"scope": "预包装食品和散装食品销售", "staff_count": 2, "staff_health_certified": 2,
                                  "food_safety_manager": "陈家明"},
        "small-catering-registration": {"menu": "面条、抄手", "staff_count": 2, "staff_health_certified": 2,
                                        "has_smoke_purifier": "是"},
        "public-place-health-permit-change": {"change_item": "单位名称", "new_value": "铜梁区悦来客栈"},
        "public-place-health-permit-cancel": {"reason": "停止经营"},
        "business-licence-replacement": {"lost_or_damaged": "遗失", "declared_void": "是", "copies": 1,
                                         "delivery": "窗口领取"},
        "flexible-employment-insurance": {"work_type": "其他灵活就业", "base_level": "60%", "pay_cycle": "按月",
                                          "with_medical": "是"},
        "unemployment-registration": {"left_job_on": days_ago(21), "reason": "劳动合同到期终止", "wants_job": "是",
                                      "wants_training": "否"},
        "unemployment-insurance-benefit": {"last_employer": "重庆金沙游乐有限公司", "left_job_on": days_ago(21),
                                           "reason": "劳动合同到期终止"},
        "social-security-card-replacement": {"reason": "损坏", "bank": "建设银行", "delivery": "窗口领取"},
        "social-insurance-certificate": {"purpose": "子女入学", "months": 24},
        "pension-retirement": {"kind": "正常退休", "retire_on": days_ago(-10)},
        "employment-registration": {**employee, "contract": "固定期限"},
        "employee-insurance-enrolment": {**employee, "wage": 4000, "insurances": "养老、医疗、失业、工伤（全部）"},
        "medical-remote-filing": {"filing_type": "异地长期居住", "destination": "四川省成都市",
                                  "start_date": days_ago(-10)},
        "resident-medical-insurance-enrolment": {"person_type": "未成年人", "grade": "一档",
                                                 "applicant_phone": "13800000000"},
        "maternity-allowance": {"birth_date": days_ago(93), "birth_kind": "顺产"},
        "residence-permit-endorsement": {"still_living": "是", "basis_now": "合法稳定就业"},
        "hukou-certificate": {"purpose": "入学"},
        "housing-fund-deposit-certificate": {"purpose": "购房贷款"},
        "housing-fund-withdrawal-rent": {"monthly_rent": 1200, "married": "未婚"},
        "housing-fund-withdrawal-retirement": {"retire_kind": "退休"},
        "no-criminal-record-certificate": {"purpose": "就业", "receiver": "重庆某物流有限公司"},
        "no-housing-certificate": {"purpose": "人才政策"},
        "disability-card-replacement": {"reason": "遗失", "delivery": "窗口领取"},
        "disability-subsidy": {"subsidy": "重度残疾人护理补贴"},
        "teacher-qualification": {"level": "小学", "subject": "数学", "education": "大学本科", "exam_passed": "是",
                                  "putonghua": "二级乙等", "delivery": "窗口领取"},
        "senior-allowance": {"applicant_kind": "老人本人"},
        "marriage-registration-appointment": {"partner_name": "孙丽", "partner_id_number": reg.SUN_LI,
                                              "appointment_date": days_ago(-10), "slot": "上午 9:00-12:00",
                                              "both_single": "是"},
        "minimum-living-allowance": {"household_size": 2, "monthly_income": 900, "members": "王某",
                                     "reason": "失业"},
        "restaurant-bundle": {"proposed_name": "铜梁区蒲吕陈记面馆", "business_address": "重庆市铜梁区蒲吕街道 8 号",
                              "floor_area": 45, "menu": "面条", "staff_count": 3, "staff_health_certified": 3,
                              "has_smoke_purifier": "是", "wants_sign": "是", "delivery": "窗口领取"},
        "retirement-bundle": {"kind": "正常退休", "retire_on": days_ago(-10)},
        "hiring-bundle": {**employee, "wage": 4000, "pays_fund": "是"},
        "unemployment-bundle": {"last_employer": "重庆金沙游乐有限公司", "left_job_on": days_ago(21),
                                "reason": "劳动合同到期终止", "wants_training": "是"},
    }


def li_na_card() -> dict[str, Any]:
    """李娜 (hukou in 成都, lives in 铜梁; no demo card): an IdCard JSON made from the adult card's layout."""
    card = demo_cards.load("adult").to_dict()
    card.update(name="李娜", sex="女", sex_code="2", birth_date="1990-07-08", id_number=reg.LI_NA,
                address="四川省成都市锦江区春熙路 1 号", authority="成都市公安局锦江区分局", photo_wlt=None)
    return card


@pytest.fixture(scope="session")
def kit():
    """This module's helpers (test files cannot import conftest under --import-mode=importlib)."""
    return sys.modules[__name__]


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("apply")


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def pdf_text(path: Path) -> str:
    """The text of a PDF as poppler's pdftotext extracts it."""
    return subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")

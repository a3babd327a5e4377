"""The kiosk decides with its injected calendar only, so the suite's verdicts do not age.

The demo cards flip on fixed days: the hmt card (陈家明) runs out on 2027-09-01, the demo minor (张小雨,
born 2014-06-18) turns 18 on 2032-06-18. These tests build the kiosk on those days — through the
constructor (`today=`) and through the test clock `KIOSK_TODAY` of a `kiosk apply` child process — and
show the verdicts follow the kiosk's day and nothing else: on the suite's day (tests/conftest.py
TEST_TODAY) they are the ones the other tests expect, on 2027-09-02 and 2032-06-19 they are the flipped
ones, whatever the machine's date is. Before the session took the kiosk's calendar it decided card
validity and age with the machine's date, and a kiosk built on 2027-09-02 still approved the hmt card.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forms import demo_registry as reg
from idreader import demo_cards
from kiosk.app import TEST_TODAY_ENV, Kiosk, env_calendar
from kiosk.config import demo_config
from kiosk.headless import HeadlessApplicant

REPO = Path(__file__).resolve().parents[3]
PP, FD = "public-place-health-permit", "food-prepackaged-filing"
HMT_EXPIRED = dt.date(2027, 9, 2)       # the day after the hmt card's valid_to
MINOR_IS_18 = dt.date(2032, 6, 19)      # the day after the demo minor's 18th birthday
FOOD = {"scope": "仅销售预包装食品（不含冷藏冷冻食品）", "special_foods": "否", "sells_bulk_or_made": "否",
        "food_safety_manager": "陈家明"}
#: The demo minor with a card still valid in 2032 (the real one runs out 2029-03-01), so only the age flips.
MINOR = dataclasses.replace(demo_cards.load("minor"), valid_to=dt.date(2034, 3, 1))


def health_answers(day: dt.date) -> dict[str, object]:
    """张小雨 asks for her parent's barber shop: every answer that does not depend on her age is fine."""
    return {"staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
            "has_central_ac": "否", "hygiene_report_date": (day - dt.timedelta(days=50)).isoformat(),
            "hygiene_report_result": "合格", "uscc": reg.BARBER_USCC, "applicant_phone": "13800000000"}


def verdicts(data_dir: Path, day: dt.date) -> dict[str, tuple[str, set[str]]]:
    with Kiosk.build(demo_config(data_dir), today=lambda: day) as kiosk:
        food = HeadlessApplicant(kiosk, pdfs=False, print_wait=0).apply(FD, demo_cards.load("hmt"), FOOD)
        health = HeadlessApplicant(kiosk, pdfs=False, print_wait=0).apply(PP, MINOR, health_answers(day))
    return {name: (result.decision, {f["rule"] for f in result.findings})
            for name, result in (("hmt", food), ("minor", health))}


def test_the_suite_lives_on_one_day(today):
    assert os.environ[TEST_TODAY_ENV] == today.isoformat()
    assert env_calendar()[0]() == today and env_calendar()[1]().date() == today
    assert today < HMT_EXPIRED and today < MINOR_IS_18  # the suite's verdicts are the ones before the flips


@pytest.mark.parametrize(("day", "hmt", "minor"), [
    (dt.date(2026, 11, 21), ("approved", set()), ("blocked", {"PP-ADULT", "PP-AGENT"})),
    (HMT_EXPIRED, ("blocked", {"FD-CARD-VALID"}), ("blocked", {"PP-ADULT", "PP-AGENT"})),
    (MINOR_IS_18, ("blocked", {"FD-CARD-VALID"}), ("accepted", {"PP-AGENT"})),
], ids=["suite-day", "2027-09-02", "2032-06-19"])
def test_verdicts_follow_the_kiosks_day_not_the_machines(tmp_path, day, hmt, minor):
    assert verdicts(tmp_path / "data", day) == {"hmt": hmt, "minor": minor}


def kiosk_apply(data_dir: Path, answers: Path, *extra_env: tuple[str, str]) -> dict:
    env = {**os.environ, **dict(extra_env)}
    done = subprocess.run([sys.executable, "-m", "kiosk", "apply", "--data-dir", str(data_dir), "--service", FD,
                           "--card", "hmt", "--answers", str(answers), "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_kiosk_today_is_the_test_clock_of_a_whole_command(tmp_path, today):
    answers = tmp_path / "food.json"
    answers.write_text(json.dumps(FOOD, ensure_ascii=False), encoding="utf-8")
    on_suite_day = kiosk_apply(tmp_path / "a", answers)  # inherits the suite's KIOSK_TODAY
    assert (on_suite_day["decision"], on_suite_day["findings"]) == ("approved", [])
    assert on_suite_day["receipt_no"].split("-")[1] == today.strftime("%Y%m%d")
    expired = kiosk_apply(tmp_path / "b", answers, (TEST_TODAY_ENV, HMT_EXPIRED.isoformat()))
    assert expired["decision"] == "blocked" and {f["rule"] for f in expired["findings"]} == {"FD-CARD-VALID"}


def test_the_test_clock_names_one_day_or_is_refused():
    day, now = env_calendar({TEST_TODAY_ENV: MINOR_IS_18.isoformat()})
    assert day() == MINOR_IS_18 and now().date() == MINOR_IS_18
    with pytest.raises(ValueError, match="KIOSK_TODAY='next tuesday' is not a YYYY-MM-DD date"):
        env_calendar({TEST_TODAY_ENV: "next tuesday"})
    machine_today, machine_now = env_calendar({})
    assert (machine_today, machine_now) == (dt.date.today, dt.datetime.now)  # unset: the machine's own clock

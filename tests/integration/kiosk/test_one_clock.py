"""Decide once, with one clock: the kiosk's clock (kiosk.clock) fixes the day of the session, the
numbers, the licence term and the expected completion date. Before, `Kiosk(today=...)` fixed only the
demo registry and pre-review while the record took the machine's date (a second clock)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from forms.numbering import expected_completion
from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.headless import HeadlessApplicant

ROOT = Path(__file__).resolve().parents[3]
PP = "public-place-health-permit"
DAY = dt.date(2026, 11, 21)  # not the machine's date: the demo answers' report (2026-10-15) is a month old


def test_the_kiosk_clock_decides_the_day_of_everything(tmp_path: Path) -> None:
    answers = json.loads((ROOT / "assets/demo/answers" / f"{PP}.json").read_text(encoding="utf-8"))
    with Kiosk.build(demo_config(tmp_path / "data"), today=lambda: DAY) as kiosk:
        assert kiosk.new_session().today() == DAY
        applicant = HeadlessApplicant(kiosk, pdfs=False, print_wait=0)
        result = applicant.apply(PP, demo_cards.load("adult"), answers)
        issued = applicant.runner.issued(applicant.session.state.saved.application_id)
    assert result.decision == "approved"
    assert result.receipt_no.startswith("500151-20261121-K01-")
    assert result.licence_no.startswith("铜卫公证字〔2026〕")
    issue = issued.issue
    assert (issue.day, issue.valid_from, issue.valid_to) == (DAY, DAY, dt.date(2030, 11, 20))
    # the 受理回执's date and the result screen's (bridge._outcome_line) are the same one formula
    assert issue.expected_completion == expected_completion(issue.spec, DAY) == DAY + dt.timedelta(
        days=issue.spec.processing_days)

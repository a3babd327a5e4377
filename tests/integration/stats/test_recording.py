"""What feeds the statistics: a visit that ends keeps its row (with the last outcome and pre-review findings
shown) in the same transaction as the hall's step_stats event; a 好差评 grade keeps its row with its audit."""

from __future__ import annotations

import datetime as dt

from forms.review import Finding
from kiosk.config import demo_config
from kiosk.effect_runner import EffectRunner
from kiosk.services.app_services import AppServices
from kiosk.session import RecordRating, WipePersonalData
from kiosk.sync import outbox
from kiosk.terminal_stats import terminal_statistics

NOON = dt.datetime(2026, 11, 21, 12, 0)
IB = "business-licence"


def test_a_blocked_visit_is_kept_with_its_findings(tmp_path):
    services = AppServices(demo_config(tmp_path / "k"), now=lambda: NOON)
    try:
        block = Finding("age_18", "age", "block", "申请人未满18周岁")
        services.screen_shown("start")
        services.screen_shown("card", IB)
        services.screen_shown("form", IB)
        services.screen_shown("prereview", IB, outcome=None, findings=(block,))
        services.screen_shown("form", IB, outcome="blocked", findings=(block,))
        services.execute(WipePersonalData())
        [row] = services.store.select("SELECT * FROM visits")
        assert row["outcome"] == "blocked" and row["finished"] == 0 and row["abandoned_at"] == "form"
        assert '"age_18"' in row["findings"] and row["service"] == IB
        [event] = outbox.unsent(services.store, max_events=10, max_bytes=10**6)
        assert event.kind == "step_stats" and event.body["session_id"] == row["session_id"]
        assert "outcome" not in event.body, "the hall's body keeps the wire contract"
        report = terminal_statistics(services.store, until=services.store.now(), days=1)
        assert report.totals.blocked == 1 and report.findings[0].rule == "age_18"
    finally:
        services.close()


def test_a_rating_is_kept_with_its_audit_row(tmp_path):
    services = AppServices(demo_config(tmp_path / "k"), now=lambda: NOON)
    try:
        EffectRunner(services.kiosk).execute(RecordRating(None, IB, 4, ""))
        [row] = services.store.select("SELECT service, stars, application_id FROM ratings")
        assert row == {"service": IB, "stars": 4, "application_id": None}
        assert services.store.verify_audit().ok
    finally:
        services.close()

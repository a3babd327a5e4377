"""The technician panel's statistics and audit pages offscreen, over a kiosk database seeded through the
store's own API: the bars per day and item, the funnel, the findings and grades; the CSV export (said
where it goes, then written); the audit entries filtered by kind and by typed text, the chain check
(intact, then broken by an edit made outside the kiosk); no full ID number on either page."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ui.test_technician import unlock

from kiosk.terminal_stats import record_rating, record_visit

PP, BL = "public-place-health-permit", "business-licence"
ID_NUMBER = "110101199003078888"


def seed(store) -> None:
    store.add_application(service=PP, state="submitted", decision="approved", answers={}, receipt_no="R1",
                          applicant_id_number=ID_NUMBER, applicant_name="李娜")
    store.add_application(service=BL, state="submitted", decision="accepted", answers={}, receipt_no="R2")
    steps = [{"step": "card", "seconds": 20}, {"step": "form", "seconds": 100}, {"step": "printing", "seconds": 30}]
    record_visit(store, {"session_id": "a", "service": PP, "finished": True, "steps": steps}, outcome="approved")
    record_visit(store, {"session_id": "b", "service": BL, "finished": False, "abandoned_at": "form",
                         "steps": steps[:2]}, outcome="blocked",
                 findings=[{"rule": "age_18", "severity": "block", "message": "申请人未满18周岁"}])
    record_visit(store, {"session_id": "c", "service": BL, "finished": False, "abandoned_at": "card",
                         "steps": steps[:1]})
    record_rating(store, service=PP, stars=5, application_id=1)
    store.append_audit("panel.note", f"card {ID_NUMBER}", {"id": ID_NUMBER})  # written masked


def shot(ui, name: str, tmp_path: Path) -> None:
    """A screenshot in the test's folder, and in KIOSK_SHOTS when set (to look at)."""
    ui.settle()
    ui.grab(str(tmp_path / name))
    assert (tmp_path / name).stat().st_size > 10_000
    shots = os.environ.get("KIOSK_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        ui.grab(str(Path(shots) / name))


def test_the_statistics_page_draws_the_terminals_figures_and_exports_them(kiosk_ui, services, monkeypatch, tmp_path):
    monkeypatch.setattr("kiosk.services.statistics.USB_ROOTS", ())  # no stick: the data dir's exports folder
    seed(services.store)
    ui = kiosk_ui
    unlock(ui)
    shot(ui, "tech-panel.png", tmp_path)
    ui.click("techTab_stats")
    ui.item("techStatsPage")
    ui.wait_until(lambda: "办件 2" in ui.text("statsSummary"), what="the statistics")
    stats = ui.ui.engine.rootContext().contextProperty("techStats")
    model = stats.model
    assert "秒批 1 / 受理 1" in model["summary"] and "未通过预审离开 1" in model["summary"]
    assert [item["service"] for item in model["items"]][:2] in ([PP, BL], [BL, PP])
    assert ui.exists("statsItem_0") and ui.exists("statsItem_1")
    assert ui.exists("statsFunnel_card") and ui.exists("statsFinding_0")
    assert "申请人未满18周岁" in ui.item("statsFinding_0").property("label")
    assert "平均 5.00 星" in ui.text("statsAverage")
    exports = services.kiosk.data_dir / "exports"
    assert str(exports) in ui.text("statsExportTarget"), "where the CSV goes is said before the tap"
    shot(ui, "tech-stats.png", tmp_path)
    ui.click("statsDays_7")
    ui.wait_until(lambda: stats.days == 7 and not stats.busy and len(stats.model["days"]) == 7, what="7 days")
    ui.click("statsExport")
    ui.wait_until(lambda: "已导出" in ui.text("statsExportText"), what="the export")
    [csv_file] = exports.glob("kiosk-stats-*.csv")
    text = csv_file.read_bytes().decode("utf-8-sig")
    assert text.startswith("日期,事项编码") and ID_NUMBER not in text and "李娜" not in text
    assert str(csv_file) in ui.text("statsExportText")
    shot(ui, "tech-stats-exported.png", tmp_path)
    ui.click("statsClose")
    ui.wait_until(lambda: not ui.exists("techStatsPage"), what="the page closed")
    ui.item("techPanel")


def test_the_audit_page_filters_and_checks_the_chain(kiosk_ui, services, tmp_path):
    seed(services.store)
    ui = kiosk_ui
    unlock(ui)
    ui.click("techTab_audit")
    ui.item("techAuditPage")
    audit = ui.ui.engine.rootContext().contextProperty("techAudit")
    ui.wait_until(lambda: not audit.busy and len(audit.rows) >= 3, what="the audit entries")
    events = [row["event"] for row in audit.rows]
    assert "application.saved" in events and "panel.note" in events
    assert audit.rows[0]["id"] > audit.rows[-1]["id"], "newest first"
    shown = " ".join(f"{row['subject']} {row['detail']}" for row in audit.rows)
    assert ID_NUMBER not in shown, "no full ID number on the page"
    ui.click("auditKind_application.saved")
    ui.wait_until(lambda: not audit.busy and audit.kind == "application.saved", what="the kind filter")
    assert {row["event"] for row in audit.rows} == {"application.saved"} and len(audit.rows) == 2
    ui.click("auditClear")
    ui.wait_until(lambda: not audit.busy and audit.kind == "" and "panel.note" in
                  [row["event"] for row in audit.rows], what="all entries again")
    ui.type_into("auditFilter", "R2")
    ui.click("auditSearch")
    ui.wait_until(lambda: not audit.busy and audit.text == "R2", what="the text filter")
    assert audit.rows and all("R2" in f"{row['subject']} {row['detail']}" for row in audit.rows)
    ui.click("auditVerify")
    ui.wait_until(lambda: audit.chainState == "ok", what="the chain check")
    assert "审计链完好" in ui.text("auditChainText")
    shot(ui, "tech-audit.png", tmp_path)

    with sqlite3.connect(services.store.path) as conn:  # someone with a SQLite shell edits a row
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET detail = '{}' WHERE id = 1")
    conn.close()
    ui.click("auditVerify")
    ui.wait_until(lambda: audit.chainState == "broken", what="the broken chain")
    assert "审计链损坏" in ui.text("auditChainText") and "row 1" in ui.text("auditChainText")
    shot(ui, "tech-audit-broken.png", tmp_path)
    ui.click("auditClose")
    ui.wait_until(lambda: not ui.exists("techAuditPage"), what="the page closed")

"""Every print job the kiosk makes is in the audit log with its digest: the session's automatic copy of a
failed slip and the lookup screen's 补打 copy keep `kiosk audit verify` at exit 0 (before, each copy was
unaudited and would be reported as queued behind the kiosk's back)."""

from __future__ import annotations

from idreader import demo_cards
from kiosk.config import demo_config
from kiosk.headless import HeadlessApplicant
from kiosk.services.app_services import AppServices
from kiosk.session.effects import SubmitPrint

PP = "public-place-health-permit"
DEAD = "tcp://127.0.0.1:9?timeout=0.5"  # discard port: nothing listens, the job fails


def test_the_sessions_copy_of_a_failed_slip_is_audited(kit, tmp_path):
    services = AppServices(demo_config(tmp_path / "data"))
    try:
        applicant = HeadlessApplicant(services.kiosk, print_wait=5, pdfs=False, printer=DEAD)
        result = applicant.apply(PP, demo_cards.load("adult"), kit.base_answers(PP))
        assert result.print["status"] == "failed"
        saved = applicant.session.state.saved
        applicant.runner.execute(SubmitPrint(saved.application_id, result.receipt_no, result.licence_no,
                                             "approved", 2, saved.print_job_id))  # 重试打印: the failed job is copied
        store = services.kiosk.store
        assert [row["event"] for row in store.audit_rows()][-1] == "print.reprinted"
        assert store.verify_audit().print_jobs_checked == 2
        assert store.verify_audit().ok

        answer = services.reprint_for_holder(result.receipt_no, demo_cards.load("adult"))  # 扫码查询·补打
        assert answer.job_id is not None
        report = store.verify_audit()
        assert report.ok and report.print_jobs_checked == 3, report.reason
    finally:
        services.close()

"""Retention: blank the personal fields of applications older than the retention period.

Kept: id, service, state, decision, receipt and licence numbers, dates, and the findings' rule ids,
fields and severities (statistics). Blanked: answers, finding messages, applicant name, masked ID,
ID-number lookup hash, delivery (address, phone), the paperwork snapshot the PDFs are made from.
Every file holding personal data is registered in `documents` (PDFs, slip captures and previews);
those inside the data dir are deleted (their path is blanked, kind and SHA-256 kept); files
elsewhere are left and reported. Print jobs of those applications that are finished (done or
failed) lose their payload (the slip's bytes), through the print queue's writes
(printers.queue_rows). One audit row records each purge, with the new digest of every application
and print job it changed. `dry_run` reports what would change and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.store.audit_records import record_name
from kiosk.store.store import Store
from printers import queue_rows

_KEPT_FINDING_KEYS = ("rule", "field", "severity")


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed: the cutoff, the applications and files."""

    cutoff: str
    application_ids: list[int]
    files_removed: list[str] = field(default_factory=list)
    files_left: list[str] = field(default_factory=list)
    print_jobs_blanked: int = 0
    dry_run: bool = False


def purge_expired(store: Store, retention_days: int, *, data_dir: Path | None = None,
                  dry_run: bool = False) -> PurgeReport:
    """Purge applications created more than `retention_days` ago (by the store's clock)."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    cutoff = (store.now() - dt.timedelta(days=retention_days)).astimezone(dt.UTC)
    cutoff_iso = cutoff.isoformat(timespec="microseconds")
    data_root = Path(data_dir).resolve() if data_dir is not None else store.path.parent.resolve()
    with store.transaction():
        conn = store.db.conn
        rows = conn.execute("SELECT id, findings, receipt_no, licence_no FROM applications "
                            "WHERE created_at < ? AND purged_at IS NULL ORDER BY id",
                            (cutoff_iso,)).fetchall()
        ids = [row[0] for row in rows]
        documents = []
        for app_id in ids:
            documents += conn.execute("SELECT id, path FROM documents "
                                      "WHERE application_id = ? AND path != ''",
                                      (app_id,)).fetchall()
        inside, outside = [], []
        for doc_id, path in documents:
            resolved = Path(path).resolve()
            (inside if resolved.is_relative_to(data_root) else outside).append((doc_id, path))
        references = [number for row in rows for number in (row[2], row[3]) if number]
        jobs = 0
        for reference in references:
            jobs += conn.execute("SELECT COUNT(*) FROM print_jobs WHERE reference = ? AND state IN "
                                 "('done', 'failed') AND length(payload) > 0", (reference,)).fetchone()[0]
        report = PurgeReport(cutoff_iso, ids, [p for _, p in inside], [p for _, p in outside], jobs, dry_run)
        if dry_run or not ids:
            return report
        now = store.now_iso()
        job_ids = queue_rows.finished_job_ids(conn, references)
        changed = ([record_name("application", app_id) for app_id in ids]
                   + [record_name("print_job", job_id) for job_id in job_ids])
        before = {name: store.record_digest(name) for name in changed}
        for app_id, findings, _, _ in rows:
            kept = [{key: f.get(key) for key in _KEPT_FINDING_KEYS} for f in json.loads(findings)]
            conn.execute("UPDATE applications SET answers = '{}', findings = ?, applicant_name = NULL, "
                         "applicant_id_masked = NULL, id_number_hash = NULL, delivery = NULL, purged_at = ?, "
                         "updated_at = ? WHERE id = ?",
                         (json.dumps(kept, ensure_ascii=False), now, now, app_id))
            conn.execute("UPDATE paperwork SET context = '' WHERE application_id = ?", (app_id,))
        for doc_id, _ in inside:
            conn.execute("UPDATE documents SET path = '' WHERE id = ?", (doc_id,))
        queue_rows.blank_payloads(conn, job_ids, now)  # the print queue's write, in this transaction
        store.append_audit("retention.purged", "applications", {
            "cutoff": cutoff_iso, "retention_days": retention_days, "applications": len(ids),
            "first_id": ids[0], "last_id": ids[-1], "files_removed": len(inside), "print_jobs_blanked": jobs},
            records=changed, before=before)
    # Files go only after the rows that point at them are committed as blank.
    for _, path in inside:
        Path(path).unlink(missing_ok=True)
    return report

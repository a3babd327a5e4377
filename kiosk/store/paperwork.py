"""The `paperwork` table: what each committed application puts on paper, and which files it has.

    add_paperwork(store, app_id, kinds, context_json)      # inside the decision's transaction
    stored = paperwork_for(store, app_id)                   # (kinds, context JSON) or None
    missing_documents(store)                                # applications short of a registered PDF

The context JSON (forms.documents.snapshot) holds personal data like `applications.answers`;
retention blanks it (`kiosk purge`) together with the application's other personal fields.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.store.business_codes import index_permit
from kiosk.store.records import DocumentRecord
from kiosk.store.store import Store


@dataclass(frozen=True)
class StoredPaperwork:
    """One application's paper: the document kinds in order and the snapshot ('' once purged)."""

    application_id: int
    number: str
    kinds: tuple[str, ...]
    context: str


def add_paperwork(store: Store, application_id: int, kinds: Sequence[str], context: str) -> None:
    """Record the application's documents and their input (in the current transaction, or its own)."""
    with store.transaction():
        store.db.conn.execute(
            "INSERT INTO paperwork (application_id, kinds, context, created_at) VALUES (?, ?, ?, ?)",
            (application_id, json.dumps(list(kinds)), context, store.now_iso()))
        index_permit(store.db.conn, application_id, context)  # for 一码通行 (kiosk.onecode)


_SELECT = ("SELECT p.application_id, COALESCE(a.licence_no, a.receipt_no, '') AS number, p.kinds, p.context "
           "FROM paperwork p JOIN applications a ON a.id = p.application_id ")


def paperwork_for(store: Store, application_id: int) -> StoredPaperwork | None:
    rows = store.select(_SELECT + "WHERE p.application_id = ?", (application_id,))
    return _paperwork(rows[0]) if rows else None


def missing_documents(store: Store, up_to_id: int | None = None, after_id: int = 0) -> list[StoredPaperwork]:
    """Applications (not purged) with a document kind that has no registered file; by id."""
    rows = store.select(
        _SELECT + "WHERE a.purged_at IS NULL AND p.context != '' AND p.application_id <= ? "
        "AND p.application_id > ? AND EXISTS ("
        "SELECT 1 FROM json_each(p.kinds) k WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE "
        "d.application_id = p.application_id AND d.kind = k.value AND d.path != '')) "
        "ORDER BY p.application_id", (up_to_id if up_to_id is not None else 2**62, after_id))
    return [_paperwork(row) for row in rows]


def live_paperwork(store: Store, up_to_id: int | None = None) -> list[StoredPaperwork]:
    """Every application (not purged) that has a snapshot, by id."""
    rows = store.select(_SELECT + "WHERE a.purged_at IS NULL AND p.context != '' AND p.application_id <= ? "
                        "ORDER BY p.application_id", (up_to_id if up_to_id is not None else 2**62,))
    return [_paperwork(row) for row in rows]


def registered_documents(store: Store, after_id: int = 0) -> list[DocumentRecord]:
    """Every document row that still names a file (purged ones have an empty path), of the applications
    after `after_id`."""
    return [DocumentRecord(**row) for row in store.select(
        "SELECT * FROM documents WHERE path != '' AND application_id > ? ORDER BY id", (after_id,))]


def unregister_documents(store: Store, document_ids: Sequence[int]) -> None:
    """Blank the path of document rows whose file was never written (kind and SHA-256 stay)."""
    with store.transaction():
        store.db.conn.executemany("UPDATE documents SET path = '' WHERE id = ?", [(i,) for i in document_ids])


def last_application_id(store: Store) -> int:
    rows = store.select("SELECT COALESCE(MAX(id), 0) AS id FROM applications")
    return int(rows[0]["id"])


def applications_without_paperwork(store: Store) -> int:
    """Committed applications recorded before snapshots existed (their PDFs cannot be made again)."""
    rows = store.select("SELECT COUNT(*) AS n FROM applications a WHERE a.purged_at IS NULL AND a.decision IN "
                        "('approved', 'accepted') AND NOT EXISTS "
                        "(SELECT 1 FROM paperwork p WHERE p.application_id = a.id)")
    return int(rows[0]["n"])


def _paperwork(row: dict) -> StoredPaperwork:
    return StoredPaperwork(row["application_id"], row["number"], tuple(json.loads(row["kinds"])), row["context"])

"""The kiosk's storage: one SQLite file (sqlite-utils, WAL) with numbered migrations.

`Store.open(data_dir)` opens `<data_dir>/kiosk.db`. Tables: applications, documents, print_jobs
(schema pinned by printers.queue_schema), counters, audit (append-only, HMAC-chained with keys/audit.key),
registry (kind, key, JSON data), meta, lockouts (failed attempts that survive a restart: pin_attempts),
paperwork (what each application's PDFs are made from), outbox / hall_status / sync_state /
staff_call_acks (the hall sync, kiosk.sync), schema_migrations. `purge_expired` applies the
retention setting.
"""

from kiosk.store.audit import AuditReport
from kiosk.store.errors import (
    DatabaseDamagedError,
    DataDirNotWritable,
    DataDirUnusable,
    DiskFullError,
    DuplicateNumberError,
    MigrationError,
    NotInTransactionError,
    StoreError,
)
from kiosk.store.records import ApplicationRecord, DocumentRecord
from kiosk.store.retention import PurgeReport, purge_expired
from kiosk.store.store import DB_FILE_NAME, Store

__all__ = [
    "DB_FILE_NAME", "ApplicationRecord", "AuditReport", "DataDirNotWritable", "DataDirUnusable",
    "DatabaseDamagedError", "DiskFullError", "DocumentRecord", "DuplicateNumberError",
    "MigrationError", "NotInTransactionError", "PurgeReport", "Store", "StoreError", "purge_expired",
]

"""Numbered schema migrations of the kiosk database, applied in order, each exactly once.

`schema_migrations(version, name, applied_at)` records what ran. `apply_migrations(db)` runs every
missing step, each inside its own `BEGIN IMMEDIATE` transaction together with its record, so two
processes opening the same new file at once cannot both run a step, and a crash mid-step leaves the
step not applied. Opening an up-to-date database changes nothing. To change the schema, append a
function to MIGRATIONS; never edit a step that has shipped. A step gets the database and a
`MigrationContext` (the audit key, for the step that keys the audit log).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.store import audit
from kiosk.store.errors import MigrationError
from printers import queue_schema
from printers.sqlite_lib import Database  # sqlite-utils imported only when a migration runs (issue 17)

#: How many records one `audit.baseline` row of migration 5 records.
BASELINE_CHUNK = 500


@dataclass(frozen=True)
class MigrationContext:
    """What a step may need besides the database."""

    audit_key: bytes | None = None


def _m001_initial(db: Database) -> None:
    db.execute("""
        CREATE TABLE applications (
            id INTEGER PRIMARY KEY,
            service TEXT NOT NULL,
            state TEXT NOT NULL,
            decision TEXT,
            answers TEXT NOT NULL DEFAULT '{}',
            findings TEXT NOT NULL DEFAULT '[]',
            receipt_no TEXT,
            licence_no TEXT,
            applicant_name TEXT,
            applicant_id_masked TEXT,
            id_number_hash TEXT,
            delivery TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            decided_at TEXT,
            purged_at TEXT
        )""")
    db.execute("CREATE UNIQUE INDEX idx_applications_receipt_no ON applications(receipt_no)")
    db.execute("CREATE UNIQUE INDEX idx_applications_licence_no ON applications(licence_no)")
    db.execute("CREATE INDEX idx_applications_id_number_hash ON applications(id_number_hash)")
    db.execute("CREATE INDEX idx_applications_created_at ON applications(created_at)")
    db.execute("""
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            application_id INTEGER NOT NULL REFERENCES applications(id),
            kind TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX idx_documents_application_id ON documents(application_id)")
    db.execute("CREATE TABLE counters (sequence_key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    db.execute("""
        CREATE TABLE registry (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        )""")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    queue_schema.ensure_schema(db)


def _m002_audit(db: Database) -> None:
    db.execute("""
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""")
    # Append-only inside the program; the hash chain catches anyone who edits the file directly.
    db.execute("""CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                  BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END""")
    db.execute("""CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                  BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END""")


def _m003_lockouts(db: Database) -> None:
    # Failed attempts that must survive a restart (the technician PIN: kiosk.store.pin_attempts), one
    # row per gate: the count in a row and the wall-clock time (Unix seconds) of the last failure.
    db.execute("""
        CREATE TABLE lockouts (
            name TEXT PRIMARY KEY,
            failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
            last_failure_at REAL,
            updated_at TEXT NOT NULL
        )""")


def _m004_paperwork(db: Database) -> None:
    # What each committed application puts on paper (forms.documents.snapshot JSON), written in the
    # decision's transaction: its PDFs can be made again after a crash (`kiosk documents`, doctor).
    db.execute("""
        CREATE TABLE paperwork (
            application_id INTEGER PRIMARY KEY REFERENCES applications(id),
            kinds TEXT NOT NULL,
            context TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""")


def _m005_keyed_audit(db: Database, context: MigrationContext) -> None:
    """Key the audit log (HMAC-SHA256 with the key in keys/audit.key) and tie the tables to it.

    Adds `audit.digests`. An old unkeyed chain is checked once with its own rules (SHA-256, head in
    `meta`), then every old row gets its MAC in place (same order, same ids), and a keyed `audit.keyed`
    row records how many rows were carried over, whether the old chain was intact (if not, the first bad
    row and why: `kiosk audit verify` keeps reporting it) and its last unkeyed hash. `audit.baseline`
    rows record the digest of every application and print job as they stand now: edits made before this
    migration cannot be told apart from the kiosk's own writes, edits after it can.
    """
    conn = db.conn
    conn.execute("ALTER TABLE audit ADD COLUMN digests TEXT NOT NULL DEFAULT '[]'")
    columns = ("id", "at", "event", "subject", "detail", "digests", "prev_hash", "hash")
    cursor = conn.execute(f"SELECT {', '.join(columns)} FROM audit ORDER BY id")
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    applications = conn.execute("SELECT * FROM applications ORDER BY id")
    app_names = [column[0] for column in applications.description]
    apps = [dict(zip(app_names, row, strict=True)) for row in applications.fetchall()]
    job_cursor = conn.execute("SELECT * FROM print_jobs ORDER BY id")
    job_names = [column[0] for column in job_cursor.description]
    jobs = [dict(zip(job_names, row, strict=True)) for row in job_cursor.fetchall()]
    if not (rows or apps or jobs):
        return
    key = context.audit_key
    if key is None:
        raise MigrationError("migration 5 (keyed audit log) needs the audit key; open the database with "
                             "Store.open(data_dir)")
    head_row = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    legacy_head = None
    if head_row:
        head_id, _, head_hash = head_row[0].partition(":")
        legacy_head = (int(head_id), head_hash) if head_id.isdigit() else (0, "")
    legacy = audit.verify_legacy_chain(rows, legacy_head)
    legacy_last_hash = rows[-1]["hash"] if rows else None
    prev = audit.GENESIS_HASH
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = prev = audit.row_mac(key, row)
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", (row["prev_hash"], prev, row["id"]))
    conn.execute("""CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END""")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    next_id = (rows[-1]["id"] + 1) if rows else 1

    def append(event: str, detail: dict, digests: list) -> None:
        nonlocal prev, next_id
        row = {"id": next_id, "at": now, "event": event, "subject": "migration 5",
               "detail": audit.canonical_json(detail), "digests": audit.canonical_json(digests),
               "prev_hash": prev}
        row["hash"] = prev = audit.row_mac(key, row)
        conn.execute(f"INSERT INTO audit ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                     tuple(row[name] for name in columns))
        next_id += 1

    append("audit.keyed", {"legacy_rows": len(rows), "legacy_chain_ok": legacy.ok,
                           "legacy_first_bad": legacy.first_bad_id, "legacy_reason": legacy.reason,
                           "legacy_last_hash": legacy_last_hash}, [])
    records = ([["application", app] for app in apps] + [["print_job", job] for job in jobs])
    for part, start in enumerate(range(0, len(records), BASELINE_CHUNK), start=1):
        chunk = records[start:start + BASELINE_CHUNK]
        digests = [[f"{kind}:{row['id']}", None, audit.record_digest(key, kind, row)] for kind, row in chunk]
        append("audit.baseline", {"part": part, "records": len(chunk)}, digests)
    conn.execute("DELETE FROM meta WHERE key = 'audit_head'")  # the head now lives in keys/audit.head


def _m006_sync(db: Database) -> None:
    # The kiosk -> hall outbox (kiosk.sync): one row per event the hall must know, written in the SAME
    # transaction as the change it reports; `sent_at` is set only for ids the hall answered it holds.
    # `ready` = 0 while an application's PDFs are not yet registered (their bytes join the body in the
    # transaction that registers them, kiosk.sync.outbox.attach_documents); `dead` = the hall rejected
    # the body as malformed (kept, shown by `kiosk sync` and doctor, never resent by itself).
    db.execute("""
        CREATE TABLE outbox (
            event_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            body TEXT NOT NULL,
            bytes INTEGER NOT NULL DEFAULT 0,
            application_id INTEGER,
            ready INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            dead INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("CREATE INDEX idx_outbox_unsent ON outbox(created_at) WHERE sent_at IS NULL")
    db.execute("CREATE INDEX idx_outbox_application ON outbox(application_id)")
    # The hall's answers (heartbeat replies): the status of this kiosk's applications on the hall.
    db.execute("""
        CREATE TABLE hall_status (
            number TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            outcome TEXT,
            notice TEXT,
            pickup TEXT,
            updated_at TEXT,
            received_at TEXT NOT NULL
        )""")
    # One row: the hall's change cursor for this kiosk, the last good exchange and the last fault.
    db.execute("""
        CREATE TABLE sync_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            cursor INTEGER NOT NULL DEFAULT 0,
            last_ok_at TEXT,
            last_error TEXT,
            last_error_at TEXT,
            clock_skew_s REAL,
            modules TEXT
        )""")
    db.execute("INSERT INTO sync_state (id, cursor) VALUES (1, 0)")
    db.execute("""
        CREATE TABLE staff_call_acks (
            call_id TEXT PRIMARY KEY,
            by_name TEXT NOT NULL,
            at TEXT,
            received_at TEXT NOT NULL
        )""")


def _m007_material_pages(db: Database) -> None:
    # Paper materials photographed with the document camera (kiosk.material_pages): one row per page,
    # its PNG a registered file in `documents` (kind material_page), so retention deletes it with the
    # application's other files. The row keeps only the material's name and the page's size.
    db.execute("""
        CREATE TABLE material_pages (
            id INTEGER PRIMARY KEY,
            application_id INTEGER NOT NULL REFERENCES applications(id),
            material TEXT NOT NULL,
            page_no INTEGER NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (application_id, material, page_no)
        )""")


def _m009_statistics(db: Database) -> None:
    # The terminal's own statistics (kiosk.terminal_stats; the technician panel and `kiosk stats`).
    # A visit's steps otherwise leave only through the outbox, whose body is dropped once the hall holds
    # it: `visits` keeps one row per visit (no personal data: the service, seconds, where it ended, the
    # last outcome shown and the pre-review findings' rule ids and texts). `ratings` keeps each 好差评 grade.
    db.execute("""
        CREATE TABLE visits (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL UNIQUE,
            service TEXT,
            ended_at TEXT NOT NULL,
            seconds REAL NOT NULL,
            finished INTEGER NOT NULL,
            abandoned_at TEXT,
            outcome TEXT,
            findings TEXT NOT NULL DEFAULT '[]',
            steps TEXT NOT NULL DEFAULT '[]'
        )""")
    db.execute("""
        CREATE TABLE ratings (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            service TEXT,
            stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
            application_id INTEGER
        )""")
    # The statistics page's queries read only these indexes over a day range (bench/bench_stats.py).
    db.execute("CREATE INDEX idx_applications_stats ON applications(created_at, service, decision)")
    db.execute("CREATE INDEX idx_visits_stats ON visits(ended_at, service, finished, abandoned_at, outcome, seconds)")
    db.execute("CREATE INDEX idx_visits_findings ON visits(ended_at) WHERE findings != '[]'")
    db.execute("CREATE INDEX idx_ratings_stats ON ratings(at, service, stars)")


def _m010_business_codes(db: Database) -> None:
    # 一码通行 (kiosk.onecode) looked a business's permits up with a LIKE over every application's
    # answers (a full scan). Each credit code an application's answers hold is now a row here, filled
    # by the store when it writes answers (kiosk.store.business_codes); existing rows are indexed now.
    from kiosk.store.business_codes import index_codes

    db.execute("""
        CREATE TABLE application_codes (
            uscc TEXT NOT NULL,
            application_id INTEGER NOT NULL REFERENCES applications(id),
            PRIMARY KEY (uscc, application_id)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX idx_application_codes_application ON application_codes(application_id)")
    for application_id, answers in db.execute("SELECT id, answers FROM applications").fetchall():
        index_codes(db.conn, application_id, answers)


def _m011_application_permits(db: Database) -> None:
    # 一码通行 (kiosk.onecode) parsed the paperwork of every earlier approved application of the business
    # and decoded its signed QR on every application (0.1 ms each: a hall's 3,000th licence of one
    # business took 0.3 s more than its first). The permit each paperwork vouches for is now a row
    # here, written with the paperwork (kiosk.store.paperwork); existing paperwork is read now.
    from kiosk.store.business_codes import index_permit

    db.execute("""
        CREATE TABLE application_permits (
            application_id INTEGER PRIMARY KEY REFERENCES applications(id),
            item TEXT NOT NULL,
            office TEXT NOT NULL,
            valid_to TEXT
        )""")
    for application_id, context in db.execute("SELECT application_id, context FROM paperwork").fetchall():
        index_permit(db.conn, application_id, context)


def _plain(step: Callable[[Database], None]) -> Callable[[Database, MigrationContext], None]:
    return lambda db, _context: step(db)


MIGRATIONS: tuple[tuple[int, str, Callable[[Database, MigrationContext], None]], ...] = (
    (1, "initial tables", _plain(_m001_initial)),
    (2, "append-only audit chain", _plain(_m002_audit)),
    (3, "failed-attempt lockouts", _plain(_m003_lockouts)),
    (4, "paperwork snapshots", _plain(_m004_paperwork)),
    (5, "keyed audit log tied to applications and print jobs", _m005_keyed_audit),
    (6, "hall sync: outbox, hall status, sync state, staff call acks", _plain(_m006_sync)),
    (7, "material pages photographed by the document camera", _plain(_m007_material_pages)),
    (9, "terminal statistics: visits, ratings and their indexes", _plain(_m009_statistics)),
    (10, "the credit codes an application names, indexed (一码通行)", _plain(_m010_business_codes)),
    (11, "the permit each application's paperwork vouches for (一码通行)", _plain(_m011_application_permits)),
)
LATEST_VERSION = MIGRATIONS[-1][0]


def applied_versions(db: Database) -> set[int]:
    """Versions recorded in schema_migrations (empty for a new file)."""
    if "schema_migrations" not in db.table_names():
        return set()
    return {row[0] for row in db.execute("SELECT version FROM schema_migrations").fetchall()}


def apply_migrations(db: Database, context: MigrationContext | None = None) -> list[int]:
    """Bring the schema up to date; return the versions applied now (empty when already current).

    The connection must be in autocommit mode (isolation_level=None), as the store opens it.
    """
    conn = db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                 "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    done = applied_versions(db)
    if done and max(done) > LATEST_VERSION:
        raise MigrationError(f"the database is at schema version {max(done)}, newer than this program "
                             f"({LATEST_VERSION}); upgrade the kiosk software")
    applied: list[int] = []
    for version, name, step in MIGRATIONS:
        if version in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied it while we waited for the write lock.
            if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                conn.execute("ROLLBACK")
                continue
            step(db, context or MigrationContext())
            conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                         (version, name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise MigrationError(f"migration {version} ({name}) failed: {exc}") from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied

"""The kiosk's one SQLite file: applications, documents, print jobs, counters, audit and registry.

Opened through sqlite-utils on a connection in autocommit mode; every write happens inside
`Store.transaction()`, which is `BEGIN IMMEDIATE ... COMMIT` (the write lock is taken at the start, so
two processes never interleave a read-modify-write; a busy database is waited for up to
`busy_timeout_s`). WAL journal, `synchronous=FULL`: a committed decision survives a crash or power cut.

Numbers are allocated inside the transaction that records the decision:

    with store.transaction():
        receipt_seq = store.next_value("receipt:K01:20261121")
        app = store.add_application(service=..., receipt_no=format(receipt_seq), ...)
        store.enqueue_print_job(printer_url, app.receipt_no, "receipt", payload)

so a number is used exactly when its application is committed: unique, gap-free per sequence, never
reused after a crash (a crash before COMMIT rolls back the counter with the rest).

Privacy: the full ID number appears only inside `answers` (application data, purged by retention);
columns hold the masked number and a keyed hash (HMAC-SHA256 with the data dir's lookup key) for
lookup. Audit details are passed through `mask_personal_data` before they are MAC'd and stored.

Audit: every row is MAC'd with the audit key in `keys/audit.key` (kiosk.store.audit), the head is kept
in `keys/audit.head` (kiosk.store.audit_files) and each row that records or changes an application or
print job carries the record's digest (`records=` of `append_audit`), so `verify_audit` also proves that
no application or print job was written, changed or removed outside the kiosk.

Files: the database and its -wal/-shm are created and kept mode 0600, the data dir 0700.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from forms.atomicfile import write_private_file
from forms.numbering import number_key
from idreader import mask_id_number
from kiosk.logging_setup import mask_personal_data
from kiosk.store import audit, integrity
from kiosk.store.audit_files import (
    HEAD_FILE_NAME,
    HeadFileError,
    advance_head,
    keys_dir,
    load_or_create_audit_key,
    read_head,
)
from kiosk.store.audit_records import RecordLedger, record_name
from kiosk.store.business_codes import index_codes
from kiosk.store.errors import (
    DatabaseDamagedError,
    DataDirNotWritable,
    DataDirUnusable,
    DiskFullError,
    DuplicateNumberError,
    NotInTransactionError,
    StoreError,
)
from kiosk.store.migrations import MigrationContext, apply_migrations
from kiosk.store.records import ApplicationRecord, DocumentRecord
from printers import queue_rows
from printers.sqlite_lib import database  # without numpy (issue 17)

log = logging.getLogger(__name__)

DB_FILE_NAME = "kiosk.db"
LOOKUP_KEY_FILE_NAME = "lookup.key"
#: How long a writer waits for another process's write lock before giving up (seconds).
BUSY_TIMEOUT_S = 10.0

_UPDATABLE = frozenset({"state", "decision", "answers", "findings", "receipt_no", "licence_no", "delivery",
                        "decided_at"})
_FIELD_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_AUDIT_COLUMNS = ("id", "at", "event", "subject", "detail", "digests", "prev_hash", "hash")
_RECORD_TABLES = {"application": "applications", "print_job": "print_jobs"}
#: The database, its WAL and shared-memory files: personal data, owner only.
DB_FILE_MODE = 0o600
DATA_DIR_MODE = 0o700


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def load_or_create_lookup_key(data_dir: Path) -> bytes:
    """The 32-byte secret for ID-number lookup hashes, created (mode 0600) on first use."""
    path = Path(data_dir) / LOOKUP_KEY_FILE_NAME
    if not path.exists():
        write_private_file(path, os.urandom(32), exclusive=True)  # another process made it first: use theirs
    key = path.read_bytes()
    if len(key) != 32:
        raise StoreError(f"{path}: not a 32-byte lookup key ({len(key)} bytes)")
    return key


class Store:
    """The kiosk database. One instance per process; safe to share between threads (one lock)."""

    def __init__(self, db_path: Path, *, lookup_key: bytes | None = None, audit_key: bytes | None = None,
                 audit_head_path: Path | None = None,
                 clock: Callable[[], dt.datetime] = utc_now, busy_timeout_s: float = BUSY_TIMEOUT_S,
                 synchronous: str = "FULL") -> None:
        self.path = Path(db_path)
        self._lookup_key = lookup_key
        self._audit_key = audit_key
        self.audit_head_path = audit_head_path
        self._clock = clock
        self._lock = threading.RLock()
        self._depth = 0
        self._audit_appended = False
        _private_db_files(self.path)
        self.checked_integrity = not integrity.unchanged_since_clean_close(self.path)
        try:
            conn = sqlite3.connect(self.path, timeout=busy_timeout_s, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc
        self._conn = conn
        conn.create_function("number_key", 1, _number_key_or_none, deterministic=True)
        self.db = database(conn)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            if self.checked_integrity:  # garbage over part of the file: DatabaseDamagedError
                integrity.quick_check(self.path, conn)
            conn.execute(f"PRAGMA synchronous={synchronous}")
            conn.execute("PRAGMA foreign_keys=ON")
            applied = apply_migrations(self.db, MigrationContext(audit_key=audit_key))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise open_error(self.path, exc) from exc
        except BaseException:
            conn.close()
            raise
        _private_db_files(self.path)  # the -wal and -shm now exist
        if 3 in applied:  # the migration keyed an old log: its head goes outside the database now
            self._advance_head()

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = True, **options: Any) -> Store:
        """Open (or create) `<data_dir>/kiosk.db` with the data dir's lookup key."""
        data_dir = Path(data_dir)
        db_path = data_dir / DB_FILE_NAME
        if not create and not db_path.is_file():
            raise StoreError(f"no kiosk database at {db_path}")
        private_dir(data_dir)
        head_path = keys_dir(data_dir) / HEAD_FILE_NAME
        audit_key = load_or_create_audit_key(
            data_dir, may_create=not head_path.exists() and not _has_keyed_audit_rows(db_path))
        return cls(db_path, lookup_key=load_or_create_lookup_key(data_dir), audit_key=audit_key,
                   audit_head_path=head_path, **options)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            integrity.remember_closed(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """`BEGIN IMMEDIATE ... COMMIT`, rolled back on any exception. A nested block joins the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"{self.path}: cannot start a write transaction: {exc}") from exc
            self._depth = 1
            try:
                yield self
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise StoreError(f"{self.path}: commit failed: {exc}") from exc
                if self._audit_appended:  # after COMMIT: the head never names a row that was rolled back
                    self._advance_head()
            finally:
                self._depth = 0
                self._audit_appended = False

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def _require_transaction(self, what: str) -> None:
        if not self._depth:
            raise NotInTransactionError(f"{what} must run inside `with store.transaction():` so that it "
                                        "commits or rolls back together with the decision")

    def now(self) -> dt.datetime:
        """The store's clock (injectable for tests of retention)."""
        return self._clock()

    def now_iso(self) -> str:
        return _iso(self._clock())

    # -- numbering (forms.numbering.SequenceAllocator) ----------------------------------------------

    def next_value(self, sequence_key: str) -> int:
        """The next number of a sequence (1, 2, 3, ...). Must be called inside `transaction()`."""
        self._require_transaction("next_value")
        row = self._conn.execute(
            "INSERT INTO counters (sequence_key, value) VALUES (?, 1) "
            "ON CONFLICT(sequence_key) DO UPDATE SET value = value + 1 RETURNING value",
            (sequence_key,)).fetchone()
        return int(row[0])

    def current_value(self, sequence_key: str) -> int:
        """The last number handed out in a sequence (0 when none)."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM counters WHERE sequence_key = ?",
                                     (sequence_key,)).fetchone()
        return int(row[0]) if row else 0

    # -- applications -------------------------------------------------------------------------------

    def id_number_hash(self, id_number: str) -> str | None:
        """Keyed hash of an ID number for lookup (None when the store has no lookup key)."""
        if self._lookup_key is None:
            return None
        return hmac.new(self._lookup_key, id_number.strip().upper().encode(), hashlib.sha256).hexdigest()

    def add_application(self, *, service: str, state: str, answers: Mapping[str, Any],
                        decision: str | None = None, findings: Sequence[Mapping[str, Any]] = (),
                        receipt_no: str | None = None, licence_no: str | None = None,
                        applicant_name: str | None = None, applicant_id_number: str | None = None,
                        delivery: Mapping[str, Any] | None = None) -> ApplicationRecord:
        """Record an application (and an audit row) in the current transaction, or in one of its own."""
        now = self.now_iso()
        with self.transaction(), _duplicate_numbers_as_errors(receipt_no, licence_no):
            cursor = self._conn.execute(
                "INSERT INTO applications (service, state, decision, answers, findings, receipt_no, "
                "licence_no, applicant_name, applicant_id_masked, id_number_hash, delivery, created_at, "
                "updated_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (service, state, decision, _json(dict(answers)), _json([dict(f) for f in findings]),
                 receipt_no, licence_no, applicant_name,
                 mask_id_number(applicant_id_number) if applicant_id_number else None,
                 self.id_number_hash(applicant_id_number) if applicant_id_number else None,
                 _json(dict(delivery)) if delivery is not None else None, now, now,
                 now if decision else None))
            app_id = int(cursor.lastrowid)
            index_codes(self._conn, app_id, answers)
            self.append_audit("application.saved", receipt_no or licence_no or f"application:{app_id}", {
                "application_id": app_id, "service": service, "state": state, "decision": decision,
                "receipt_no": receipt_no, "licence_no": licence_no,
                "applicant": mask_id_number(applicant_id_number) if applicant_id_number else None,
            }, records=[record_name("application", app_id)])
            record = self.get_application(app_id)
        assert record is not None
        return record

    def update_application(self, application_id: int, **changes: Any) -> ApplicationRecord:
        """Change some of state, decision, answers, findings, receipt_no, licence_no, delivery, decided_at."""
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise StoreError(f"cannot update application fields {sorted(unknown)}")
        values = dict(changes)
        for key in ("answers", "delivery"):
            if key in values and values[key] is not None:
                values[key] = _json(dict(values[key]))
        if "findings" in values:
            values["findings"] = _json([dict(f) for f in values["findings"]])
        if values.get("decision") and "decided_at" not in values:
            values["decided_at"] = self.now_iso()
        values["updated_at"] = self.now_iso()
        assignments = ", ".join(f"{key} = ?" for key in values)
        numbers = (changes.get("receipt_no"), changes.get("licence_no"))
        name = record_name("application", application_id)
        with self.transaction(), _duplicate_numbers_as_errors(*numbers):
            before = {name: self.record_digest(name)}
            cursor = self._conn.execute(f"UPDATE applications SET {assignments} WHERE id = ?",
                                        (*values.values(), application_id))
            if cursor.rowcount != 1:
                raise StoreError(f"no application with id {application_id}")
            if "answers" in changes:
                index_codes(self._conn, application_id, changes["answers"])
            audited = {key: changes[key] for key in ("state", "decision", "receipt_no", "licence_no")
                       if key in changes}
            self.append_audit("application.updated", f"application:{application_id}",
                              {"application_id": application_id, **audited}, records=[name], before=before)
            record = self.get_application(application_id)
        assert record is not None
        return record

    def get_application(self, application_id: int) -> ApplicationRecord | None:
        return self._one_application("SELECT * FROM applications WHERE id = ?", (application_id,))

    def find_application(self, number: str) -> ApplicationRecord | None:
        """The application with this receipt number or licence number (both indexed)."""
        return (self._one_application("SELECT * FROM applications WHERE receipt_no = ?", (number,))
                or self._one_application("SELECT * FROM applications WHERE licence_no = ?", (number,)))

    def find_application_loosely(self, number: str) -> ApplicationRecord | None:
        """The one application whose receipt or licence number has the same forms.numbering.number_key
        as `number` (typed without the brackets, 第 or 号, dashes or spaces); None when none or several do.
        A scan: call it only when find_application found nothing."""
        key = number_key(number)
        if not key:
            return None
        with self._lock:
            rows = self._rows("SELECT * FROM applications WHERE number_key(receipt_no) = ? "
                              "OR number_key(licence_no) = ? LIMIT 2", (key, key))
        return ApplicationRecord.from_row(rows[0]) if len(rows) == 1 else None

    def find_applications_by_id_number(self, id_number: str) -> list[ApplicationRecord]:
        """Applications of one person (by keyed hash; purged rows no longer match)."""
        digest = self.id_number_hash(id_number)
        if digest is None:
            raise StoreError("this store has no lookup key: open it with Store.open(data_dir)")
        with self._lock:
            rows = self._rows("SELECT * FROM applications WHERE id_number_hash = ? ORDER BY id", (digest,))
        return [ApplicationRecord.from_row(row) for row in rows]

    def recent_applications(self, limit: int = 50) -> list[ApplicationRecord]:
        with self._lock:
            rows = self._rows("SELECT * FROM applications ORDER BY id DESC LIMIT ?", (limit,))
        return [ApplicationRecord.from_row(row) for row in rows]

    def _one_application(self, sql: str, params: Sequence[Any]) -> ApplicationRecord | None:
        with self._lock:
            rows = self._rows(sql, params)
        return ApplicationRecord.from_row(rows[0]) if rows else None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self._conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- documents ----------------------------------------------------------------------------------

    def add_document(self, application_id: int, kind: str, path: Path,
                     sha256: str | None = None) -> DocumentRecord:
        """Record a file produced for an application; its SHA-256 is computed when not given."""
        if sha256 is None:
            try:
                sha256 = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError as exc:
                raise StoreError(f"{path}: cannot read the document: {exc.strerror or exc}") from exc
        now = self.now_iso()
        with self.transaction():
            cursor = self._conn.execute(
                "INSERT INTO documents (application_id, kind, path, sha256, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (application_id, kind, str(path), sha256, now))
            doc_id = int(cursor.lastrowid)
        return DocumentRecord(doc_id, application_id, kind, str(path), sha256, now)

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of a read-only query, as dicts (under the store's lock)."""
        with self._lock:
            return self._rows(sql, params)

    def documents_for(self, application_id: int) -> list[DocumentRecord]:
        with self._lock:
            rows = self._rows("SELECT * FROM documents WHERE application_id = ? ORDER BY id",
                              (application_id,))
        return [DocumentRecord(**row) for row in rows]

    # -- print jobs (the print queue writes them: printers.queue_rows on this connection) -------------

    def enqueue_print_job(self, printer: str, reference: str, kind: str, payload: bytes) -> int:
        """Queue a print job in the current transaction (or one of its own), through the print queue's
        writes (printers.queue_rows), with the audit row that names it; return its id. The queue's
        worker sends it once woken (PrintQueue.retry_now)."""
        now = self.now_iso()
        with self.transaction():
            job_id = queue_rows.insert_job(self._conn, printer=printer, payload=payload, kind=kind,
                                           reference=reference, stamp=now)
            self.append_audit("print.queued", reference or f"job:{job_id}", {"job": job_id, "kind": kind},
                              records=[record_name("print_job", job_id)])
            return job_id

    def print_jobs_for(self, reference: str) -> list[dict[str, Any]]:
        with self._lock:
            return self._rows("SELECT * FROM print_jobs WHERE reference = ? ORDER BY id", (reference,))

    # -- registry (shared data for prefill) ---------------------------------------------------------

    def seed_registry(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Insert or replace registry records given as plain dicts; return how many were new or changed.

        Each record is `{"kind": "business", "key": "91500151...", "data": {...}}`; without a "data"
        key, every key other than kind and key is the data. Records stored with exactly this data are
        left alone: seeding what is already there (the demo's shared data at every start) writes nothing,
        no transaction and no audit record.
        """
        now = self.now_iso()
        rows = []
        for index, record in enumerate(records):
            try:
                kind, key = str(record["kind"]), str(record["key"])
            except KeyError as exc:
                raise StoreError(f"registry record {index}: missing {exc.args[0]!r}") from None
            data = record["data"] if "data" in record else {
                k: v for k, v in record.items() if k not in ("kind", "key")}
            if not isinstance(data, Mapping):
                raise StoreError(f"registry record {index} ({kind}/{key}): data must be an object")
            rows.append((kind, key, _json(dict(data)), now))
        with self._lock:
            rows = [row for row in rows if self._conn.execute(
                "SELECT 1 FROM registry WHERE kind = ? AND key = ? AND data = ?", row[:3]).fetchone() is None]
        if not rows:
            return 0
        with self.transaction():
            self._conn.executemany(
                "INSERT INTO registry (kind, key, data, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(kind, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                rows)
            self.append_audit("registry.seeded", "registry", {"records": len(rows)})
        return len(rows)

    def registry_get(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT data FROM registry WHERE kind = ? AND key = ?",
                                     (kind, key)).fetchone()
        return json.loads(row[0]) if row else None

    def registry_list(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        """Every (key, data) of one kind, ordered by key."""
        with self._lock:
            rows = self._conn.execute("SELECT key, data FROM registry WHERE kind = ? ORDER BY key",
                                      (kind,)).fetchall()
        return [(key, json.loads(data)) for key, data in rows]

    def registry_find(self, kind: str, field: str, value: Any) -> list[tuple[str, dict[str, Any]]]:
        """Records of one kind whose top-level data field equals value (e.g. legal_rep_id = ...)."""
        if not _FIELD_NAME_RE.match(field):
            raise StoreError(f"not a registry field name: {field!r}")
        with self._lock:
            rows = self._conn.execute(
                f"SELECT key, data FROM registry WHERE kind = ? AND json_extract(data, '$.{field}') = ? "
                "ORDER BY key", (kind, value)).fetchall()
        return [(key, json.loads(data)) for key, data in rows]

    # -- audit --------------------------------------------------------------------------------------

    def append_audit(self, event: str, subject: str, detail: Mapping[str, Any] | None = None, *,
                     records: Iterable[str] = (), before: Mapping[str, str | None] | None = None) -> int:
        """Append one row to the audit log (in the current transaction or one of its own).

        `records` names the applications and print jobs this row records as they now stand
        (`"application:7"`, `"print_job:12"`, see `audit_records.record_name`): a print job made with
        `PrintQueue.submit` must be named in the audit row written for it, or verification reports it as
        written outside the kiosk. `before` gives, for a record the caller changed, the digest it had
        before the change (`record_digest`, read in the same transaction)."""
        key = self._require_audit_key()
        detail_text = mask_personal_data(audit.canonical_json(dict(detail or {})))
        before = dict(before or {})
        with self.transaction():
            digests = []
            for name in records:
                digest = self.record_digest(name)
                if digest is None:
                    raise StoreError(f"cannot audit {name}: no such record")
                digests.append([name, before.get(name), digest])
            last = self._conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            row = {"id": (last[0] + 1) if last else 1, "at": self.now_iso(), "event": event,
                   "subject": mask_personal_data(subject), "detail": detail_text,
                   "digests": audit.canonical_json(digests),
                   "prev_hash": last[1] if last else audit.GENESIS_HASH}
            row["hash"] = audit.row_mac(key, row)
            self._conn.execute(
                f"INSERT INTO audit ({', '.join(_AUDIT_COLUMNS)}) VALUES ({', '.join('?' * len(_AUDIT_COLUMNS))})",
                tuple(row[name] for name in _AUDIT_COLUMNS))
            self._audit_appended = True
        return row["id"]

    def record_digest(self, name: str) -> str | None:
        """The keyed digest of an application or print job as it stands now (None when there is none)."""
        kind, _, record_id = name.partition(":")
        table = _RECORD_TABLES.get(kind)
        if table is None or not record_id.isdigit():
            raise StoreError(f"not a record name: {name!r} (application:ID or print_job:ID)")
        with self._lock:
            rows = self._rows(f"SELECT * FROM {table} WHERE id = ?", (int(record_id),))
        return audit.record_digest(self._require_audit_key(), kind, rows[0]) if rows else None

    def audit_rows(self, *, after_id: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return self._rows("SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?",
                              (after_id, -1 if limit is None else limit))

    def verify_audit(self) -> audit.AuditReport:
        """Check the whole log (streamed in id order) with the audit key, against the head kept outside
        the database, then every application and print job against the digests the log recorded."""
        key = self._require_audit_key()
        try:
            head = read_head(self.audit_head_path) if self.audit_head_path is not None else None
        except HeadFileError as exc:
            return audit.AuditReport(False, 0, None, str(exc))
        chain, ledger = audit.ChainChecker(key, head), RecordLedger()
        with self._lock:
            cursor = self._conn.execute(f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit ORDER BY id")
            for values in cursor:
                row = dict(zip(_AUDIT_COLUMNS, values, strict=True))
                if not chain.add(row):
                    break
                if not ledger.add(row["id"], row["digests"]):
                    return replace(ledger.failure, rows_checked=chain.count)
                failure = audit.legacy_failure(row)
                if failure is not None:
                    return replace(failure, rows_checked=chain.count)
            failure = chain.finish()
            if failure is not None:
                return failure
            counts = {}
            for kind, table in _RECORD_TABLES.items():
                label = "coalesce(licence_no, receipt_no, '')" if kind == "application" else "reference"
                cursor = self._conn.execute(f"SELECT *, {label} AS _label FROM {table} ORDER BY id")
                names = [column[0] for column in cursor.description]
                counts[kind] = 0

                def rows(cursor=cursor, names=names, kind=kind):
                    for values in cursor:
                        record = dict(zip(names, values, strict=True))
                        counts[kind] += 1
                        yield record["id"], audit.record_digest(key, kind, record), record["_label"] or ""

                if not ledger.check_table(kind, rows()):
                    return replace(ledger.failure, rows_checked=chain.count)
        return audit.AuditReport(True, chain.count, applications_checked=counts["application"],
                                 print_jobs_checked=counts["print_job"])

    def _require_audit_key(self) -> bytes:
        if self._audit_key is None:
            raise StoreError("this store has no audit key: open it with Store.open(data_dir)")
        return self._audit_key

    def _advance_head(self) -> None:
        """Record the last audit row in the head file (after COMMIT; a failure here loses nothing: the
        head only lags, and the rows after it are protected by their MACs)."""
        if self.audit_head_path is None:
            return
        with self._lock:
            last = self._conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            if last is None:
                return

            def mac_at(row_id: int) -> str | None:
                found = self._conn.execute("SELECT hash FROM audit WHERE id = ?", (row_id,)).fetchone()
                return found[0] if found else None

            try:
                advance_head(self.audit_head_path, (int(last[0]), str(last[1])), mac_at)
            except OSError as exc:
                log.error("cannot write the audit head %s: %s", self.audit_head_path, exc.strerror or exc)


def _number_key_or_none(number: str | None) -> str | None:
    return number_key(number) if number else None


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """True when SQLite says the file itself is broken (not a database, malformed), not busy or unwritable."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB"


def open_error(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """The typed error for a database that could not be opened: damaged, disk full, read-only, or other."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if is_damage(exc):
        return DatabaseDamagedError(path, exc)
    if name == "SQLITE_FULL":
        return DiskFullError(f"disk full: {path}: {exc}; free some space on that disk")
    if name.startswith("SQLITE_READONLY"):
        return DataDirNotWritable(f"database not writable: {path}: {exc}")
    if name.startswith("SQLITE_CANTOPEN"):
        return DataDirUnusable(f"database cannot be opened: {path}: {exc}")
    return StoreError(f"{path}: not a usable kiosk database: {exc}")


@contextmanager
def _duplicate_numbers_as_errors(receipt_no: str | None, licence_no: str | None) -> Iterator[None]:
    try:
        yield
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" not in str(exc):
            raise
        raise DuplicateNumberError(f"number already recorded for another application "
                                   f"(receipt {receipt_no!r}, licence {licence_no!r})") from exc


def private_dir(path: Path) -> None:
    """Create the data dir (mode 0700), or take group and other access away from an existing one (not
    from a shared folder with the sticky bit, such as /tmp)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DATA_DIR_MODE)
    if not path.stat().st_mode & stat.S_ISVTX:
        _chmod_if_wider(path, DATA_DIR_MODE)


def _private_db_files(db_path: Path) -> None:
    """The database file exists with mode 0600 before SQLite opens it (SQLite gives the -wal and -shm
    the database's mode), and an existing database, -wal or -shm that is wider is narrowed."""
    if not db_path.exists() and db_path.parent.is_dir():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DB_FILE_MODE))
    for path in (db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
        _chmod_if_wider(path, DB_FILE_MODE)


def _chmod_if_wider(path: Path, mode: int) -> None:
    if os.name != "posix":
        return
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode & 0o777:
            path.chmod(current & ~(~mode & 0o777))
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("cannot narrow the mode of %s: %s", path, exc.strerror or exc)


def _has_keyed_audit_rows(db_path: Path) -> bool:
    """Whether an existing database already holds a keyed audit log (then its key must exist)."""
    if not db_path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            if "schema_migrations" not in {row[0] for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}:
                return False
            keyed = conn.execute("SELECT 1 FROM schema_migrations WHERE version >= 3").fetchone()
            return bool(keyed and conn.execute("SELECT 1 FROM audit LIMIT 1").fetchone())
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # unreadable: opening it reports what is wrong


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        raise StoreError("binary values (such as the card photo) are never stored")
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")

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
lookup. Audit details are passed through `mask_personal_data` before they are hashed and stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from idreader import mask_id_number
from kiosk.logging_setup import mask_personal_data
from kiosk.store import audit
from kiosk.store.errors import (
    DatabaseDamagedError,
    DataDirNotWritable,
    DataDirUnusable,
    DiskFullError,
    DuplicateNumberError,
    NotInTransactionError,
    StoreError,
)
from kiosk.store.migrations import apply_migrations
from kiosk.store.records import ApplicationRecord, DocumentRecord

DB_FILE_NAME = "kiosk.db"
LOOKUP_KEY_FILE_NAME = "lookup.key"
#: How long a writer waits for another process's write lock before giving up (seconds).
BUSY_TIMEOUT_S = 10.0

_UPDATABLE = frozenset({"state", "decision", "answers", "findings", "receipt_no", "licence_no", "delivery",
                        "decided_at"})
_FIELD_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def load_or_create_lookup_key(data_dir: Path) -> bytes:
    """The 32-byte secret for ID-number lookup hashes, created (mode 0600) on first use."""
    path = Path(data_dir) / LOOKUP_KEY_FILE_NAME
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(32))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) != 32:
        raise StoreError(f"{path}: not a 32-byte lookup key ({len(key)} bytes)")
    return key


class Store:
    """The kiosk database. One instance per process; safe to share between threads (one lock)."""

    def __init__(self, db_path: Path, *, lookup_key: bytes | None = None,
                 clock: Callable[[], dt.datetime] = utc_now, busy_timeout_s: float = BUSY_TIMEOUT_S,
                 synchronous: str = "FULL") -> None:
        self.path = Path(db_path)
        self._lookup_key = lookup_key
        self._clock = clock
        self._lock = threading.RLock()
        self._depth = 0
        try:
            conn = sqlite3.connect(self.path, timeout=busy_timeout_s, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc
        self._conn = conn
        self.db = sqlite_utils.Database(conn)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            _check_integrity(self.path, conn)  # garbage over part of the file: DatabaseDamagedError
            conn.execute(f"PRAGMA synchronous={synchronous}")
            conn.execute("PRAGMA foreign_keys=ON")
            apply_migrations(self.db)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise open_error(self.path, exc) from exc
        except BaseException:
            conn.close()
            raise

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = True, **options: Any) -> Store:
        """Open (or create) `<data_dir>/kiosk.db` with the data dir's lookup key."""
        data_dir = Path(data_dir)
        db_path = data_dir / DB_FILE_NAME
        if not create and not db_path.is_file():
            raise StoreError(f"no kiosk database at {db_path}")
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(db_path, lookup_key=load_or_create_lookup_key(data_dir), **options)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

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
            finally:
                self._depth = 0

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
            self.append_audit("application.saved", receipt_no or licence_no or f"application:{app_id}", {
                "application_id": app_id, "service": service, "state": state, "decision": decision,
                "receipt_no": receipt_no, "licence_no": licence_no,
                "applicant": mask_id_number(applicant_id_number) if applicant_id_number else None,
            })
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
        with self.transaction(), _duplicate_numbers_as_errors(*numbers):
            cursor = self._conn.execute(f"UPDATE applications SET {assignments} WHERE id = ?",
                                        (*values.values(), application_id))
            if cursor.rowcount != 1:
                raise StoreError(f"no application with id {application_id}")
            audited = {key: changes[key] for key in ("state", "decision", "receipt_no", "licence_no")
                       if key in changes}
            self.append_audit("application.updated", f"application:{application_id}",
                              {"application_id": application_id, **audited})
            record = self.get_application(application_id)
        assert record is not None
        return record

    def get_application(self, application_id: int) -> ApplicationRecord | None:
        return self._one_application("SELECT * FROM applications WHERE id = ?", (application_id,))

    def find_application(self, number: str) -> ApplicationRecord | None:
        """The application with this receipt number or licence number (both indexed)."""
        return (self._one_application("SELECT * FROM applications WHERE receipt_no = ?", (number,))
                or self._one_application("SELECT * FROM applications WHERE licence_no = ?", (number,)))

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

    def documents_for(self, application_id: int) -> list[DocumentRecord]:
        with self._lock:
            rows = self._rows("SELECT * FROM documents WHERE application_id = ? ORDER BY id",
                              (application_id,))
        return [DocumentRecord(**row) for row in rows]

    # -- print jobs (table pinned by printers.queue_schema; the printers queue owns the worker) -----

    def enqueue_print_job(self, printer: str, reference: str, kind: str, payload: bytes) -> int:
        """Insert a `queued` print job in the current transaction (or one of its own); return its id."""
        now = self.now_iso()
        with self.transaction():
            cursor = self._conn.execute(
                "INSERT INTO print_jobs (printer, reference, kind, payload, state, attempts, last_error, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', 0, '', ?, ?)",
                (printer, reference, kind, bytes(payload), now, now))
            return int(cursor.lastrowid)

    def print_jobs_for(self, reference: str) -> list[dict[str, Any]]:
        with self._lock:
            return self._rows("SELECT * FROM print_jobs WHERE reference = ? ORDER BY id", (reference,))

    # -- registry (shared data for prefill) ---------------------------------------------------------

    def seed_registry(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Insert or replace registry records given as plain dicts; return how many.

        Each record is `{"kind": "business", "key": "91500151...", "data": {...}}`; without a "data"
        key, every key other than kind and key is the data.
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

    def append_audit(self, event: str, subject: str, detail: Mapping[str, Any] | None = None) -> int:
        """Append one row to the audit chain (in the current transaction or one of its own)."""
        detail_text = mask_personal_data(audit.canonical_json(dict(detail or {})))
        with self.transaction():
            last = self._conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            row = {"id": (last[0] + 1) if last else 1, "at": self.now_iso(), "event": event,
                   "subject": mask_personal_data(subject), "detail": detail_text,
                   "prev_hash": last[1] if last else audit.GENESIS_HASH}
            row["hash"] = audit.row_hash(row)
            self._conn.execute(
                "INSERT INTO audit (id, at, event, subject, detail, prev_hash, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                tuple(row[key] for key in ("id", "at", "event", "subject", "detail", "prev_hash", "hash")))
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (f"{row['id']}:{row['hash']}",))
        return row["id"]

    def audit_rows(self, *, after_id: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return self._rows("SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?",
                              (after_id, -1 if limit is None else limit))

    def verify_audit(self) -> audit.AuditReport:
        """Check the whole audit chain (streamed in id order) against the recorded head."""
        with self._lock:
            head_row = self._conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
            head = None
            if head_row:
                head_id, _, head_hash = head_row[0].partition(":")
                head = (int(head_id), head_hash)
            cursor = self._conn.execute("SELECT id, at, event, subject, detail, prev_hash, hash FROM audit "
                                        "ORDER BY id")
            names = [column[0] for column in cursor.description]
            rows = (dict(zip(names, row, strict=True)) for row in cursor)
            return audit.verify_chain(rows, head)


def _check_integrity(path: Path, conn: sqlite3.Connection) -> None:
    """DatabaseDamagedError unless SQLite's quick_check passes (garbage over part of the file)."""
    (result,) = conn.execute("PRAGMA quick_check(1)").fetchone()
    if result != "ok":
        raise DatabaseDamagedError(path, result)


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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        raise StoreError("binary values (such as the card photo) are never stored")
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")

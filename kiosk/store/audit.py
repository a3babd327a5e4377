"""The audit chain, pure: keyed row MACs, record digests and chain verification (no I/O).

Each audit row holds `prev_hash`, the MAC of the row before it (64 zeros for the first row), and
`hash`, its own MAC: HMAC-SHA256, with the kiosk's audit key (`keys/audit.key`, never in the
database), of the canonical JSON of `id, at, event, subject, detail, digests, prev_hash` (UTF-8, keys
sorted, no spaces, non-ASCII kept). Without the key nobody can write a row that verifies: changing a
field breaks that row's MAC, a recomputed MAC cannot be made, removing a row leaves a gap in the ids
(1, 2, 3, ... with no gaps) and swapping rows breaks `prev_hash`; removing rows at the end disagrees
with the head (last id and MAC) kept in a file outside the database.

`digests` ties other tables to the log: a JSON list of `[object, from, to]`, e.g.
`["application:7", null, "<hex>"]` when application 7 was recorded, `["application:7", "<old>", "<new>"]`
when the kiosk changed it. A digest is a keyed MAC of the object's fields (`record_digest`), so the log
says exactly what each application and print job looked like after the kiosk last wrote it. The
unkeyed SHA-256 of format 1 (`legacy_row_hash`) is only read by the migration that keys old logs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
MAC_FIELDS = ("id", "at", "event", "subject", "detail", "digests", "prev_hash")
LEGACY_FIELDS = ("id", "at", "event", "subject", "detail", "prev_hash")
#: The fields of an application row its digest covers (not `updated_at`; columns added later are not
#: covered, so adding one never breaks old digests).
APPLICATION_FIELDS = ("id", "service", "state", "decision", "answers", "findings", "receipt_no", "licence_no",
                      "applicant_name", "applicant_id_masked", "id_number_hash", "delivery", "created_at",
                      "decided_at", "purged_at")
#: The fields of a print job its digest covers: what is printed, for what. Not the printer (a queued job
#: may be moved to another printer) nor the state, attempts and times the queue worker updates.
PRINT_JOB_FIELDS = ("id", "reference", "kind", "payload_sha256", "copy_of", "created_at")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no whitespace, non-ASCII kept: the same text for the same value."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_mac(key: bytes, row: Mapping[str, Any]) -> str:
    """HMAC-SHA256 (hex) of the canonical JSON of the MAC'd fields of an audit row."""
    text = canonical_json({name: row[name] for name in MAC_FIELDS})
    return hmac.new(key, b"audit-row\0" + text.encode(), hashlib.sha256).hexdigest()


def legacy_row_hash(row: Mapping[str, Any]) -> str:
    """The unkeyed SHA-256 of format 1 (before migration 5), for checking an old chain once."""
    return hashlib.sha256(canonical_json({name: row[name] for name in LEGACY_FIELDS}).encode()).hexdigest()


def record_digest(key: bytes, kind: str, row: Mapping[str, Any]) -> str:
    """Keyed digest of an application (`kind` "application") or print job ("print_job") row."""
    if kind == "application":
        fields = {name: row.get(name) for name in APPLICATION_FIELDS}
    elif kind == "print_job":
        payload = row.get("payload")
        fields = {name: row.get(name) for name in PRINT_JOB_FIELDS if name != "payload_sha256"}
        fields["payload_sha256"] = hashlib.sha256(bytes(payload or b"")).hexdigest()
    else:
        raise ValueError(f"no digest for {kind!r}")
    text = canonical_json({"kind": kind, **fields})
    return hmac.new(key, b"audit-record\0" + text.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AuditReport:
    """The outcome of verifying the log: ok, how many rows, and the first bad row with the reason.

    `first_bad_id` is the audit row at fault (None when the fault is a record no row mentions, such as
    an application with no audit entry: `reason` names it)."""

    ok: bool
    rows_checked: int
    first_bad_id: int | None = None
    reason: str = ""
    applications_checked: int = 0
    print_jobs_checked: int = 0

    def describe(self) -> str:
        """One line: what was checked, or where it broke."""
        if self.ok:
            return (f"{self.rows_checked} rows, none changed or removed; {self.applications_checked} "
                    f"applications and {self.print_jobs_checked} print jobs match their audit entries")
        where = f" at row {self.first_bad_id}" if self.first_bad_id is not None else ""
        return f"broken{where}: {self.reason}"


class ChainChecker:
    """Feed rows in id order (`add`); `finish` checks the head (last id, last MAC) kept outside the
    database. Stops at the first bad row."""

    def __init__(self, key: bytes, head: tuple[int, str] | None) -> None:
        self._key, self._head = key, head
        self._mac_at_head: str | None = None
        self.expected_id, self.prev_hash, self.count = 1, GENESIS_HASH, 0
        self.failure: AuditReport | None = None

    def add(self, row: Mapping[str, Any]) -> bool:
        """Check one row; False (and `failure` set) when it is bad."""
        row_id, expected = row["id"], self.expected_id
        if row_id != expected:
            return self._fail(expected, f"row {expected} is missing (the next row is {row_id}): rows were removed")
        if row["prev_hash"] != self.prev_hash:
            return self._fail(row_id, f"row {row_id}: prev_hash does not match row {row_id - 1}: "
                                      f"row {row_id - 1} was changed, removed or moved")
        if not hmac.compare_digest(row_mac(self._key, row), str(row["hash"])):
            return self._fail(row_id, f"row {row_id}: its content was changed after writing "
                                      "(its MAC does not match the audit key)")
        self.prev_hash, self.expected_id, self.count = row["hash"], expected + 1, self.count + 1
        if self._head is not None and row_id == self._head[0]:
            self._mac_at_head = row["hash"]
        return True

    def finish(self) -> AuditReport | None:
        """The failure against the head kept outside the database, or None when the chain is whole.

        The head may lag the table (a crash between COMMIT and writing the head file): rows after it
        are protected by their MACs. It may never be ahead of the table or disagree with its row."""
        if self.failure is not None:
            return self.failure
        count, head = self.count, self._head
        if head is None:
            if count:
                return AuditReport(False, count, None, "the chain head file (keys/audit.head) is missing, "
                                                       f"but the table has {count} rows")
            return None
        head_id, head_hash = head
        if head_id > count:
            first = count + 1
            what = f"rows {first}..{head_id} were" if head_id > first else f"row {first} was"
            return AuditReport(False, count, first,
                               f"{what} removed (the head recorded outside the database is row {head_id})")
        if head_id and self._mac_at_head != head_hash:
            return AuditReport(False, count, head_id,
                               f"row {head_id}: does not match the chain head recorded outside the database")
        return None

    def _fail(self, row_id: int, reason: str) -> bool:
        self.failure = AuditReport(False, self.count, row_id, reason)
        return False


def verify_chain(key: bytes, rows: Iterable[Mapping[str, Any]], head: tuple[int, str] | None) -> AuditReport:
    """Verify rows in id order against each other and against the head (last id, last MAC)."""
    checker = ChainChecker(key, head)
    for row in rows:
        if not checker.add(row):
            break
    failure = checker.finish()
    return failure or AuditReport(True, checker.count)


def legacy_failure(row: Mapping[str, Any]) -> AuditReport | None:
    """The failure an `audit.keyed` row (migration 5) recorded for the unkeyed log it carried over."""
    if row["event"] != "audit.keyed":
        return None
    try:
        detail = json.loads(row["detail"])
    except ValueError:
        return None
    if detail.get("legacy_chain_ok", True):
        return None
    bad = detail.get("legacy_first_bad")
    return AuditReport(False, 0, bad if isinstance(bad, int) else row["id"],
                       f"the unkeyed log carried over when the log was keyed (audit row {row['id']}) was already "
                       f"broken: {detail.get('legacy_reason', '')}")


def verify_legacy_chain(rows: Iterable[Mapping[str, Any]], head: tuple[int, str] | None) -> AuditReport:
    """The unkeyed format-1 check (SHA-256 chain and the head kept in `meta`), used once by migration 5."""
    expected_id, prev_hash, count = 1, GENESIS_HASH, 0
    for row in rows:
        row_id = row["id"]
        if row_id != expected_id:
            return AuditReport(False, count, expected_id, f"row {expected_id} is missing")
        if row["prev_hash"] != prev_hash:
            return AuditReport(False, count, row_id, f"row {row_id}: prev_hash does not match row {row_id - 1}")
        if legacy_row_hash(row) != row["hash"]:
            return AuditReport(False, count, row_id, f"row {row_id}: its content was changed")
        prev_hash, expected_id, count = row["hash"], expected_id + 1, count + 1
    if head is not None and (head[0] != count or head[1] != prev_hash):
        return AuditReport(False, count, min(head[0], count + 1), "the chain head in meta disagrees")
    if head is None and count:
        return AuditReport(False, count, None, "the chain head in meta is missing")
    return AuditReport(True, count)

"""The audit chain, pure: canonical row hashing and chain verification (no I/O).

Each audit row holds `prev_hash`, the SHA-256 of the row before it (64 zeros for the first row), and
`hash`, the SHA-256 of the canonical JSON of its own fields `id, at, event, subject, detail, prev_hash`
(UTF-8, keys sorted, no spaces, non-ASCII kept). Changing any field breaks that row's `hash`;
recomputing it breaks the next row's `prev_hash`; removing a row leaves a gap in the ids (ids are
1, 2, 3, ... with no gaps); removing rows at the end disagrees with the head (last id and hash) that
the store keeps beside the table.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("id", "at", "event", "subject", "detail", "prev_hash")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no whitespace, non-ASCII kept: the same text for the same value."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the hashed fields of an audit row."""
    return hashlib.sha256(canonical_json({key: row[key] for key in HASHED_FIELDS}).encode()).hexdigest()


@dataclass(frozen=True)
class AuditReport:
    """The outcome of verifying the chain: ok, how many rows, and the first bad row with the reason."""

    ok: bool
    rows_checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain(rows: Iterable[Mapping[str, Any]], head: tuple[int, str] | None) -> AuditReport:
    """Verify rows in id order against each other and against the recorded head (last id, last hash)."""
    expected_id, prev_hash, count = 1, GENESIS_HASH, 0
    for row in rows:
        row_id = row["id"]
        if row_id != expected_id:
            return AuditReport(False, count, expected_id,
                               f"row {expected_id} is missing (the next row is {row_id}): rows were removed")
        if row["prev_hash"] != prev_hash:
            return AuditReport(False, count, row_id,
                               f"row {row_id}: prev_hash does not match row {row_id - 1}: "
                               f"row {row_id - 1} was changed or removed")
        if row_hash(row) != row["hash"]:
            return AuditReport(False, count, row_id, f"row {row_id}: its content was changed after writing")
        prev_hash, expected_id, count = row["hash"], expected_id + 1, count + 1
    if head is not None:
        head_id, head_hash = head
        if head_id > count:
            return AuditReport(False, count, count + 1,
                               f"rows {count + 1}..{head_id} were removed (the chain head is row {head_id})")
        if head_id != count or head_hash != prev_hash:
            return AuditReport(False, count, head_id,
                               f"row {head_id}: does not match the recorded chain head")
    elif count:
        return AuditReport(False, count, None, "the chain head record is missing")
    return AuditReport(True, count)

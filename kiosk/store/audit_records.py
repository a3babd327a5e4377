"""Cross-checking applications and print jobs against the audit log, pure (no I/O).

Walking the log in order, `RecordLedger` follows each record's digest (`[object, from, to]` entries in
an audit row's `digests`): a record first appears with `from` null; a change the kiosk made names the
digest it changed from, which must be the last one recorded (otherwise the record was changed outside
the kiosk between the two rows). A later row may record a record again unchanged (`from` null, same
digest). At the end every row of the table must have the digest the log last recorded for it, every
recorded record must still exist, and a row the log never recorded is a failure (an empty log beside
stored applications is one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from kiosk.store.audit import AuditReport

_LABELS = {"application": "application", "print_job": "print job"}


def record_name(kind: str, record_id: int) -> str:
    """`application:7`, `print_job:12`: how the log names a record."""
    return f"{kind}:{record_id}"


def _label(name: str) -> str:
    kind, _, record_id = name.partition(":")
    return f"{_LABELS.get(kind, kind)} {record_id}"


class RecordLedger:
    """The last digest the log recorded for each record, and the row that recorded it."""

    def __init__(self) -> None:
        self.current: dict[str, tuple[str, int]] = {}
        self.failure: AuditReport | None = None
        self.rows_checked = 0

    def add(self, row_id: int, digests_text: str) -> bool:
        """Follow one audit row's digests; False (and `failure` set) at the first contradiction."""
        self.rows_checked += 1
        try:
            entries = json.loads(digests_text or "[]")
            changes = [(str(name), before, str(after)) for name, before, after in entries]
        except (TypeError, ValueError):
            return self._fail(row_id, f"row {row_id}: its record digests are not readable")
        for name, before, after in changes:
            known = self.current.get(name)
            if known is None and before is not None:
                return self._fail(row_id, f"row {row_id}: changes {_label(name)}, which no earlier row recorded")
            if known is not None and (before if before is not None else after) != known[0]:
                return self._fail(row_id, f"{_label(name)} was changed outside the kiosk between audit rows "
                                          f"{known[1]} and {row_id}")
            self.current[name] = (after, row_id)
        return True

    def check_table(self, kind: str, rows: Iterable[tuple[int, str, str]]) -> bool:
        """Compare `(id, digest now, label)` of every row of a table with the log; False (and `failure`
        set) at the first difference.

        `label` says which record it is to a person (e.g. its receipt number), never personal data."""
        seen: set[str] = set()
        for record_id, digest, label in rows:
            name = record_name(kind, record_id)
            seen.add(name)
            what = f"{_label(name)}{f' ({label})' if label else ''}"
            known = self.current.get(name)
            if known is None:
                return self._fail(None, f"{what} has no audit entry: it was written outside the kiosk, "
                                        "or its audit rows were removed")
            if digest != known[0]:
                return self._fail(known[1], f"{what} differs from what audit row {known[1]} recorded: "
                                            "its decision, numbers or data were changed outside the kiosk")
        for name, (_, row_id) in sorted(self.current.items(), key=lambda item: item[1][1]):
            if name.startswith(f"{kind}:") and name not in seen:
                return self._fail(row_id, f"{_label(name)}, recorded by audit row {row_id}, is missing from "
                                          "the database: it was deleted")
        return True

    def _fail(self, row_id: int | None, reason: str) -> bool:
        self.failure = AuditReport(False, self.rows_checked, row_id, reason)
        return False

"""Wrong technician PINs counted in the kiosk's database, so a restart forgives none of them.

One row of the `lockouts` table (migration 3), named `technician-pin`: the wrong PINs in a row and the
wall-clock time (Unix seconds, `now`, injectable) of the last one. What that means for the PIN pad is
kiosk.pin_policy's business; this layer only reads, counts and resets, each in one transaction with
its audit rows:

- `technician.wrong` for every wrong PIN (`failures`, `tries_left`),
- `technician.locked` when a wrong PIN starts a lock (`failures`, `level`, `seconds` or `until_reset`),
- `technician.lockout_reset` when `kiosk keys reset-lockout` forgives them (`failures`, `by`).

Never the PIN: the callers do not even give it to this layer.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from kiosk.pin_policy import PinPolicy
from kiosk.store.store import Store

#: The `lockouts` row of the technician's PIN pad.
LOCKOUT_NAME = "technician-pin"
#: The audit subject of the rows written here (the same as the panel's own rows).
AUDIT_SUBJECT = "technician-panel"


class PinAttempts:
    """The technician PIN's failed attempts in `store` (thread-safe: the store serialises its use)."""

    def __init__(self, store: Store, *, policy: PinPolicy | None = None,
                 now: Callable[[], float] = time.time) -> None:
        self.store = store
        self.policy = policy or PinPolicy()
        self.now = now

    def state(self) -> tuple[int, float | None]:
        """(wrong PINs in a row, Unix time of the last one or None)."""
        with self.store.transaction():
            return self._read()

    def failed(self) -> tuple[int, float | None]:
        """Count one wrong PIN (and audit it, and the lock it starts); return the new state."""
        moment = self.now()
        with self.store.transaction():
            failures = self._read()[0] + 1
            self._write(failures, moment)
            self.store.append_audit("technician.wrong", AUDIT_SUBJECT,
                                    {"failures": failures, "tries_left": self.policy.tries_left(failures)})
            seconds = self.policy.lock_seconds(failures)
            if seconds:
                detail: dict[str, Any] = {"failures": failures, "level": self.policy.level(failures)}
                detail.update({"until_reset": True} if math.isinf(seconds) else {"seconds": seconds})
                self.store.append_audit("technician.locked", AUDIT_SUBJECT, detail)
        return failures, moment

    def succeeded(self) -> None:
        """A right PIN: the count starts again (nothing is written when it is already 0)."""
        with self.store.transaction():
            if self._read()[0]:
                self._write(0, None)

    def reset(self, by: str) -> int:
        """Forgive every wrong PIN and end any lock (audited with `by`); return how many were forgiven."""
        with self.store.transaction():
            failures = self._read()[0]
            self._write(0, None)
            self.store.append_audit("technician.lockout_reset", AUDIT_SUBJECT, {"failures": failures, "by": by})
        return failures

    def _read(self) -> tuple[int, float | None]:
        row = self.store.db.conn.execute("SELECT failures, last_failure_at FROM lockouts WHERE name = ?",
                                         (LOCKOUT_NAME,)).fetchone()
        return (int(row[0]), row[1]) if row else (0, None)

    def _write(self, failures: int, last_failure_at: float | None) -> None:
        self.store.db.conn.execute(
            "INSERT INTO lockouts (name, failures, last_failure_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, "
            "last_failure_at = excluded.last_failure_at, updated_at = excluded.updated_at",
            (LOCKOUT_NAME, failures, last_failure_at, self.store.now_iso()))

"""What a heartbeat reports besides the backlog: today's counts from the store, and module states.

The running kiosk knows its modules (kiosk.app.Kiosk.device_status); `kiosk sync`, run beside it or
while it is stopped, reuses the states that kiosk last reported (kept in `sync_state.modules`) rather
than claiming states it never saw.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.store import Store
from kiosk.sync.replies import last_modules

#: Before any running kiosk reported: the printer's paper is not known, no camera is wired.
UNKNOWN_MODULES = {"reader": "ok", "printer": "ok", "paper": "unknown", "camera": "absent"}


def today_counts(store: Store, today: dt.date) -> dict[str, int]:
    """Applications recorded since the start of the kiosk's day, and how many were approved / accepted."""
    start = dt.datetime.combine(today, dt.time()).astimezone(dt.UTC).isoformat(timespec="microseconds")
    row = store.select(
        "SELECT COUNT(*) AS n, SUM(decision = 'approved') AS approved, SUM(decision = 'accepted') AS accepted "
        "FROM applications WHERE created_at >= ?", (start,))[0]
    return {"applications": int(row["n"]), "approved": int(row["approved"] or 0),
            "accepted": int(row["accepted"] or 0)}


def stored_status(store: Store, today: dt.date) -> dict[str, Any]:
    """The status for a heartbeat sent by a process that does not run the devices (`kiosk sync`)."""
    return {"modules": last_modules(store) or dict(UNKNOWN_MODULES), "modules_from_store": True,
            "counts": today_counts(store, today)}

"""The hall's heartbeat reply applied to the kiosk's store, in one transaction.

- `changes`: the hall status of each of this kiosk's numbers (state, outcome, 补正 notice, pickup) into
  `hall_status` (the lookup page shows them), newest wins by the hall's `updated_at`;
- `cursor`: stored only together with the changes it covers (a crash re-fetches them: idempotent), as
  the hall says it (a hall restored from a backup starts again from 0);
- `call_acks`: into `staff_call_acks` (the screen shows 工作人员已收到，马上过来);
- `server_time`: the kiosk's clock skew against the hall, kept for `kiosk sync` and doctor.
Also the `sync_state` helpers (cursor, last good exchange, last fault).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from kiosk.store import Store


@dataclass(frozen=True)
class SyncState:
    """The uploader's progress: cursor, last success, last error."""

    cursor: int
    last_ok_at: str | None
    last_error: str | None
    last_error_at: str | None
    clock_skew_s: float | None


def sync_state(store: Store) -> SyncState:
    row = store.select("SELECT cursor, last_ok_at, last_error, last_error_at, clock_skew_s FROM sync_state "
                       "WHERE id = 1")
    if not row:
        return SyncState(0, None, None, None, None)
    return SyncState(**row[0])


def record_modules(store: Store, modules: dict[str, Any]) -> None:
    """The module states the running kiosk last reported (`kiosk sync` in another process reuses them)."""
    with store.transaction():
        store.db.conn.execute("UPDATE sync_state SET modules = ? WHERE id = 1", (json.dumps(modules),))


def last_modules(store: Store) -> dict[str, Any] | None:
    rows = store.select("SELECT modules FROM sync_state WHERE id = 1")
    return json.loads(rows[0]["modules"]) if rows and rows[0]["modules"] else None


def record_ok(store: Store) -> None:
    with store.transaction():
        store.db.conn.execute("UPDATE sync_state SET last_ok_at = ?, last_error = NULL WHERE id = 1",
                              (store.now_iso(),))


def record_error(store: Store, message: str) -> None:
    with store.transaction():
        store.db.conn.execute("UPDATE sync_state SET last_error = ?, last_error_at = ? WHERE id = 1",
                              (message[:500], store.now_iso()))


def _text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def apply_heartbeat_reply(store: Store, reply: dict[str, Any], kiosk_now: dt.datetime) -> int:
    """Store what the hall answered; return the number of status changes applied."""
    changes = reply.get("changes") or []
    acks = reply.get("call_acks") or []
    cursor = reply.get("cursor")
    skew = None
    server_time = reply.get("server_time")
    if isinstance(server_time, str):
        try:
            hall_now = dt.datetime.fromisoformat(server_time)
            mine = kiosk_now if kiosk_now.tzinfo else kiosk_now.astimezone()
            skew = round((mine - hall_now).total_seconds(), 1) if hall_now.tzinfo else None
        except ValueError:
            skew = None
    now = store.now_iso()
    applied = 0
    with store.transaction():
        conn = store.db.conn
        for change in changes:
            if not isinstance(change, dict) or not change.get("number") or not change.get("state"):
                continue
            conn.execute(
                "INSERT INTO hall_status (number, state, outcome, notice, pickup, updated_at, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(number) DO UPDATE SET state = excluded.state, "
                "outcome = excluded.outcome, notice = excluded.notice, pickup = excluded.pickup, "
                "updated_at = excluded.updated_at, received_at = excluded.received_at "
                "WHERE hall_status.updated_at IS NULL OR excluded.updated_at IS NULL "
                "OR excluded.updated_at >= hall_status.updated_at",
                (str(change["number"]), str(change["state"]), change.get("outcome"), _text(change.get("notice")),
                 _text(change.get("pickup")), change.get("updated_at"), now))
            applied += 1
        for ack in acks:
            if isinstance(ack, dict) and ack.get("call_id"):
                conn.execute("INSERT INTO staff_call_acks (call_id, by_name, at, received_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT(call_id) DO NOTHING",
                             (str(ack["call_id"]), str(ack.get("by") or ""), ack.get("at"), now))
        if isinstance(cursor, int) and cursor >= 0:  # the hall's word, even lower (a restored hall starts over)
            conn.execute("UPDATE sync_state SET cursor = ? WHERE id = 1", (cursor,))
        conn.execute("UPDATE sync_state SET last_ok_at = ?, last_error = NULL, clock_skew_s = ? WHERE id = 1",
                     (now, skew))
    return applied


@dataclass(frozen=True)
class HallStatus:
    """What the hall says about one number (the lookup page shows it)."""

    number: str
    state: str
    outcome: str | None
    notice: dict[str, Any] | None
    pickup: dict[str, Any] | None
    updated_at: str | None


def hall_status(store: Store, number: str) -> HallStatus | None:
    rows = store.select("SELECT * FROM hall_status WHERE number = ?", (number,))
    if not rows:
        return None
    row = rows[0]
    return HallStatus(row["number"], row["state"], row["outcome"],
                      json.loads(row["notice"]) if row["notice"] else None,
                      json.loads(row["pickup"]) if row["pickup"] else None, row["updated_at"])


def call_ack(store: Store, call_id: str) -> dict[str, Any] | None:
    rows = store.select("SELECT by_name, at FROM staff_call_acks WHERE call_id = ?", (call_id,))
    return rows[0] if rows else None

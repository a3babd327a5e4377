"""The outbox table: events for the hall, written in the transaction of the change they report.

    with store.transaction():
        app = store.add_application(...)
        add_event(store, "application", body, at=..., application_id=app.id, ready=False)
    attach_documents(store, app.id, files)   # inside the transaction that registers the PDFs

An event id is a uuid4 made here, once: the hall stores each id once (ON CONFLICT DO NOTHING), so a
batch sent again after a crash is never counted twice. An application's row waits (`ready` = 0) until
its PDFs are registered: their bytes join the body in that registration's transaction, so the hall gets
the application with its documents in one event, and a crash before the PDFs exist leaves the row
waiting for the repair at start (kiosk.recovery writes them again, through the same registration).
Only the ids the hall answers it holds are marked sent (`mark_sent`); a sent row keeps its kind, time
and number but its body (personal data) is dropped: the hall has it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.store import Store
from kiosk.store.material_pages import material_pages_for, wire_pages

KINDS = ("application", "rating", "staff_call", "step_stats")


@dataclass(frozen=True)
class OutboxEvent:
    """One unsent event as it goes on the wire (`wire()`), with its size in bytes."""

    event_id: str
    kind: str
    at: str
    body: dict[str, Any]
    size: int
    created_at: str
    attempts: int

    def wire(self) -> dict[str, Any]:
        return {"id": self.event_id, "kind": self.kind, "at": self.at, "body": self.body}


@dataclass(frozen=True)
class Backlog:
    """What waits: unsent events, the oldest one's time (`at`, the kiosk clock's ISO time of the change)
    and the rejected (dead) ones."""

    unsent: int
    oldest_at: str | None
    waiting_for_documents: int
    dead: int

    def oldest_age_s(self, now: dt.datetime) -> float | None:
        """Seconds since the oldest unsent change, on the kiosk clock (`now`, naive = local time)."""
        if self.oldest_at is None:
            return None
        oldest = dt.datetime.fromisoformat(self.oldest_at)
        now = now if now.tzinfo else now.astimezone()
        oldest = oldest if oldest.tzinfo else oldest.astimezone()
        return max(0.0, (now - oldest).total_seconds())  # a clock set back: never a negative age


def new_event_id() -> str:
    """A random (version 4) UUID, as `str(uuid.uuid4())` writes it: made here because importing `uuid`
    imports `platform` on Linux (~10 ms of every `kiosk apply`, issue 17) for what is 16 random bytes."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def add_event(store: Store, kind: str, body: Mapping[str, Any], *, at: str, application_id: int | None = None,
              ready: bool = True, event_id: str | None = None) -> str:
    """Write one event (in the current transaction, or one of its own); return its id."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox event kind {kind!r}")
    event_id = event_id or new_event_id()
    text = _json(dict(body))
    with store.transaction():
        store.db.conn.execute(
            "INSERT INTO outbox (event_id, kind, at, body, bytes, application_id, ready, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (event_id, kind, at, text, len(text.encode()), application_id, 1 if ready else 0, store.now_iso()))
    return event_id


def attach_documents(store: Store, application_id: int, files: Sequence[tuple[str, str, bytes]]) -> bool:
    """Put the application's PDFs (name, SHA-256, base64; other files are not sent) and its photographed
    material pages into its unsent
    event and make it ready; in the caller's transaction (the one registering the files). False when
    there is no unsent event for it (an application from before the outbox, or already sent)."""
    files = [item for item in files if item[1].endswith(".pdf")]  # not the slip's receipt.bin/png
    if not files:
        return False
    with store.transaction():
        row = store.db.conn.execute(
            "SELECT event_id, body FROM outbox WHERE application_id = ? AND kind = 'application' "
            "AND sent_at IS NULL ORDER BY created_at DESC LIMIT 1", (application_id,)).fetchone()
        if row is None:
            return False
        body = json.loads(row[1])
        known = {doc["name"]: doc for doc in body.get("documents", [])}
        for _, name, data in files:
            known[name] = {"name": name, "sha256": hashlib.sha256(data).hexdigest(),
                           "pdf_b64": base64.b64encode(data).decode("ascii")}
        body["documents"] = list(known.values())
        # The photographed material pages are registered before the PDFs (Kiosk.save): they travel too.
        body["material_pages"] = wire_pages(material_pages_for(store, application_id))
        text = _json(body)
        store.db.conn.execute("UPDATE outbox SET body = ?, bytes = ?, ready = 1 WHERE event_id = ?",
                              (text, len(text.encode()), row[0]))
    return True


def release_waiting(store: Store, application_ids: Iterable[int]) -> int:
    """Let these applications' events go without documents (their PDFs cannot be made: purged)."""
    ids = [(int(i),) for i in application_ids]
    with store.transaction():
        cursor = store.db.conn.executemany(
            "UPDATE outbox SET ready = 1 WHERE application_id = ? AND ready = 0", ids)
    return cursor.rowcount


def unsent(store: Store, *, max_events: int, max_bytes: int, kinds: Sequence[str] | None = None) -> list[OutboxEvent]:
    """The oldest ready, unsent, not-dead events: at most `max_events`, and at most `max_bytes` of bodies
    (always at least one event, however large: the hall answers 413 for one that is too big)."""
    where = "sent_at IS NULL AND dead = 0 AND ready = 1"
    params: list[Any] = []
    if kinds:
        where += f" AND kind IN ({', '.join('?' * len(kinds))})"
        params.extend(kinds)
    rows = store.select(f"SELECT event_id, kind, at, bytes, created_at, attempts FROM outbox WHERE {where} "
                        "ORDER BY created_at, event_id LIMIT ?", (*params, max_events))
    chosen, total = [], 0
    for row in rows:
        if chosen and total + row["bytes"] > max_bytes:
            break
        chosen.append(row)
        total += row["bytes"]
    if not chosen:
        return []
    bodies = {r["event_id"]: r["body"] for r in store.select(
        f"SELECT event_id, body FROM outbox WHERE event_id IN ({', '.join('?' * len(chosen))})",
        tuple(r["event_id"] for r in chosen))}
    return [OutboxEvent(r["event_id"], r["kind"], r["at"], json.loads(bodies[r["event_id"]]), r["bytes"],
                        r["created_at"], r["attempts"]) for r in chosen]


def mark_sent(store: Store, event_ids: Iterable[str]) -> int:
    """Mark the events the hall holds as sent (their bodies dropped: the hall has them); return how many
    were unsent until now."""
    ids = list(event_ids)
    if not ids:
        return 0
    now, changed = store.now_iso(), 0
    with store.transaction():
        for event_id in ids:
            row = store.db.conn.execute("SELECT body FROM outbox WHERE event_id = ? AND sent_at IS NULL",
                                        (event_id,)).fetchone()
            if row is None:
                continue
            summary = {key: value for key, value in json.loads(row[0]).items()
                       if key in ("number", "service", "call_id", "session_id", "outcome", "stars")}
            text = _json(summary)
            store.db.conn.execute("UPDATE outbox SET sent_at = ?, body = ?, last_error = NULL WHERE event_id = ?",
                                  (now, text, event_id))
            changed += 1
    return changed


def mark_dead(store: Store, rejected: Iterable[tuple[str, str]]) -> int:
    """The hall refused these bodies as malformed: keep them, never resend them by themselves."""
    rows = [(reason[:500], event_id) for event_id, reason in rejected]
    with store.transaction():
        cursor = store.db.conn.executemany(
            "UPDATE outbox SET dead = 1, last_error = ? WHERE event_id = ? AND sent_at IS NULL", rows)
    return cursor.rowcount


def record_attempt(store: Store, event_ids: Iterable[str], error: str | None) -> None:
    """Count one attempt for each event (and the error, if it failed)."""
    rows = [(error[:500] if error else None, event_id) for event_id in event_ids]
    with store.transaction():
        store.db.conn.executemany(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE event_id = ?", rows)


def backlog(store: Store) -> Backlog:
    row = store.select(
        "SELECT COUNT(*) AS n, SUM(ready = 0) AS waiting FROM outbox WHERE sent_at IS NULL AND dead = 0")[0]
    oldest = store.select("SELECT at FROM outbox WHERE sent_at IS NULL AND dead = 0 ORDER BY created_at LIMIT 1")
    dead = store.select("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND dead = 1")[0]["n"]
    return Backlog(int(row["n"]), oldest[0]["at"] if oldest else None, int(row["waiting"] or 0), int(dead))


def dead_events(store: Store) -> list[dict[str, Any]]:
    """The events the hall rejected: id, kind, time, reason (doctor and `kiosk sync` list them)."""
    return store.select("SELECT event_id, kind, at, last_error FROM outbox WHERE dead = 1 AND sent_at IS NULL "
                        "ORDER BY created_at")

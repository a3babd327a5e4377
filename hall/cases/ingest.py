"""Storing a kiosk's batch of outbox events and deriving the hall's rows from them, in one transaction.

The insert is idempotent (INSERT ... ON CONFLICT (event_id) DO NOTHING): a batch sent again after the
hall stored it — the kiosk crashed before marking it sent, or the reply was lost — changes nothing and is
answered with the same ids held. Only newly stored events derive rows (cases, staff calls, ratings, step
statistics), so nothing is counted twice. Legal clocks start at the hall's receipt time, never the kiosk's.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import uuid
from typing import Any

import psycopg
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from hall.cases import clocks, wire
from hall.cases.models import Case, CaseHistory, Kiosk, Rating, State
from hall.cases.services import bump_kiosk
from hall.cases.workdays import add_working_days

log = logging.getLogger(__name__)

_INITIAL_STATE = {"approved": State.APPROVED, "accepted": State.SUBMITTED, "blocked": State.BLOCKED}


def _stored_body(event: wire.Incoming) -> dict[str, Any]:
    """The event body as kept in the events table: documents' bytes live in their own tables only."""
    body = event.body.model_dump(mode="json")
    if event.kind == "application":
        for doc in body.get("documents", []):
            doc.pop("pdf_b64", None)
        for page in body.get("material_pages", []):
            page.pop("png_b64", None)
        # The full ID number is kept once, on the case (masked on screens; revealing it is audited).
        applicant = body.get("applicant") or {}
        if applicant.get("id_number"):
            n = applicant["id_number"]
            applicant["id_number"] = n[:3] + "*" * max(len(n) - 7, 0) + n[-4:] if len(n) > 7 else "*" * len(n)
    return body


def ingest(kiosk: Kiosk, raw_events: list[Any], *, now: dt.datetime | None = None) -> tuple[list[str], list[dict]]:
    """Store `raw_events` for `kiosk`; (held ids, rejected [{"id", "reason"}])."""
    now = now or timezone.now()
    rejected: list[dict] = []
    good: dict[uuid.UUID, wire.Incoming] = {}
    for raw in raw_events:
        event, reason, given = wire.check_event(raw)
        if event is None:
            rejected.append({"id": given, "reason": reason})
        elif event.id not in good:
            good[event.id] = event
    if not good:
        return [], rejected

    with transaction.atomic():
        # The cases these applications name, locked (one query): another kiosk's number is refused, not stored.
        numbers = {e.body.number for e in good.values() if e.kind == "application"}
        existing = _existing_cases(numbers)
        for eid, e in list(good.items()):
            if e.kind == "application" and e.body.number in existing and existing[e.body.number].kiosk_id != kiosk.pk:
                rejected.append({"id": str(eid), "reason": f"number {e.body.number} belongs to another kiosk"})
                del good[eid]
        if not good:
            return [], rejected

        inserted = _insert_events(kiosk, list(good.values()), now)
        already = [eid for eid in good if eid not in inserted]
        if already:
            with _cursor() as cur:
                cur.execute("SELECT event_id, kiosk_id FROM cases_event WHERE event_id = ANY(%s)", [already])
                owners = dict(cur.fetchall())
            for eid in already:
                if owners.get(eid) != kiosk.pk:
                    rejected.append({"id": str(eid), "reason": "event id already used by another kiosk"})
                    del good[eid]
        new = [(inserted[eid], good[eid]) for eid in good if eid in inserted]
        if new:
            _derive(kiosk, new, now, existing)
    return [str(eid) for eid in good], rejected


def _cursor() -> psycopg.Cursor:
    """A cursor on Django's connection (same session, same transaction) that binds parameters server side:
    values go as parameters, bytes (the PDFs) in binary, and a statement seen a few times is prepared once per
    connection. Django's own cursors quote every value into the SQL text in Python (client-side binding), which
    was a third of the ingest's CPU: 100 KiB of escaped bytea to build, send and parse per batch."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def _existing_cases(numbers: set[str]) -> dict[str, Case]:
    """The cases already held under `numbers`, locked until commit (one plain-SQL probe: a new application,
    the usual case, finds none and builds no model). Their full rows are read only when some exist."""
    if not numbers:
        return {}
    with _cursor() as cur:
        cur.execute("SELECT id FROM cases_case WHERE number = ANY(%s) FOR UPDATE", [list(numbers)])
        ids = [pk for pk, in cur.fetchall()]
    return {c.number: c for c in Case.objects.filter(pk__in=ids)} if ids else {}


def _insert_events(kiosk: Kiosk, events: list[wire.Incoming], now: dt.datetime) -> dict[uuid.UUID, int]:
    """INSERT ... ON CONFLICT (event_id) DO NOTHING; {event_id: row id} of the rows this call inserted."""
    rows: list[Any] = []
    for e in events:
        rows += [e.id, kiosk.pk, e.kind, e.at, now, json.dumps(_stored_body(e), ensure_ascii=False)]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s::jsonb)"] * len(events))
    with _cursor() as cur:
        cur.execute(
            f"INSERT INTO cases_event (event_id, kiosk_id, kind, at, received_at, body) VALUES {values} "
            "ON CONFLICT (event_id) DO NOTHING RETURNING event_id, id",
            rows,
        )
        return {eid: pk for eid, pk in cur.fetchall()}


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple], *, tail: str = "",
            pending: list | None = None) -> list[tuple]:
    """One multi-row INSERT (a plain VALUES list: one round trip, the values adapted by psycopg's C dumpers;
    Django's bulk_create builds UNNEST arrays in Python, several times slower for these rows). Without
    RETURNING and given `pending`, the statement waits there to go with the others in one pipeline (_send)."""
    if not rows:
        return []
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(rows))} {tail}"
    params = [value for r in rows for value in r]
    if pending is not None and "RETURNING" not in tail:
        pending.append((sql, params))
        return []
    with _cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if "RETURNING" in tail else []


def _send(pending: list[tuple[str, list]]) -> None:
    """The derived rows' INSERTs that need no answer, sent back to back in one pipeline (one round trip
    instead of one each; same transaction: an error in any of them rolls the whole batch back)."""
    if not pending:
        return
    with _cursor() as cur, connection.connection.pipeline():
        for sql, params in pending:
            cur.execute(sql, params)


def _derive(kiosk: Kiosk, new: list[tuple[int, wire.Incoming]], now: dt.datetime, existing: dict[str, Case]) -> None:
    pending: list[tuple[str, list]] = []
    applications = [(pk, e) for pk, e in new if e.kind == "application"]
    if applications:
        _applications(kiosk, applications, now, existing, pending)
    _insert("cases_staffcall",
            ("call_id", "kiosk_id", "screen", "service", "number", "location", "created_at", "received_at",
             "change_seq"),
            [(e.body.call_id, kiosk.pk, e.body.screen or "", e.body.service or "", e.body.number or "",
              e.body.location or kiosk.location, e.at, now, 0) for _, e in new if e.kind == "staff_call"],
            tail="ON CONFLICT (call_id) DO NOTHING", pending=pending)
    ratings = [(pk, e) for pk, e in new if e.kind == "rating"]
    if ratings:
        answer_by = add_working_days(timezone.localtime(now).date(), clocks.RATING_ANSWER_WORKING_DAYS)
        _insert("cases_rating",
                ("event_id", "kiosk_id", "number", "service", "stars", "reason", "at", "received_at", "handling", "due",
                 "answer"),
                [(pk, kiosk.pk, e.body.number or "", e.body.service, e.body.stars, e.body.reason, e.at, now,
                  Rating.Handling.OPEN if e.body.stars <= 2 else Rating.Handling.NONE,
                  answer_by if e.body.stars <= 2 else None, "") for pk, e in ratings], pending=pending)
    stats = {e.body.session_id: e for _, e in new if e.kind == "step_stats"}
    _insert("cases_stepstat",
            ("kiosk_id", "session_id", "service", "steps", "finished", "abandoned_at", "at", "received_at"),
            [(kiosk.pk, sid, e.body.service or "", Jsonb([s.model_dump(mode="json") for s in e.body.steps]),
              e.body.finished, e.body.abandoned_at or "", e.at, now) for sid, e in stats.items()],
            tail="ON CONFLICT (kiosk_id, session_id) DO UPDATE SET service = EXCLUDED.service, steps = EXCLUDED.steps, "
                 "finished = EXCLUDED.finished, abandoned_at = EXCLUDED.abandoned_at, at = EXCLUDED.at, "
                 "received_at = EXCLUDED.received_at", pending=pending)
    _send(pending)


_CASE_COLUMNS = ("number", "kiosk_id", "service", "service_title", "office", "document_name", "outcome", "state",
                 "licence_number", "applicant_name", "applicant_phone", "id_number", "answers", "findings",
                 "promised_days", "time_limit_days", "kiosk_decided_at", "submitted_at", "correction_due",
                 "decision_due", "paused_working_days", "correction_count", "change_seq", "updated_at")


def _applications(kiosk: Kiosk, applications: list[tuple[int, wire.Incoming]], now: dt.datetime,
                  existing: dict[str, Case], pending: list[tuple[str, list]]) -> None:
    """New cases from applications; a later application event for a case already held refreshes what the
    kiosk knows (answers, findings, documents) and never the hall's state."""
    latest: dict[str, wire.Incoming] = {}
    for _, e in applications:
        latest[e.body.number] = e
    seq = bump_kiosk(kiosk.pk)
    received = timezone.localtime(now).date()
    correction_due = clocks.correction_due(received)
    new_rows = []
    for number, e in latest.items():
        b = e.body
        fields = dict(
            service=b.service, service_title=b.service_title, office=b.office, document_name=b.document_name,
            outcome=b.outcome, licence_number=b.licence_number or "", applicant_name=b.applicant.name,
            applicant_phone=b.applicant.phone or "", id_number=b.applicant.id_number,
            answers=b.answers, findings=[f.model_dump(mode="json") for f in b.findings],
            promised_days=b.promised_days, time_limit_days=b.time_limit_days or clocks.DEFAULT_TIME_LIMIT_DAYS,
            kiosk_decided_at=b.decided_at or e.at,
        )
        case = existing.get(number)
        if case is None:
            limit = clocks.time_limit(b.time_limit_days, b.promised_days)
            new_rows.append((
                number, kiosk.pk, b.service, b.service_title, b.office, b.document_name, b.outcome,
                _INITIAL_STATE[b.outcome].value, fields["licence_number"], b.applicant.name, fields["applicant_phone"],
                b.applicant.id_number, Jsonb(b.answers), Jsonb(fields["findings"]), b.promised_days,
                fields["time_limit_days"], fields["kiosk_decided_at"], now, correction_due,
                clocks.decision_due(received, limit), 0, 0, seq, now,
            ))
        else:
            for name, value in fields.items():
                setattr(case, name, value)
            case.change_seq, case.updated_at = seq, now
            case.save(update_fields=[*fields, "change_seq", "updated_at"])
            CaseHistory.objects.create(case=case, at=now, by_name=f"终端 {kiosk.kiosk_id}", action="kiosk_refresh",
                                       from_state=case.state, to_state=case.state, data={"event": str(e.id)})
    case_ids = {number: case.pk for number, case in existing.items()}
    if new_rows:
        created = _insert("cases_case", _CASE_COLUMNS, new_rows, tail="RETURNING number, id, state")
        case_ids.update({number: pk for number, pk, _ in created})
        _insert("cases_casehistory", ("case_id", "at", "by_name", "action", "from_state", "to_state", "note", "data"),
                [(pk, now, f"终端 {kiosk.kiosk_id}", "received", "", state, "",
                  Jsonb({"event": str(latest[number].id), "outcome": latest[number].body.outcome,
                         "kiosk_at": latest[number].at.isoformat()}))
                 for number, pk, state in created], pending=pending)
    docs, pages = [], []
    for number, e in latest.items():
        docs += [(case_ids[number], d.name, d.sha256, base64.b64decode(d.pdf_b64)) for d in e.body.documents]
        pages += [(case_ids[number], p.material, p.sha256, base64.b64decode(p.png_b64)) for p in e.body.material_pages]
    docs = list({(row[0], row[1]): row for row in docs}.values())  # one row per (case, name): the last wins
    _insert("cases_casedocument", ("case_id", "name", "sha256", "content"), docs,
            tail="ON CONFLICT (case_id, name) DO UPDATE SET sha256 = EXCLUDED.sha256, content = EXCLUDED.content",
            pending=pending)
    _insert("cases_materialpage", ("case_id", "material", "sha256", "content"), pages,
            tail="ON CONFLICT (case_id, sha256) DO NOTHING", pending=pending)

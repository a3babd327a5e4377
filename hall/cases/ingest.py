"""Storing a kiosk's batch of outbox events and deriving the hall's rows from them, in one transaction.

The insert is idempotent (INSERT ... ON CONFLICT (event_id) DO NOTHING): a batch sent again after the
hall stored it — the kiosk crashed before marking it sent, or the reply was lost — changes nothing and is
answered with the same ids held. Only newly stored events derive rows (cases, staff calls, ratings, step
statistics), so nothing is counted twice. Legal clocks start at the hall's receipt time, never the kiosk's.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import logging
import uuid
from typing import Any

import orjson
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from hall.cases import clocks, group, holidays, idfields, idnumbers, tokens, wire, workdays
from hall.cases.models import Case, CaseHistory, Kiosk, Rating, State
from hall.cases.sql import cursor, execute
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
            applicant["id_number"] = idnumbers.mask(applicant["id_number"])
        # So are the ID numbers among the answers (sealed on the case: idfields, idnumbers.protect_answers).
        answers = body.get("answers") or {}
        keys = idfields.id_answer_keys(body.get("service", ""), answers)
        if keys:
            body["answers"] = idnumbers.mask_answers(answers, keys)
    return body


class _OtherKiosks(Exception):
    """Applications naming another kiosk's cases: the batch's transaction is rolled back and run again
    without them (rare: the usual batch names only new numbers, so it is not probed apart first)."""

    def __init__(self, events: list[tuple[uuid.UUID, str]]):
        super().__init__(events)
        self.events = events


def ingest(kiosk: Kiosk, raw_events: list[Any], *, now: dt.datetime | None = None,
           token_hash: str | None = None, grouped: bool = False) -> tuple[list[str], list[dict]]:
    """Store `raw_events` for `kiosk`; (held ids, rejected [{"id", "reason"}]). With `token_hash` (the API's
    kiosk, taken from the worker's memory), the kiosk must still hold that token, checked in the same
    transaction: else tokens.Revoked and nothing is stored. `grouped` (the kiosk API): the usual batch goes
    to this process's group writer (hall.cases.group), committed together with the posts that came at the
    same time, and this returns after that commit; outside a transaction only (a caller's transaction could
    not see the writer's rows, nor roll them back)."""
    now = now or timezone.now()
    rejected: list[dict] = []
    good: dict[uuid.UUID, wire.Incoming] = {}
    for raw in raw_events:
        event, reason, given = wire.check_event(raw)
        if event is None:
            rejected.append({"id": given, "reason": reason})
        elif event.id not in good:
            good[event.id] = event
    if not good and token_hash is not None:
        _verify_alone(kiosk, token_hash)
    if good and grouped and not connection.in_atomic_block:
        answer = group.store(kiosk.pk, *_at_once_batch(kiosk, good, now, token_hash))
        if answer is not None:  # stored with its group, or set aside by it (revoked, existing)
            if _answered(answer, kiosk, good, rejected):
                return [str(eid) for eid in good], rejected
        elif _store_at_once(kiosk, good, rejected, now, token_hash):  # its group hit a conflict: on its own
            return [str(eid) for eid in good], rejected
    elif good and _store_at_once(kiosk, good, rejected, now, token_hash):
        return [str(eid) for eid in good], rejected
    while good:  # a named case is held already (refresh, replay, another kiosk's number): in steps, in Python
        try:
            with transaction.atomic():
                _store(kiosk, good, rejected, now, token_hash)
            break
        except _OtherKiosks as refused:  # nothing of this try was kept: again without those applications
            for eid, number in refused.events:
                rejected.append({"id": str(eid), "reason": f"number {number} belongs to another kiosk"})
                del good[eid]
    return [str(eid) for eid in good], rejected


#: The usual batch in one statement and one round trip (migrations 0007-0010: hall_ingest): its JSON, and its
#: documents' and pages' bytes as one bytea[] in binary (PostgreSQL 15 parses a JSON string a character at a
#: time, and the files' base64 was most of a post's JSON; migration 0010).
_AT_ONCE = "SELECT hall_ingest(%s::jsonb, %b::bytea[])"


def _at_once_batch(kiosk: Kiosk, good: dict[uuid.UUID, wire.Incoming], now: dt.datetime,
                   token_hash: str | None) -> tuple[str, list[bytes]]:
    """hall_ingest's arguments: the JSON text of one post (every row prepared: sealed ID numbers, deadlines)
    and its files' bytes, which the JSON's documents and pages name by their 1-based place (`blob`);
    hall_ingest_group takes a list of them (hall.cases.group)."""
    received = timezone.localtime(now).date()
    by_name = f"终端 {kiosk.kiosk_id}"
    events, cases, docs, pages, calls, ratings, stats = [], [], [], [], [], [], []
    blobs: list[bytes] = []
    numbers: set[str] = set()
    answer_by = None
    for ord_, (eid, e) in enumerate(good.items()):
        events.append({"event_id": eid, "kind": e.kind, "at": e.at, "body": _stored_body(e)})
        b = e.body
        if e.kind == "application":
            numbers.add(b.number)
            fields, sealed, answers_sealed = _case_fields(e)
            state = _INITIAL_STATE[b.outcome].value
            cases.append({
                **fields, "ord": ord_, "event_id": eid, "number": b.number, "state": state,
                "id_number_sealed": base64.b64encode(sealed).decode("ascii") if sealed else None,
                "id_answers_sealed": base64.b64encode(answers_sealed).decode("ascii") if answers_sealed else None,
                "correction_due": _correction_due(received),
                "decision_due": _decision_due(received, clocks.time_limit(b.time_limit_days, b.promised_days)),
                "by_name": by_name,
                "history": {"event": str(eid), "outcome": b.outcome, "kiosk_at": e.at.isoformat()},
            })
            for i, d in enumerate(b.documents):  # base64 checked by wire.check_event
                blobs.append(base64.b64decode(d.pdf_b64))
                docs.append({"event_id": eid, "ord": i, "name": d.name, "sha256": d.sha256, "blob": len(blobs)})
            for pg in b.material_pages:
                blobs.append(base64.b64decode(pg.png_b64))
                pages.append({"event_id": eid, "material": pg.material, "sha256": pg.sha256, "blob": len(blobs)})
        elif e.kind == "staff_call":
            calls.append({"event_id": eid, "call_id": b.call_id, "screen": b.screen or "", "service": b.service or "",
                          "number": b.number or "", "location": b.location or kiosk.location, "created_at": e.at})
        elif e.kind == "rating":
            bad = b.stars <= 2
            if bad and answer_by is None:
                answer_by = add_working_days(received, clocks.RATING_ANSWER_WORKING_DAYS)
            ratings.append({"event_id": eid, "number": b.number or "", "service": b.service, "stars": b.stars,
                            "reason": b.reason, "at": e.at,
                            "handling": Rating.Handling.OPEN if bad else Rating.Handling.NONE,
                            "due": answer_by if bad else None})
        elif e.kind == "step_stats":
            stats.append({"ord": ord_, "event_id": eid, "session_id": b.session_id, "service": b.service or "",
                          "steps": [s.model_dump(mode="json") for s in b.steps], "finished": b.finished,
                          "abandoned_at": b.abandoned_at or "", "at": e.at})
    # orjson writes datetimes, dates, UUIDs and enums as PostgreSQL reads them (and 10x faster than json).
    batch = {"kiosk": kiosk.pk, "token": token_hash, "now": now, "numbers": sorted(numbers),
             "events": events, "cases": cases, "docs": docs, "pages": pages, "calls": calls,
             "ratings": ratings, "stats": stats}
    if cases or answer_by is not None:  # deadlines: the holiday notices they were counted by
        batch["calendar"] = [list(pair) for pair in workdays.calendar_key()]
    return orjson.dumps(batch).decode("utf-8"), blobs


def _store_at_once(kiosk: Kiosk, good: dict[uuid.UUID, wire.Incoming], rejected: list[dict], now: dt.datetime,
                   token_hash: str | None) -> bool:
    """The batch stored by hall_ingest, in its own transaction (autocommit: committed before the reply; a
    savepoint inside a caller's transaction): True when done (event ids another kiosk holds moved from `good`
    to `rejected`); False when a named case number is another kiosk's, a new event refreshes a case already
    held, or a new number was inserted meanwhile by another request (nothing was written: the step-by-step
    path takes the batch). A replay of events and cases already held is answered here. tokens.Revoked when
    the kiosk's token is no longer valid (nothing written)."""
    batch = list(_at_once_batch(kiosk, good, now, token_hash))
    try:
        if connection.in_atomic_block:
            with transaction.atomic(), cursor() as cur:
                execute(cur, _AT_ONCE, batch)
                answer = cur.fetchone()[0]
        else:
            with cursor() as cur:  # autocommit: the statement is its own transaction, committed here
                execute(cur, _AT_ONCE, batch)
                answer = cur.fetchone()[0]
    except psycopg.Error as e:
        # a case number inserted meanwhile by another request, or a refresh of a case already held (HI001)
        if e.sqlstate in ("23505", "HI001"):
            return False
        if e.sqlstate == "HI002":  # an admin changed the holiday notices: the Python path loads them
            return False
        raise
    if isinstance(answer, str):  # Django's connection reads jsonb as text (its JSONField decodes it)
        answer = json.loads(answer)
    return _answered(answer, kiosk, good, rejected)


def _answered(answer: dict, kiosk: Kiosk, good: dict[uuid.UUID, wire.Incoming], rejected: list[dict]) -> bool:
    """hall_ingest's answer for one post (or hall_ingest_group's for it): see _store_at_once."""
    if answer.get("revoked"):
        raise tokens.Revoked(kiosk.kiosk_id)
    if answer.get("existing"):
        return False
    for eid in answer.get("foreign", []):
        rejected.append({"id": eid, "reason": "event id already used by another kiosk"})
        good.pop(uuid.UUID(eid), None)
    return True


def _correction_due(received: dt.date) -> dt.date:
    return _correction_due_under(received, workdays.calendar_key())


def _decision_due(received: dt.date, limit: int) -> dt.date:
    return _decision_due_under(received, limit, workdays.calendar_key())


@functools.lru_cache(maxsize=64)
def _correction_due_under(received: dt.date, calendar: tuple) -> dt.date:
    return clocks.correction_due(received)


@functools.lru_cache(maxsize=256)
def _decision_due_under(received: dt.date, limit: int, calendar: tuple) -> dt.date:
    return clocks.decision_due(received, limit)


_PROBE = "SELECT id, number, kiosk_id FROM cases_case WHERE number = ANY(%s) FOR UPDATE"
_BUMP = "UPDATE cases_kiosk SET change_seq = change_seq + 1 WHERE id = %s RETURNING change_seq"
_EVENT_COLUMNS = (("event_id", "uuid"), ("kiosk_id", "bigint"), ("kind", "text"), ("at", "timestamptz"),
                  ("received_at", "timestamptz"), ("body", "jsonb"))


def _verify_alone(kiosk: Kiosk, token_hash: str) -> None:
    with cursor() as cur:
        execute(cur, tokens.VERIFY, [kiosk.pk, token_hash])
        if cur.fetchone() is None:
            raise tokens.Revoked(kiosk.kiosk_id)


def _store(kiosk: Kiosk, good: dict[uuid.UUID, wire.Incoming], rejected: list[dict], now: dt.datetime,
           token_hash: str | None) -> None:
    """The batch in the caller's transaction, in two round trips to PostgreSQL in the usual case (and the
    commit): (1) the kiosk's token checked (tokens.VERIFY), the named cases locked (FOR UPDATE), the events
    inserted (ON CONFLICT (event_id) DO NOTHING RETURNING), the kiosk's change counter bumped (its row locked
    until commit, so its changes commit in counter order); (2) every derived row (_derive). Removes from
    `good` what another kiosk owns."""
    numbers = list({e.body.number for e in good.values() if e.kind == "application"})
    # Deadlines follow (new cases, 差评): the holiday calendar's lock, shared, and its current notices.
    dues = bool(numbers) or any(e.kind == "rating" and e.body.stars <= 2 for e in good.values())
    rows = [(e.id, kiosk.pk, e.kind, e.at, now, _stored_body(e)) for e in good.values()]
    connection.ensure_connection()
    with connection.connection.pipeline():
        check, probe, insert, bump, calendar = cursor(), cursor(), cursor(), cursor(), cursor()
        if dues:
            execute(calendar, holidays.revisions_sql("_shared"), [])
        if token_hash is not None:
            execute(check, tokens.VERIFY, [kiosk.pk, token_hash])
        if numbers:
            execute(probe, _PROBE, [numbers])
        execute(insert, _statement("cases_event", _EVENT_COLUMNS, "ON CONFLICT (event_id) DO NOTHING "
                                   "RETURNING event_id, id"), [_rows_json(_EVENT_COLUMNS, rows)])
        if numbers:
            execute(bump, _BUMP, [kiosk.pk])
    if token_hash is not None and check.fetchone() is None:
        raise tokens.Revoked(kiosk.kiosk_id)  # the whole transaction rolls back: nothing stored
    if dues:
        holidays.install(calendar.fetchone())
    held = {number: (pk, owner) for pk, number, owner in probe.fetchall()} if numbers else {}
    others = [(eid, e.body.number) for eid, e in good.items()
              if e.kind == "application" and held.get(e.body.number, (0, kiosk.pk))[1] != kiosk.pk]
    if others:
        raise _OtherKiosks(others)
    inserted = dict(insert.fetchall())
    seq = bump.fetchone()[0] if numbers else 0
    already = [eid for eid in good if eid not in inserted]
    if already:  # a replay (or another kiosk's event id): one more query, only then
        with cursor() as cur:
            execute(cur, "SELECT event_id, kiosk_id FROM cases_event WHERE event_id = ANY(%s)", [already])
            owners = dict(cur.fetchall())
        for eid in already:
            if owners.get(eid) != kiosk.pk:
                rejected.append({"id": str(eid), "reason": "event id already used by another kiosk"})
                del good[eid]
    new = [(inserted[eid], good[eid]) for eid in good if eid in inserted]
    if new:
        _derive(kiosk, new, now, {number: pk for number, (pk, _) in held.items()}, seq)


def _rows_json(columns: tuple[tuple[str, str], ...], rows: list[tuple]) -> str:
    """The rows as the JSON array of objects json_to_recordset reads (see _statement)."""
    names = ["number" if name == "case_id" else name for name, _ in columns]  # a case comes by its number
    return json.dumps([dict(zip(names, row, strict=True)) for row in rows], ensure_ascii=False, default=str)


def _statement(table: str, columns: tuple[tuple[str, str], ...], tail: str) -> str:
    """INSERT ... SELECT FROM json_to_recordset(one JSON parameter holding every row): the same text whatever
    the number of rows, so psycopg converts it once and PostgreSQL prepares it once per connection (a VALUES
    list has a new text for every batch size: parsed and planned each time), and the rows cross as one string
    made by the json module's C encoder (psycopg adapts arrays element by element in Python, which cost more
    than the VALUES list saved). bytea columns come as the kiosk's base64 and are decoded by PostgreSQL.
    A case_id column comes as the case's number and is joined to cases_case (a case inserted earlier in
    the same transaction is found: its rows need not wait for the case's id)."""
    names = ", ".join(name for name, _ in columns)
    fields = ", ".join("number text" if name == "case_id" else f"{name} {'text' if kind == 'bytea' else kind}"
                       for name, kind in columns)
    values = ", ".join("c.id" if name == "case_id" else f"decode(r.{name}, 'base64')" if kind == "bytea"
                       else f"r.{name}" for name, kind in columns)
    join = " JOIN cases_case c ON c.number = r.number" if any(name == "case_id" for name, _ in columns) else ""
    return (f"INSERT INTO {table} ({names}) SELECT {values} FROM json_to_recordset(%s::json) AS r({fields}){join} "
            f"{tail}")


def _insert(table: str, columns: tuple[tuple[str, str], ...], rows: list[tuple], *, tail: str = "",
            pending: list) -> None:
    """One INSERT of all `rows` (columns: (name, PostgreSQL type)), one prepared statement, queued in `pending`
    to go with the others in one pipeline (_send). Values: JSON's own, dict/list for json(b) columns,
    str(value) for times, dates and UUIDs, base64 text for bytea, the case's number for case_id."""
    if rows:
        pending.append((_statement(table, columns, tail), [_rows_json(columns, rows)]))


def _send(pending: list[tuple[str, list]]) -> None:
    """The derived rows' INSERTs that need no answer, sent back to back in one pipeline (one round trip
    instead of one each; same transaction: an error in any of them rolls the whole batch back)."""
    if not pending:
        return
    with cursor() as cur, connection.connection.pipeline():
        for sql, params in pending:
            execute(cur, sql, params)


def _derive(kiosk: Kiosk, new: list[tuple[int, wire.Incoming]], now: dt.datetime, existing: dict[str, int],
            seq: int) -> None:
    """The rows the new events make (cases, history, documents, calls, ratings, step statistics), all in one
    pipeline. `existing`: {number: case id} of the named cases already held (this kiosk's); `seq`: the
    kiosk's change number for them."""
    pending: list[tuple[str, list]] = []
    applications = [(pk, e) for pk, e in new if e.kind == "application"]
    if applications:
        _applications(kiosk, applications, now, existing, seq, pending)
    _insert("cases_staffcall",
            (("call_id", "uuid"), ("kiosk_id", "bigint"), ("screen", "text"), ("service", "text"), ("number", "text"),
             ("location", "text"), ("created_at", "timestamptz"), ("received_at", "timestamptz"),
             ("change_seq", "bigint")),
            [(e.body.call_id, kiosk.pk, e.body.screen or "", e.body.service or "", e.body.number or "",
              e.body.location or kiosk.location, e.at, now, 0) for _, e in new if e.kind == "staff_call"],
            tail="ON CONFLICT (call_id) DO NOTHING", pending=pending)
    ratings = [(pk, e) for pk, e in new if e.kind == "rating"]
    if ratings:
        answer_by = add_working_days(timezone.localtime(now).date(), clocks.RATING_ANSWER_WORKING_DAYS)
        _insert("cases_rating",
                (("event_id", "bigint"), ("kiosk_id", "bigint"), ("number", "text"), ("service", "text"),
                 ("stars", "smallint"), ("reason", "text"), ("at", "timestamptz"), ("received_at", "timestamptz"),
                 ("handling", "text"), ("due", "date"), ("answer", "text")),
                [(pk, kiosk.pk, e.body.number or "", e.body.service, e.body.stars, e.body.reason, e.at, now,
                  Rating.Handling.OPEN if e.body.stars <= 2 else Rating.Handling.NONE,
                  answer_by if e.body.stars <= 2 else None, "") for pk, e in ratings], pending=pending)
    stats = {e.body.session_id: e for _, e in new if e.kind == "step_stats"}
    _insert("cases_stepstat",
            (("kiosk_id", "bigint"), ("session_id", "text"), ("service", "text"), ("steps", "jsonb"),
             ("finished", "boolean"), ("abandoned_at", "text"), ("at", "timestamptz"), ("received_at", "timestamptz")),
            [(kiosk.pk, sid, e.body.service or "", [s.model_dump(mode="json") for s in e.body.steps],
              e.body.finished, e.body.abandoned_at or "", e.at, now) for sid, e in stats.items()],
            tail="ON CONFLICT (kiosk_id, session_id) DO UPDATE SET service = EXCLUDED.service, steps = EXCLUDED.steps, "
                 "finished = EXCLUDED.finished, abandoned_at = EXCLUDED.abandoned_at, at = EXCLUDED.at, "
                 "received_at = EXCLUDED.received_at", pending=pending)
    _send(pending)


_CASE_COLUMNS = (
    ("number", "text"), ("kiosk_id", "bigint"), ("service", "text"), ("service_title", "text"), ("office", "text"),
    ("document_name", "text"), ("outcome", "text"), ("state", "text"), ("licence_number", "text"),
    ("applicant_name", "text"), ("applicant_phone", "text"), ("id_number_sealed", "bytea"), ("id_number_hash", "text"),
    ("id_number_masked", "text"), ("answers", "jsonb"), ("id_answers_sealed", "bytea"), ("id_answer_hashes", "jsonb"),
    ("findings", "jsonb"), ("promised_days", "integer"), ("time_limit_days", "integer"),
    ("kiosk_decided_at", "timestamptz"), ("submitted_at", "timestamptz"), ("correction_due", "date"),
    ("decision_due", "date"), ("paused_working_days", "integer"), ("correction_count", "integer"),
    ("change_seq", "bigint"), ("updated_at", "timestamptz"))
_HISTORY_COLUMNS = (("case_id", "bigint"), ("at", "timestamptz"), ("by_name", "text"), ("action", "text"),
                    ("from_state", "text"), ("to_state", "text"), ("note", "text"), ("data", "jsonb"))


def _case_fields(e: wire.Incoming) -> tuple[dict[str, Any], bytes | None, bytes | None]:
    """(the case's fields from its application event, the sealed applicant's ID number, the sealed ID numbers
    among the answers): what both the new-case and the refresh paths store."""
    b = e.body
    fields = dict(
        service=b.service, service_title=b.service_title, office=b.office, document_name=b.document_name,
        outcome=b.outcome, licence_number=b.licence_number or "", applicant_name=b.applicant.name,
        applicant_phone=b.applicant.phone or "",
        answers=b.answers, findings=[f.model_dump(mode="json") for f in b.findings],
        promised_days=b.promised_days, time_limit_days=b.time_limit_days or clocks.DEFAULT_TIME_LIMIT_DAYS,
        kiosk_decided_at=b.decided_at or e.at,
    )
    # The ID number is kept sealed, hashed and masked, never in the clear (hall.cases.idnumbers).
    sealed, fields["id_number_hash"], fields["id_number_masked"] = idnumbers.protect(b.applicant.id_number, b.number)
    # So are the ID numbers among the answers: masked in `answers`, sealed apart (idfields, idnumbers).
    fields["answers"], answers_sealed, fields["id_answer_hashes"] = idnumbers.protect_answers(
        b.answers, idfields.id_answer_keys(b.service, b.answers), b.number)
    return fields, sealed, answers_sealed


def _applications(kiosk: Kiosk, applications: list[tuple[int, wire.Incoming]], now: dt.datetime,
                  existing: dict[str, int], seq: int, pending: list[tuple[str, list]]) -> None:
    """New cases from applications; a later application event for a case already held refreshes what the
    kiosk knows (answers, findings, documents) and never the hall's state."""
    latest: dict[str, wire.Incoming] = {}
    for _, e in applications:
        latest[e.body.number] = e
    received = timezone.localtime(now).date()
    correction_due = clocks.correction_due(received)
    refreshed = Case.objects.in_bulk([existing[n] for n in latest if n in existing]) if existing else {}
    new_rows, history = [], []
    for number, e in latest.items():
        b = e.body
        fields, sealed, answers_sealed = _case_fields(e)
        if number not in existing:
            limit = clocks.time_limit(b.time_limit_days, b.promised_days)
            state = _INITIAL_STATE[b.outcome].value
            new_rows.append((
                number, kiosk.pk, b.service, b.service_title, b.office, b.document_name, b.outcome,
                state, fields["licence_number"], b.applicant.name, fields["applicant_phone"],
                base64.b64encode(sealed).decode("ascii") if sealed else None, fields["id_number_hash"],
                fields["id_number_masked"], fields["answers"],
                base64.b64encode(answers_sealed).decode("ascii") if answers_sealed else None,
                fields["id_answer_hashes"], fields["findings"], b.promised_days,
                fields["time_limit_days"], fields["kiosk_decided_at"], now, correction_due,
                clocks.decision_due(received, limit), 0, 0, seq, now,
            ))
            history.append((number, now, f"终端 {kiosk.kiosk_id}", "received", "", state, "",
                            {"event": str(e.id), "outcome": b.outcome, "kiosk_at": e.at.isoformat()}))
        else:  # rare: the kiosk sent its case again (refreshed answers, documents): the ORM, apart
            case = refreshed[existing[number]]
            for name, value in fields.items():
                setattr(case, name, value)
            case.id_number_sealed, case.id_answers_sealed = sealed, answers_sealed
            case.change_seq, case.updated_at = seq, now
            case.save(update_fields=[*fields, "id_number_sealed", "id_answers_sealed", "change_seq", "updated_at"])
            CaseHistory.objects.create(case=case, at=now, by_name=f"终端 {kiosk.kiosk_id}", action="kiosk_refresh",
                                       from_state=case.state, to_state=case.state, data={"event": str(e.id)})
    _insert("cases_case", _CASE_COLUMNS, new_rows, pending=pending)
    _insert("cases_casehistory", _HISTORY_COLUMNS, history, pending=pending)
    docs, pages = [], []
    for number, e in latest.items():
        docs += [(number, d.name, d.sha256, d.pdf_b64) for d in e.body.documents]
        pages += [(number, p.material, p.sha256, p.png_b64) for p in e.body.material_pages]
    docs = list({(row[0], row[1]): row for row in docs}.values())  # one row per (case, name): the last wins
    _insert("cases_casedocument", (("case_id", "bigint"), ("name", "text"), ("sha256", "text"), ("content", "bytea")),
            docs,
            tail="ON CONFLICT (case_id, name) DO UPDATE SET sha256 = EXCLUDED.sha256, content = EXCLUDED.content",
            pending=pending)
    _insert("cases_materialpage",
            (("case_id", "bigint"), ("material", "text"), ("sha256", "text"), ("content", "bytea")), pages,
            tail="ON CONFLICT (case_id, sha256) DO NOTHING", pending=pending)

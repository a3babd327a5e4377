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

from django.db import connection, transaction
from django.utils import timezone

from hall.cases import clocks, wire
from hall.cases.models import Case, CaseDocument, CaseHistory, Kiosk, MaterialPage, Rating, StaffCall, State, StepStat
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
        existing = {c.number: c for c in Case.objects.select_for_update().filter(number__in=numbers)} if numbers else {}
        for eid, e in list(good.items()):
            if e.kind == "application" and e.body.number in existing and existing[e.body.number].kiosk_id != kiosk.pk:
                rejected.append({"id": str(eid), "reason": f"number {e.body.number} belongs to another kiosk"})
                del good[eid]
        if not good:
            return [], rejected

        inserted = _insert_events(kiosk, list(good.values()), now)
        already = [eid for eid in good if eid not in inserted]
        if already:
            with connection.cursor() as cur:
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


def _insert_events(kiosk: Kiosk, events: list[wire.Incoming], now: dt.datetime) -> dict[uuid.UUID, int]:
    """INSERT ... ON CONFLICT (event_id) DO NOTHING; {event_id: row id} of the rows this call inserted."""
    rows: list[Any] = []
    for e in events:
        rows += [e.id, kiosk.pk, e.kind, e.at, now, json.dumps(_stored_body(e), ensure_ascii=False)]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s::jsonb)"] * len(events))
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO cases_event (event_id, kiosk_id, kind, at, received_at, body) VALUES {values} "
            "ON CONFLICT (event_id) DO NOTHING RETURNING event_id, id",
            rows,
        )
        return {eid: pk for eid, pk in cur.fetchall()}


def _derive(kiosk: Kiosk, new: list[tuple[int, wire.Incoming]], now: dt.datetime, existing: dict[str, Case]) -> None:
    applications = [(pk, e) for pk, e in new if e.kind == "application"]
    if applications:
        _applications(kiosk, applications, now, existing)
    calls = [e for _, e in new if e.kind == "staff_call"]
    if calls:
        StaffCall.objects.bulk_create(
            [StaffCall(call_id=e.body.call_id, kiosk=kiosk, screen=e.body.screen or "", service=e.body.service or "",
                       number=e.body.number or "", location=e.body.location or kiosk.location, created_at=e.at,
                       received_at=now) for e in calls],
            ignore_conflicts=True,
        )
    ratings = [(pk, e) for pk, e in new if e.kind == "rating"]
    if ratings:
        answer_by = add_working_days(timezone.localtime(now).date(), clocks.RATING_ANSWER_WORKING_DAYS)
        Rating.objects.bulk_create([
            Rating(event_id=pk, kiosk=kiosk, number=e.body.number or "", service=e.body.service, stars=e.body.stars,
                   reason=e.body.reason, at=e.at, received_at=now,
                   handling=Rating.Handling.OPEN if e.body.stars <= 2 else Rating.Handling.NONE,
                   due=answer_by if e.body.stars <= 2 else None)
            for pk, e in ratings
        ])
    stats = {e.body.session_id: e for _, e in new if e.kind == "step_stats"}
    if stats:
        StepStat.objects.bulk_create(
            [StepStat(kiosk=kiosk, session_id=sid, service=e.body.service or "",
                      steps=[s.model_dump(mode="json") for s in e.body.steps], finished=e.body.finished,
                      abandoned_at=e.body.abandoned_at or "", at=e.at, received_at=now) for sid, e in stats.items()],
            update_conflicts=True, unique_fields=["kiosk", "session_id"],
            update_fields=["service", "steps", "finished", "abandoned_at", "at", "received_at"],
        )


def _applications(kiosk: Kiosk, applications: list[tuple[int, wire.Incoming]], now: dt.datetime,
                  existing: dict[str, Case]) -> None:
    """New cases from applications; a later application event for a case already held refreshes what the
    kiosk knows (answers, findings, documents) and never the hall's state."""
    latest: dict[str, wire.Incoming] = {}
    for _, e in applications:
        latest[e.body.number] = e
    seq = bump_kiosk(kiosk.pk)
    received = timezone.localtime(now).date()
    created: list[Case] = []
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
            created.append(Case(number=number, kiosk=kiosk, state=_INITIAL_STATE[b.outcome], submitted_at=now,
                                correction_due=clocks.correction_due(received),
                                decision_due=clocks.decision_due(received, limit), change_seq=seq, updated_at=now,
                                **fields))
        else:
            for name, value in fields.items():
                setattr(case, name, value)
            case.change_seq, case.updated_at = seq, now
            case.save(update_fields=[*fields, "change_seq", "updated_at"])
            CaseHistory.objects.create(case=case, at=now, by_name=f"终端 {kiosk.kiosk_id}", action="kiosk_refresh",
                                       from_state=case.state, to_state=case.state, data={"event": str(e.id)})
    if created:
        Case.objects.bulk_create(created)
        CaseHistory.objects.bulk_create([
            CaseHistory(case=c, at=now, by_name=f"终端 {kiosk.kiosk_id}", action="received", to_state=c.state,
                        data={"event": str(latest[c.number].id), "outcome": c.outcome,
                              "kiosk_at": latest[c.number].at.isoformat()})
            for c in created
        ])
    cases = {c.number: c for c in created} | existing
    docs, pages = [], []
    for number, e in latest.items():
        case = cases[number]
        docs += [CaseDocument(case=case, name=d.name, sha256=d.sha256, content=base64.b64decode(d.pdf_b64))
                 for d in e.body.documents]
        pages += [MaterialPage(case=case, material=p.material, sha256=p.sha256, content=base64.b64decode(p.png_b64))
                  for p in e.body.material_pages]
    if docs:
        CaseDocument.objects.bulk_create(docs, update_conflicts=True, unique_fields=["case", "name"],
                                         update_fields=["sha256", "content"])
    if pages:
        MaterialPage.objects.bulk_create(pages, ignore_conflicts=True)

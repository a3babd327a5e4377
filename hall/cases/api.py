"""The hall's HTTP API (PLAN.md wire contract): kiosks post events and heartbeats; staff tools read a case.

Kiosks authenticate with their own bearer token and may post only as themselves (403 otherwise, nothing
stored); a bad or revoked token is 401. A batch over 8 MiB or 500 events is 413 (the kiosk halves it).
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from hall.cases import ingest, tokens, wire
from hall.cases.models import Case, Kiosk, StaffCall

log = logging.getLogger(__name__)

#: A heartbeat is small; anything bigger is refused.
MAX_HEARTBEAT_BYTES = 64 * 1024
#: Changes in one heartbeat reply; the rest come with the next (the cursor says where to go on).
MAX_CHANGES = 200


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _read_json(request: HttpRequest, limit: int):
    """The request's JSON body, or an error response (413 over `limit` bytes, 400 not JSON)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return None, _error(413, f"request body over {limit} bytes: send smaller batches")
    raw = request.read(limit + 1)
    if len(raw) > limit:
        return None, _error(413, f"request body over {limit} bytes: send smaller batches")
    try:
        return json.loads(raw), None
    except (UnicodeDecodeError, ValueError):
        return None, _error(400, "the body is not JSON")


def _kiosk_request(request: HttpRequest, limit: int):
    """(kiosk, data, None) for a POST by an enrolled kiosk as itself, else (None, None, error response)."""
    if request.method != "POST":
        return None, None, _error(405, "POST only")
    kiosk = tokens.kiosk_for(request)
    if kiosk is None:
        return None, None, _error(401, "unknown or revoked kiosk credential")
    data, error = _read_json(request, limit)
    if error is not None:
        return None, None, error
    if isinstance(data, dict) and data.get("kiosk_id") != kiosk.kiosk_id:
        log.warning("kiosk %s posted as %r: refused", kiosk.kiosk_id, data.get("kiosk_id"))
        return None, None, _error(403, "a kiosk may post only as itself")
    return kiosk, data, None


@csrf_exempt
def events(request: HttpRequest) -> JsonResponse:
    kiosk, data, error = _kiosk_request(request, settings.HALL_MAX_BATCH_BYTES)
    if error is not None:
        return error
    try:
        _, raw_events = wire.envelope(data, settings.HALL_MAX_BATCH_EVENTS)
    except OverflowError as e:
        return _error(413, str(e))
    except wire.WireError as e:
        return _error(400, str(e))
    held, rejected = ingest.ingest(kiosk, raw_events)
    return JsonResponse({"held": held, "rejected": rejected})


@csrf_exempt
def heartbeat(request: HttpRequest) -> JsonResponse:
    kiosk, data, error = _kiosk_request(request, MAX_HEARTBEAT_BYTES)
    if error is not None:
        return error
    try:
        beat = wire.heartbeat(data)
    except wire.WireError as e:
        return _error(400, str(e))
    now = timezone.now()
    kiosk_time = beat.pop("kiosk_time")
    cursor = beat["cursor"]
    stored = {k: v for k, v in beat.items() if k not in ("kiosk_id",)}
    Kiosk.objects.filter(pk=kiosk.pk).update(
        last_seen=now, last_heartbeat=stored, last_kiosk_time=kiosk_time,
        version=str(beat.get("version") or "")[:40], acked_cursor=cursor,
    )
    return JsonResponse(changes_since(kiosk, cursor, now), json_dumps_params={"ensure_ascii": False})


def changes_since(kiosk: Kiosk, cursor: int, now) -> dict:
    """The heartbeat reply: what changed for `kiosk` after `cursor`, oldest first, at most MAX_CHANGES."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT change_seq FROM cases_kiosk WHERE id = %s", [kiosk.pk])
        newest = cur.fetchone()[0]
        if cursor > newest:  # the hall's database was restored from an older backup: start over
            cursor = 0
        # One statement, one snapshot: cases and call acks are read at the same instant.
        cur.execute(
            "SELECT 'case', id, change_seq FROM cases_case WHERE kiosk_id = %s AND change_seq > %s "
            "UNION ALL SELECT 'call', id, change_seq FROM cases_staffcall "
            "WHERE kiosk_id = %s AND change_seq > %s AND acked_at IS NOT NULL ORDER BY 3 LIMIT %s",
            [kiosk.pk, cursor, kiosk.pk, cursor, MAX_CHANGES],
        )
        rows = cur.fetchall()
    case_ids = [pk for kind, pk, _ in rows if kind == "case"]
    call_ids = [pk for kind, pk, _ in rows if kind == "call"]
    cases = Case.objects.filter(pk__in=case_ids).order_by("change_seq") if case_ids else []
    calls = (StaffCall.objects.filter(pk__in=call_ids).select_related("acked_by").order_by("change_seq")
             if call_ids else [])
    return {
        "server_time": timezone.localtime(now).isoformat(),
        "cursor": max((seq for _, _, seq in rows), default=cursor),
        "changes": [
            {"number": c.number, "state": c.state, "outcome": c.outcome,
             "updated_at": timezone.localtime(c.updated_at).isoformat(), "notice": c.notice, "pickup": c.pickup}
            for c in cases
        ],
        "call_acks": [
            {"call_id": str(call.call_id), "by": _display(call.acked_by),
             "at": timezone.localtime(call.acked_at).isoformat()}
            for call in calls
        ],
    }


def _display(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username()) if hasattr(user, "get_full_name") else str(user)


def application(request: HttpRequest, number: str) -> JsonResponse:
    """A case as JSON, for staff tools holding an API token (`python -m hall staff add`)."""
    if request.method != "GET":
        return _error(405, "GET only")
    user = tokens.staff_for(request)
    if user is None:
        return _error(401, "a staff API token is needed (Authorization: Bearer ...)")
    case = Case.objects.select_related("kiosk", "claimed_by").filter(number=number).first()
    if case is None:
        return _error(404, f"no application {number}")
    return JsonResponse(case_json(case), json_dumps_params={"ensure_ascii": False})


def case_json(case: Case) -> dict:
    """A case for the staff API: the ID number masked, the history in order."""
    local = timezone.localtime
    return {
        "number": case.number, "service": case.service, "service_title": case.service_title,
        "kiosk_id": case.kiosk.kiosk_id, "state": case.state, "outcome": case.outcome,
        "applicant_name": case.applicant_name, "id_number": case.id_number_masked,
        "submitted_at": local(case.submitted_at).isoformat(),
        "kiosk_decided_at": local(case.kiosk_decided_at).isoformat() if case.kiosk_decided_at else None,
        "correction_due": case.correction_due.isoformat(), "decision_due": case.decision_due.isoformat(),
        "paused": case.paused_since is not None, "claimed_by": _display(case.claimed_by) or None,
        "notice": case.notice, "pickup": case.pickup, "licence_number": case.licence_number or None,
        "findings": case.findings,
        "history": [
            {"at": local(h.at).isoformat(), "by": h.by_name, "action": h.action, "from": h.from_state,
             "to": h.to_state, "note": h.note}
            for h in case.history.all()
        ],
    }


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the hall can reach its database (and so serve); 503 otherwise."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1 FROM cases_kiosk LIMIT 1")
    except Exception as e:
        return _error(503, f"database not ready: {type(e).__name__}")
    return JsonResponse({"ok": True})

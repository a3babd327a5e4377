"""The hall's HTTP API (PLAN.md wire contract): kiosks post events and heartbeats; staff tools read a case.

Kiosks authenticate with their own bearer token and may post only as themselves (403 otherwise, nothing
stored); a bad or revoked token is 401. A batch over 8 MiB or 500 events is 413 (the kiosk halves it).
"""

from __future__ import annotations

import json
import logging

import orjson
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from hall.cases import ingest, sql, tokens, wire
from hall.cases.models import Case, Kiosk

log = logging.getLogger(__name__)

#: A heartbeat is small; anything bigger is refused.
MAX_HEARTBEAT_BYTES = 64 * 1024
#: Changes in one heartbeat reply; the rest come with the next (the cursor says where to go on).
MAX_CHANGES = 200


#: A reply of the kiosk API: (HTTP status, JSON payload). The Django views (hall.urls) and the thin WSGI path
#: (hall.wsgi, what the server calls) both turn it into the same response.
Reply = tuple[int, dict]


def _error(status: int, message: str) -> Reply:
    return status, {"error": message}


def _read_json(request, limit: int):
    """The request's JSON body, or an error reply (413 over `limit` bytes, 400 not JSON)."""
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
        return orjson.loads(raw), None
    except (UnicodeDecodeError, ValueError):  # orjson.JSONDecodeError is a ValueError
        return None, _error(400, "the body is not JSON")


def _kiosk_request(request, limit: int):
    """(kiosk, token hash, data, None) for a POST by an enrolled kiosk as itself, else (None, None, None, error
    reply). The kiosk comes from the worker's memory of its token when it has one: the view checks the
    token again in its own transaction (tokens.VERIFY) and answers 401 when that fails. `request` is a
    Django HttpRequest or hall.wsgi's bare one: only .method, .META and .read() are used."""
    if request.method != "POST":
        return None, None, None, _error(405, "POST only")
    claim = tokens.claimed_kiosk(request)
    if claim is None:
        return None, None, None, _unknown()
    kiosk, digest = claim
    data, error = _read_json(request, limit)
    if error is not None:
        return None, None, None, error
    if isinstance(data, dict) and data.get("kiosk_id") != kiosk.kiosk_id:
        log.warning("kiosk %s posted as %r: refused", kiosk.kiosk_id, data.get("kiosk_id"))
        return None, None, None, _error(403, "a kiosk may post only as itself")
    return kiosk, digest, data, None


def _unknown() -> Reply:
    return _error(401, "unknown or revoked kiosk credential")


def events_reply(request) -> Reply:
    """POST /api/v1/events: a kiosk's batch stored (hall.cases.ingest); {"held", "rejected"}."""
    kiosk, digest, data, error = _kiosk_request(request, settings.HALL_MAX_BATCH_BYTES)
    if error is not None:
        return error
    try:
        _, raw_events = wire.envelope(data, settings.HALL_MAX_BATCH_EVENTS)
    except OverflowError as e:
        return _error(413, str(e))
    except wire.WireError as e:
        return _error(400, str(e))
    try:
        held, rejected = ingest.ingest(kiosk, raw_events, token_hash=digest, grouped=True)
    except tokens.Revoked:
        tokens.forget(digest)
        return _unknown()
    return 200, {"held": held, "rejected": rejected}


def heartbeat_reply(request) -> Reply:
    """POST /api/v1/heartbeat: the kiosk's state kept; what changed for it since its cursor."""
    kiosk, digest, data, error = _kiosk_request(request, MAX_HEARTBEAT_BYTES)
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
    with sql.cursor() as cur:  # only while the kiosk still holds the token (the same check as tokens.VERIFY)
        sql.execute(cur, "UPDATE cases_kiosk SET last_seen = %s, last_heartbeat = %s::jsonb, last_kiosk_time = %s, "
                    "version = %s, acked_cursor = %s WHERE id = %s AND token_hash = %s AND revoked_at IS NULL "
                    "RETURNING change_seq",
                    [now, json.dumps(stored, ensure_ascii=False), kiosk_time, str(beat.get("version") or "")[:40],
                     cursor, kiosk.pk, digest])
        row = cur.fetchone()
    if row is None:
        tokens.forget(digest)
        return _unknown()
    return 200, changes_since(kiosk, cursor, now, row[0])


def _json_response(reply: Reply) -> JsonResponse:
    status, payload = reply
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def events(request: HttpRequest) -> JsonResponse:
    return _json_response(events_reply(request))


@csrf_exempt
def heartbeat(request: HttpRequest) -> JsonResponse:
    return _json_response(heartbeat_reply(request))


#: What changed for a kiosk after its cursor, cases and acknowledged staff calls together, oldest first: one
#: statement (one snapshot), the reply's fields only (no model is built: this runs on every heartbeat).
_CHANGES = """
SELECT 'case', c.change_seq, c.number, c.state, c.outcome, c.updated_at, c.notice::text, c.pickup::text, NULL
FROM cases_case c WHERE c.kiosk_id = %s AND c.change_seq > %s
UNION ALL
SELECT 'call', s.change_seq, s.call_id::text, NULL, NULL, s.acked_at, NULL, NULL,
       coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.username, '')
FROM cases_staffcall s LEFT JOIN auth_user u ON u.id = s.acked_by_id
WHERE s.kiosk_id = %s AND s.change_seq > %s AND s.acked_at IS NOT NULL
ORDER BY 2 LIMIT %s"""


def changes_since(kiosk: Kiosk, cursor: int, now, newest: int) -> dict:
    """The heartbeat reply: what changed for `kiosk` after `cursor`, oldest first, at most MAX_CHANGES.
    `newest` is the kiosk's change counter now."""
    if cursor > newest:  # the hall's database was restored from an older backup: start over
        cursor = 0
    with sql.cursor() as cur:
        sql.execute(cur, _CHANGES, [kiosk.pk, cursor, kiosk.pk, cursor, MAX_CHANGES])
        rows = cur.fetchall()
    local = timezone.localtime
    return {
        "server_time": local(now).isoformat(),
        "cursor": max((row[1] for row in rows), default=cursor),
        "changes": [
            {"number": number, "state": state, "outcome": outcome, "updated_at": local(at).isoformat(),
             "notice": json.loads(notice) if notice else None, "pickup": json.loads(pickup) if pickup else None}
            for kind, _, number, state, outcome, at, notice, pickup, _ in rows if kind == "case"
        ],
        "call_acks": [
            {"call_id": call_id, "by": by, "at": local(at).isoformat()}
            for kind, _, call_id, _, _, at, _, _, by in rows if kind == "call"
        ],
    }


def _display(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username()) if hasattr(user, "get_full_name") else str(user)


def application(request: HttpRequest, number: str) -> JsonResponse:
    """A case as JSON, for staff tools holding an API token (`python -m hall staff add`)."""
    if request.method != "GET":
        return _json_response(_error(405, "GET only"))
    user = tokens.staff_for(request)
    if user is None:
        return _json_response(_error(401, "a staff API token is needed (Authorization: Bearer ...)"))
    case = Case.objects.select_related("kiosk", "claimed_by").filter(number=number).first()
    if case is None:
        return _json_response(_error(404, f"no application {number}"))
    return JsonResponse(case_json(case), json_dumps_params={"ensure_ascii": False})


def case_json(case: Case) -> dict:
    """A case for the staff API: the ID numbers masked (the applicant's and the answers'), the history in order."""
    local = timezone.localtime
    return {
        "number": case.number, "service": case.service, "service_title": case.service_title,
        "kiosk_id": case.kiosk.kiosk_id, "state": case.state, "outcome": case.outcome,
        "applicant_name": case.applicant_name, "id_number": case.id_number_masked,
        # ID numbers among the answers are stored masked (the full ones sealed: hall.cases.idfields).
        "answers": case.answers, "sealed_answers": sorted(case.id_answer_hashes or {}),
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
        return _json_response(_error(503, f"database not ready: {type(e).__name__}"))
    return JsonResponse({"ok": True})

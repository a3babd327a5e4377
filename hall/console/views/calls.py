"""Staff calls: the live page (its script polls calls.json every 700 ms) and the acknowledgement, which
services.ack_call hands to the kiosk in its next heartbeat reply (call_acks)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from hall.cases import services
from hall.cases.models import Case, StaffCall
from hall.console import labels
from hall.console.roles import role_required
from hall.console.views import render_page

#: Acknowledged calls stay on the page this long, so the one who answered sees it done.
SHOW_ACKED = dt.timedelta(minutes=10)
#: Open calls older than this are not shown (a kiosk that called yesterday and nobody answered).
SHOW_OPEN = dt.timedelta(hours=12)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def open_calls(now: dt.datetime) -> list[dict]:
    """The calls the page shows: open ones first (oldest first), then the recently acknowledged."""
    calls = (StaffCall.objects.select_related("kiosk", "acked_by")
             .filter(Q(acked_at__isnull=True, received_at__gte=now - SHOW_OPEN) | Q(acked_at__gte=now - SHOW_ACKED))
             .order_by(F("acked_at").asc(nulls_first=True), "received_at")[:100])
    services_title = {}
    rows = []
    for call in calls:
        if call.service and call.service not in services_title:
            title = Case.objects.filter(service=call.service).values_list("service_title", flat=True).first()
            services_title[call.service] = title or call.service
        rows.append({
            "call_id": str(call.call_id), "kiosk_id": call.kiosk.kiosk_id,
            "kiosk_name": call.kiosk.name or call.kiosk.kiosk_id,
            "location": call.location or call.kiosk.location or "（未设置位置）",
            "step": labels.step(call.screen), "screen": call.screen,
            "service_title": services_title.get(call.service, ""), "number": call.number,
            "age_s": max(0.0, (now - call.received_at).total_seconds()),
            "acked_at": call.acked_at.isoformat() if call.acked_at else None, "acked_by": _name(call.acked_by),
            "ack_url": reverse("console:ack", args=[call.call_id]),
        })
    return rows


@role_required()
def calls_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render_page(request, "console/calls.html", {"calls": open_calls(now)}, nav="calls")


@role_required()
def calls_json(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    rows = open_calls(now)
    response = JsonResponse({"server_time": timezone.localtime(now).isoformat(), "calls": rows,
                             "open": sum(1 for r in rows if r["acked_at"] is None)})
    response["Cache-Control"] = "no-store"
    return response


@role_required("reviewer", "approver")
def ack(request: HttpRequest, call_id) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    call = get_object_or_404(StaffCall, call_id=call_id)
    call = services.ack_call(call, request.user)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"call_id": str(call.call_id), "acked_by": _name(call.acked_by),
                             "acked_at": call.acked_at.isoformat()})
    return redirect("console:calls")

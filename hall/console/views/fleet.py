"""Fleet: every kiosk with its last heartbeat, module states, oldest unsent event and today's applications;
a kiosk silent for more than 90 s, with a faulty module or out of paper is red (and says why)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from hall.cases.models import Case, Kiosk
from hall.console import labels
from hall.console.roles import role_required
from hall.console.views import render_page

#: A kiosk that has not sent a heartbeat for longer than this is red (it beats every 30 s).
SILENT_AFTER = dt.timedelta(seconds=90)
MODULES = ("reader", "printer", "paper", "camera")
MODULE_NAMES = {"reader": "读卡器", "printer": "打印机", "paper": "纸张", "camera": "高拍仪"}


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} 秒"
    if seconds < 3600:
        return f"{seconds // 60} 分钟"
    if seconds < 86400:
        return f"{seconds // 3600} 小时 {seconds % 3600 // 60} 分"
    return f"{seconds // 86400} 天 {seconds % 86400 // 3600} 小时"


def kiosk_row(kiosk: Kiosk, now: dt.datetime, today_cases: int) -> dict:
    """One line of the fleet table, with the reasons it is red (empty when all is well)."""
    beat = kiosk.last_heartbeat or {}
    modules = beat.get("modules") or {}
    problems = []
    silent = None if kiosk.last_seen is None else (now - kiosk.last_seen).total_seconds()
    if kiosk.revoked_at:
        problems.append("凭证已吊销")
    if silent is None:
        problems.append("从未连接")
    elif silent > SILENT_AFTER.total_seconds():
        problems.append(f"已 {_ago(silent)} 没有心跳")
    cells = []
    for module in MODULES:
        if not beat:  # never beat: nothing is known about its modules
            cells.append({"name": module, "state": "", "label": "—", "cls": "muted"})
            continue
        state = modules.get(module, "unknown" if module == "paper" else "absent")
        bad = state == "fault" or (module == "paper" and state == "out")
        warn = module == "paper" and state == "low"
        if bad:
            problems.append(f"{MODULE_NAMES[module]}{labels.MODULES.get(state, state)}")
        cells.append({"name": module, "state": state, "label": labels.MODULES.get(state, state),
                      "cls": "bad" if bad else "warn" if warn else "ok" if state == "ok" else "muted"})
    oldest = beat.get("oldest_unsent_s")
    counts = beat.get("counts") or {}
    return {"kiosk": kiosk, "red": bool(problems), "problems": problems,
            "silent": _ago(silent) if silent is not None else "从未", "modules": cells,
            "unsent": beat.get("unsent", 0), "oldest_unsent": _ago(oldest) if oldest is not None else "—",
            "oldest_unsent_warn": oldest is not None and oldest > 3600,
            "kiosk_count": counts.get("applications"), "today_cases": today_cases,
            "version": kiosk.version or beat.get("version", "")}


@role_required()
def fleet(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time()))
    today = dict(Case.objects.filter(submitted_at__gte=start).order_by().values_list("kiosk_id")
                 .annotate(n=Count("id")).values_list("kiosk_id", "n"))
    rows = [kiosk_row(k, now, today.get(k.pk, 0)) for k in Kiosk.objects.order_by("kiosk_id")]
    rows.sort(key=lambda r: (not r["red"], r["kiosk"].kiosk_id))
    return render_page(request, "console/fleet.html", {
        "rows": rows, "red": sum(r["red"] for r in rows), "now": now,
        "today_total": sum(today.values()),
    }, nav="fleet")

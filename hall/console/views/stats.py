"""Statistics across kiosks: per item and day (started, finished, 秒批, 受理, abandoned, median time at the
terminal), abandonment by step, the most frequent findings, 好差评 grades with every 差评 and its handling
(5 working days to answer; answered here through services.answer_rating); SVG charts and CSV export."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from hall.cases import services
from hall.cases.models import Rating
from hall.console import charts, daycount, labels, statistics
from hall.console.roles import role_required
from hall.console.views import render_page
from hall.console.views.queue import services_list

#: Days shown when the page opens.
DEFAULT_DAYS = 14
#: The longest range one page reads.
MAX_DAYS = 366


def _range(request: HttpRequest) -> tuple[dt.date, dt.date, str]:
    today = timezone.localdate()
    try:
        end = dt.date.fromisoformat(request.GET.get("to") or today.isoformat())
        first = request.GET.get("from")
        start = dt.date.fromisoformat(first) if first else end - dt.timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        end, start = today, today - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        start, end = end, start
    start = max(start, end - dt.timedelta(days=MAX_DAYS - 1))
    return start, end, request.GET.get("service", "")


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def _bad_ratings(start: dt.date, end: dt.date, service: str, titles: dict[str, str]) -> list[dict]:
    """Every 差评: the open ones whenever they came, and the others given in the range (the kiosk's day, as
    the rest of the page)."""
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    stop = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    ratings = Rating.objects.select_related("kiosk", "handled_by").filter(stars__lte=2).filter(
        Q(handling=Rating.Handling.OPEN) | Q(at__gte=begin, at__lt=stop))
    if service:
        ratings = ratings.filter(service=service)
    today = timezone.localdate()
    rows = []
    for r in ratings.order_by("handled_at", "due", "received_at")[:500]:
        left = daycount.working_days_left(today, r.due) if r.due and r.handling != Rating.Handling.ANSWERED else None
        rows.append({"r": r, "left": left, "service_title": titles.get(r.service, r.service),
                     "overdue": left is not None and left < 0,
                     "handling_label": Rating.Handling(r.handling).label if r.handling in Rating.Handling.values
                     else r.handling})
    return rows


@role_required()
def stats_page(request: HttpRequest) -> HttpResponse:
    start, end, service = _range(request)
    titles = dict(services_list())
    rows = statistics.per_day(start, end, service)
    days = [(start + dt.timedelta(days=i)) for i in range((end - start).days + 1)]
    totals: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        for key, value in (("开始", r.started), ("完成", r.finished), ("秒批", r.instant), ("受理", r.accepted)):
            totals[key][r.day] += value
    series = {key: [totals[key][d] for d in days] for key in ("开始", "完成", "秒批", "受理")}
    abandoned = [(labels.step(step), n) for step, n in statistics.abandoned_by_step(start, end, service)]
    findings = statistics.top_findings(start, end, service)
    grades = statistics.grades(start, end, service)
    grade_rows = []
    for sid, counts in sorted(grades.items()):
        total = sum(counts.values())
        mean = sum(s * n for s, n in counts.items()) / total if total else 0
        bad = counts.get(1, 0) + counts.get(2, 0)
        grade_rows.append({"service": titles.get(sid, sid), "total": total, "mean": f"{mean:.2f}", "bad": bad,
                           "counts": [counts.get(s, 0) for s in (5, 4, 3, 2, 1)], "bar": charts.grade_bar(counts)})
    table = [{"row": r, "title": titles.get(r.service, r.service), "median": _minutes(r.median_s)} for r in rows]
    return render_page(request, "console/stats.html", {
        "start": start, "end": end, "service": service, "services": sorted(titles.items(), key=lambda t: t[1]),
        "table": table,
        "day_chart": charts.column_chart([d.isoformat() for d in days], series, title="每日办理量（全部终端）"),
        "abandon_chart": charts.hbar_chart(abandoned, title="中途放弃的步骤", unit=" 次"),
        "findings_chart": charts.hbar_chart(findings, title="最常见的预审问题（申请人卡在哪里）", unit=" 次"),
        "grade_rows": grade_rows, "bad_ratings": _bad_ratings(start, end, service, titles), "titles": titles,
    }, nav="stats")


@role_required()
def stats_csv(request: HttpRequest) -> HttpResponse:
    start, end, service = _range(request)
    titles = dict(services_list())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="miaoban-stats-{start}-{end}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly only after a BOM
    writer = csv.writer(response)
    writer.writerow(["日期", "事项编码", "事项", "开始办理", "完成", "秒批", "受理", "未通过预审", "中途放弃",
                     "终端用时中位数（分钟）"])
    for r in statistics.per_day(start, end, service):
        writer.writerow([r.day.isoformat(), r.service, titles.get(r.service, r.service), r.started, r.finished,
                         r.instant, r.accepted, r.blocked, r.abandoned, _minutes(r.median_s)])
    return response


@role_required("reviewer", "approver")
def answer_rating(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rating = get_object_or_404(Rating, pk=pk)
    try:
        services.answer_rating(rating, request.user, request.POST.get("answer", ""))
        messages.success(request, "差评已标记为已回复。")
    except services.CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    back = request.POST.get("back", "")
    return redirect(back if back.startswith("/stats/") else "console:stats")

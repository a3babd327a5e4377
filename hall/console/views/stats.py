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
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from hall.cases import services
from hall.cases.models import Rating
from hall.console import charts, daycount, labels, statistics
from hall.console.roles import has_role, role_required
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


_BAD_FIELDS = ("pk", "received_at", "kiosk__kiosk_id", "service", "number", "stars", "reason", "handling", "due",
               "answer", "handled_at", "handled_by__username", "handled_by__first_name", "handled_by__last_name")


def _bad_ratings(start: dt.date, end: dt.date, service: str, titles: dict[str, str]) -> list[dict]:
    """Every 差评: the open ones whenever they came, and the others given in the range (the kiosk's day, as
    the rest of the page); read as plain values (up to 500 rows: building models cost more than the query)."""
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    stop = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    ratings = Rating.objects.filter(stars__lte=2).filter(
        Q(handling=Rating.Handling.OPEN) | Q(at__gte=begin, at__lt=stop))
    if service:
        ratings = ratings.filter(service=service)
    today = timezone.localdate()
    labels_ = dict(Rating.Handling.choices)
    rows = []
    for r in ratings.order_by("handled_at", "due", "received_at").values(*_BAD_FIELDS)[:500]:
        left = daycount.working_days_left(today, r["due"]) if r["due"] and r["handling"] != "answered" else None
        rows.append({"r": r, "left": left, "service_title": titles.get(r["service"], r["service"]),
                     "overdue": left is not None and left < 0,
                     "handling_label": labels_.get(r["handling"], r["handling"])})
    return rows


def _day_lines(table: list[dict]) -> str:
    """The per-(day, item) table's rows as HTML (a year of 40 items is 14,640 rows: the template engine took
    0.2 ms a row, this a few microseconds; the item's title escaped, the rest are dates and numbers)."""
    return mark_safe("".join(
        f'<tr><td>{t["row"].day.isoformat()}</td><td>{escape(t["title"])}</td><td class="num">{t["row"].started}</td>'
        f'<td class="num">{t["row"].finished}</td><td class="num">{t["row"].instant}</td>'
        f'<td class="num">{t["row"].accepted}</td><td class="num">{t["row"].blocked}</td>'
        f'<td class="num">{t["row"].abandoned}</td><td class="num">{t["median"]}</td></tr>\n'
        for t in table))


def _bad_lines(request: HttpRequest, rows: list[dict], may_answer: bool) -> str:
    """The 差评 rows as HTML (up to 500, each with its answer form: rendered here for the reason above)."""
    local = timezone.localtime
    token = get_token(request) if may_answer else ""
    back = request.get_full_path()
    out = []
    for b in rows:
        r = b["r"]
        left = ""
        if b["left"] is not None:
            left = format_html('<br><span class="{}">{}</span>', "bad" if b["overdue"] else "muted",
                               "已超期" if b["overdue"] else f"剩 {b['left']} 个工作日")
        if r["handling"] == "answered":
            full = f"{r['handled_by__first_name'] or ''} {r['handled_by__last_name'] or ''}".strip()
            answer = format_html('{}<br><span class="muted">{} {}</span>', r["answer"],
                                 full or r["handled_by__username"] or "",
                                 local(r["handled_at"]).strftime("%m-%d %H:%M") if r["handled_at"] else "")
        elif may_answer:
            answer = format_html(
                '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="back" value="{}">'
                '<input type="text" name="answer" placeholder="回复或处理结果" size="24" required> '
                '<button type="submit" class="answer">标记已处理</button></form>',
                reverse("console:answer_rating", args=[r["pk"]]), token, back)
        else:
            answer = ""
        out.append(format_html(
            '<tr class="{}" id="rating-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} 星</td><td>{}</td>'
            '<td class="handling">{}</td><td>{}{}</td><td>{}</td></tr>\n',
            "overdue" if b["overdue"] else "", r["pk"], local(r["received_at"]).strftime("%Y-%m-%d %H:%M"),
            r["kiosk__kiosk_id"], b["service_title"], r["number"] or "—", r["stars"], r["reason"] or "（未填写）",
            b["handling_label"], r["due"].isoformat() if r["due"] else "", left, answer))
    return mark_safe("".join(out))


@role_required()
def stats_page(request: HttpRequest) -> HttpResponse:
    start, end, service = _range(request)
    titles = dict(services_list())
    figures = statistics.summary(start, end, service)
    rows = figures.per_day
    days = [(start + dt.timedelta(days=i)) for i in range((end - start).days + 1)]
    totals: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        for key, value in (("开始", r.started), ("完成", r.finished), ("秒批", r.instant), ("受理", r.accepted)):
            totals[key][r.day] += value
    series = {key: [totals[key][d] for d in days] for key in ("开始", "完成", "秒批", "受理")}
    abandoned = [(labels.step(step), n) for step, n in figures.abandoned_by_step]
    findings = figures.top_findings
    grades = figures.grades
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
        "grade_rows": grade_rows, "titles": titles, "day_lines": _day_lines(table),
        "bad_lines": _bad_lines(request, _bad_ratings(start, end, service, titles),
                                has_role(request.user, "reviewer") or has_role(request.user, "approver")),
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

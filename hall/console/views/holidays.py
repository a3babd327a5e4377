"""节假日安排: the years the legal clocks know (shipped with the release or entered here), and the form an
admin fills from the State Council's yearly notice; saving moves the due dates of open cases
(hall.cases.holidays). Everyone on staff sees the list; only an admin may enter or delete a year."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from hall.cases import holidays, workdays
from hall.cases.models import HolidayNotice
from hall.cases.notice_text import NoticeTextError, format_days, parse_notice
from hall.console.roles import ADMIN, has_role, role_required
from hall.console.views import render_page


def _years(today: dt.date) -> list[dict]:
    """Last year to next year, and any other year entered or shipped: where its notice comes from."""
    entered = {row.year: row for row in HolidayNotice.objects.select_related("entered_by")}
    years = sorted(set(range(today.year - 1, today.year + 2)) | set(entered) | set(workdays.BUILT_IN))
    rows = []
    for year in years:
        notice = workdays.notice(year)
        row = entered.get(year)
        rows.append({
            "year": year, "notice": notice, "entered": row,
            "by": (row.entered_by.get_full_name() or row.entered_by.get_username()) if row and row.entered_by else "",
            "days_off": len(notice.holidays) if notice else 0,
            "makeup": len(notice.makeup_workdays) if notice else 0,
            "shipped": year in workdays.BUILT_IN,
        })
    return rows


@role_required()
def holidays_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = {"year": today.year + 1 if today.month >= holidays.NEXT_YEAR_EXPECTED_FROM_MONTH else today.year,
            "holidays": "", "makeup": "", "source": ""}
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not has_role(request.user, ADMIN):
            raise PermissionDenied("只有管理员可以录入或删除节假日安排。")
        form = {key: request.POST.get(key, "")[:4000] for key in ("year", "holidays", "makeup", "source")}
        try:
            year = int(form["year"])
        except ValueError:
            problems, status = [f"年份「{form['year'][:10]}」不对"], 400
        else:
            if request.POST.get("delete"):
                moved = holidays.remove_notice(year, request.user)
                messages.success(request, f"已删除录入的 {year} 年节假日安排；{moved} 个期限已重算。")
                return redirect("console:holidays")
            try:
                notice = parse_notice(year, form["holidays"], form["makeup"], form["source"])
            except NoticeTextError as exc:
                problems, status = exc.problems, 400
            else:
                moved = holidays.save_notice(notice, request.user)
                messages.success(request, f"已保存 {year} 年节假日安排（{notice.source}）：放假 "
                                          f"{len(notice.holidays)} 天，调休上班 {len(notice.makeup_workdays)} 天；"
                                          f"{moved} 个办件或差评的期限已按新安排重算，办件历史中有记录。")
                return redirect("console:holidays")
    elif "year" in request.GET:
        try:
            shown = workdays.notice(int(request.GET["year"]))
        except ValueError:
            shown = None
        if shown:  # an existing year opened for correction: its days as they would be typed
            form = {"year": shown.year, "holidays": format_days(shown.holidays),
                    "makeup": format_days(shown.makeup_workdays), "source": shown.source}
    return render_page(request, "console/holidays.html", {
        "years": _years(today), "form": form, "problems": problems, "today": today,
        "can_edit": has_role(request.user, ADMIN),
    }, nav="holidays", status=status)

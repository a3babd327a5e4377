"""The queue: 受理 applications with their legal deadline and working days left (paused while waiting for
补正), filtered by item and state, 50 a page, most urgent first; claim from the list, owner shown to all.

Built to stay fast over a million cases: the open states are read through partial indexes ordered by
decision_due (migration console 0001), the count is capped, and a page reads only its 50 rows: pages are
keyset pages (the rows after the last one shown), so a deep page costs what the first does.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from hall.cases.models import Case, State
from hall.console import daycount
from hall.console.roles import has_role, role_required
from hall.console.views import render_page

PAGE_SIZE = 50
#: The queue shows "10000+" rather than counting past this (a full count over a million rows costs more
#: than the page itself).
COUNT_CAP = 10_000
#: States staff still act on, the default filter (partial indexes cover exactly these).
OPEN_STATES = (State.SUBMITTED.value, State.CORRECTION_REQUESTED.value, State.ACCEPTED.value)


def services_list() -> list[tuple[str, str]]:
    """(service id, title) of every item with cases, for the filter (one indexed scan of distinct ids)."""
    with connection.cursor() as cur:
        cur.execute(
            "WITH RECURSIVE s(service) AS ("
            " (SELECT service FROM cases_case ORDER BY service LIMIT 1)"
            " UNION ALL SELECT (SELECT c.service FROM cases_case c WHERE c.service > s.service"
            " ORDER BY c.service LIMIT 1) FROM s WHERE s.service IS NOT NULL)"
            " SELECT s.service, (SELECT service_title FROM cases_case c WHERE c.service = s.service LIMIT 1)"
            " FROM s WHERE s.service IS NOT NULL")
        return [(sid, title or sid) for sid, title in cur.fetchall()]


def capped_count(queryset) -> tuple[int, bool]:
    """(count, capped): counts at most COUNT_CAP + 1 rows."""
    n = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP


def time_left(case: Case, today) -> dict:
    """The deadline column of one row: working days left, paused, overdue, or closed."""
    if case.state not in OPEN_STATES:
        return {"text": "待出件" if case.state == State.APPROVED else "已办结", "cls": ""}
    if case.paused_since is not None:
        return {"text": "暂停（待补正）", "cls": "paused"}
    left = daycount.working_days_left(today, case.decision_due)
    if left < 0:
        return {"text": f"已超期 {-left} 个工作日", "cls": "overdue"}
    return {"text": f"剩 {left} 个工作日", "cls": "due-soon" if left <= 3 else ""}


def correction_left(case: Case, today) -> str:
    """The 补正 clock of a case nobody has asked to correct yet (5 working days from receipt)."""
    if case.state != State.SUBMITTED or case.correction_count:
        return ""
    left = daycount.working_days_left(today, case.correction_due)
    return f"补正告知期剩 {left} 个工作日" if left >= 0 else "补正告知期已过"


def can_claim(user, case: Case) -> bool:
    """Whether the claim button shows on a row (services.claim checks again)."""
    if case.claimed_by_id is not None or case.state not in OPEN_STATES or isinstance(user, AnonymousUser):
        return False
    return has_role(user, "approver" if case.state == State.ACCEPTED else "reviewer")


def _owner(case: Case) -> str:
    user = case.claimed_by
    return (user.get_full_name() or user.username) if user else ""


def row(user, case: Case, today, case_url: str) -> dict:
    """One queue line as plain strings (the template only places them: 50 rows render in a few ms);
    `case_url` is the case page's URL with NUMBER for the number (reversed once per page)."""
    number = case.number
    url = case_url.replace("NUMBER", quote(number, safe=""))
    return {
        "number": number, "url": url, "claim_url": f"{url}act/claim/" if can_claim(user, case) else "",
        "service": case.service_title or case.service, "applicant": case.applicant_name,
        "kiosk": case.kiosk.name or case.kiosk.kiosk_id,
        "submitted": timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M"),
        "state": case.state, "state_label": State(case.state).label,
        "due": case.decision_due.isoformat(), "left": time_left(case, today),
        "correction": correction_left(case, today), "owner": _owner(case),
    }


def _after(text: str, by_due: bool):
    """The keyset cursor of "下一页": (decision_due or submitted_at, id) of the last row shown, or None."""
    key, _, pk = text.rpartition("_")
    try:
        value = dt.date.fromisoformat(key) if by_due else dt.datetime.fromisoformat(key)
        return value, int(pk)
    except ValueError:
        return None


@role_required()
def queue(request: HttpRequest) -> HttpResponse:
    service = request.GET.get("service", "")
    state = request.GET.get("state", "open")
    mine = request.GET.get("mine") == "1"
    cases = Case.objects.select_related("kiosk", "claimed_by")
    by_due = state != "all"
    if state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif state in State.values:
        cases = cases.filter(state=state)
    else:
        state = "all"
    if service:
        cases = cases.filter(service=service)
    if mine:
        cases = cases.filter(claimed_by=request.user)
    total, capped = capped_count(cases)
    # Keyset pages (the rows after the last one shown, or before the first one shown for "上一页"), not
    # OFFSET: page 200 costs what page 1 does, both ways.
    after = _after(request.GET.get("after", ""), by_due)
    before = None if after else _after(request.GET.get("before", ""), by_due)
    key = "(cases_case.decision_due, cases_case.id)" if by_due else "(cases_case.submitted_at, cases_case.id)"
    forward = ("decision_due", "id") if by_due else ("-submitted_at", "-id")
    if before:  # read backwards from the cursor, then show in the page's own order
        cases = cases.order_by(*[f[1:] if f.startswith("-") else f"-{f}" for f in forward])
        cases = cases.extra(where=[f"{key} {'<' if by_due else '>'} (%s, %s)"], params=list(before))
    else:
        cases = cases.order_by(*forward)
        if after:
            cases = cases.extra(where=[f"{key} {'>' if by_due else '<'} (%s, %s)"], params=list(after))
    try:
        page = max(1, int(request.GET.get("page", "1"))) if after or before else 1
    except ValueError:
        page = 1
    rows = list(cases.only(
        "number", "service", "service_title", "state", "outcome", "applicant_name", "submitted_at", "decision_due",
        "correction_due", "correction_count", "paused_since", "claimed_by", "kiosk__kiosk_id", "kiosk__name",
        "claimed_by__username", "claimed_by__first_name", "claimed_by__last_name",
    )[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if before:
        rows.reverse()
        has_prev, has_next = more, True  # the row the cursor named (and what follows it) comes next
        page = max(page, 2) if more else 1
    else:
        has_prev, has_next = after is not None, more
    query = {"service": service, "state": state, "mine": "1" if mine else ""}
    kept = {k: v for k, v in query.items() if v}
    if before and not rows:  # nothing left before the cursor (cases closed meanwhile): the first page
        return redirect(f"{request.path}?{urlencode(kept)}")

    def cursor(case: Case) -> str:
        return f"{case.decision_due.isoformat() if by_due else case.submitted_at.isoformat()}_{case.pk}"

    next_url = f"?{urlencode({**kept, 'after': cursor(rows[-1]), 'page': page + 1})}" if has_next and rows else ""
    prev_url = ""
    if has_prev and rows:
        prev_url = (f"?{urlencode({**kept, 'before': cursor(rows[0]), 'page': page - 1})}" if page > 2
                    else f"?{urlencode(kept)}")
    today = timezone.localdate()
    case_url = reverse("console:case", args=["NUMBER"])
    entries = [row(request.user, c, today, case_url) for c in rows]
    query_string = urlencode(kept)
    return render_page(request, "console/queue.html", {
        "entries": entries, "page": page, "has_next": has_next, "total": total, "capped": capped,
        "services": services_list(),
        "states": [("open", "待办（待受理、待补正、已受理）"), *State.choices, ("all", "全部")],
        "query": query, "query_string": query_string, "next_url": next_url, "prev_url": prev_url,
        "today": today, "here": request.get_full_path(),
    }, nav="queue")

"""The case page: the applicant's answers, the pre-review findings, the generated PDFs and material pages,
the history; and the actions each role may take, every one through hall.cases.services (which checks the
role, the owner and the state machine again, server side, and writes the history).

The full ID numbers (the applicant's, and those among the answers) are masked; revealing one is a POST that
services.reveal_id_number records in the history, and the number is shown in that one response only.
Opening a generated PDF (it holds the full number) or a material page is recorded too (services.opened_file),
and the file is sent with Cache-Control: no-store.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from hall.cases import services
from hall.cases.models import ROLE_GROUPS, Case, CaseDocument, MaterialPage, State
from hall.console import labels
from hall.console.fieldlabels import field_label
from hall.console.roles import has_role, role_required
from hall.console.views import render_page
from hall.console.views.queue import OPEN_STATES, correction_left, time_left

#: A mainland resident ID number (18 characters, or the old 15 digits) anywhere in an answer.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")


def mask_id_numbers(text: str) -> str:
    """Every ID number in `text` with all but its first 3 and last 4 characters hidden."""
    return ID_NUMBER.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 7) + m.group(0)[-4:], text)


def _answers(case: Case, revealed: tuple[str, str] | None = None) -> list[tuple[str, str, str, bool]]:
    """The applicant's answers as (field, label, text, sealed) rows; the label is the item's own
    (hall.console.fieldlabels). An answer holding an ID number is stored masked and its full value sealed
    (hall.cases.idfields); `sealed` offers the audited reveal, and `revealed` (field, number) shows the one
    just revealed. Any other ID number in free text is masked here too."""
    sealed_keys = case.id_answer_hashes if case.id_answers_sealed is not None else {}
    rows = []
    for key, value in (case.answers or {}).items():
        label = field_label(case.service, str(key))
        if revealed and revealed[0] == key:
            rows.append((str(key), label, revealed[1], False))
            continue
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        rows.append((str(key), label, mask_id_numbers(shown), key in sealed_keys))
    return rows


def _staff_for(case: Case) -> list:
    """Who may take the case over (reassign): active staff with the role its state needs, or admins, other
    than its owner."""
    needed = "approver" if case.state == State.ACCEPTED else "reviewer"
    groups = [ROLE_GROUPS[needed], ROLE_GROUPS["admin"]]
    return list(get_user_model().objects.filter(is_active=True, groups__name__in=groups).distinct()
                .exclude(pk=case.claimed_by_id).order_by("username"))


def case_context(request: HttpRequest, case: Case) -> dict:
    user = request.user
    today = timezone.localdate()
    owner = case.claimed_by_id == user.pk
    free_or_mine = case.claimed_by_id is None or owner
    reviewer, approver = has_role(user, "reviewer"), has_role(user, "approver")
    history = [{"h": h, "action": labels.ACTIONS.get(h.action, h.action),
                "from": State(h.from_state).label if h.from_state in State.values else h.from_state,
                "to": State(h.to_state).label if h.to_state in State.values else h.to_state,
                "data": labels.history_data(h.data)}
               for h in case.history.all().order_by("at", "id")]
    findings = [{"message": f.get("message", ""), "rule": f.get("rule", ""),
                 "severity": f.get("severity", ""), "severity_label": labels.SEVERITY.get(f.get("severity", ""), "")}
                for f in (case.findings or []) if isinstance(f, dict)]
    open_state = case.state in OPEN_STATES
    may = {
        "claim": open_state and case.claimed_by_id is None
        and has_role(user, "approver" if case.state == State.ACCEPTED else "reviewer"),
        "release": case.claimed_by_id is not None and (owner or has_role(user, "admin")),
        "reassign": open_state and case.claimed_by_id is not None and (owner or has_role(user, "admin")),
        "correction": case.state == State.SUBMITTED and case.correction_count == 0 and reviewer and free_or_mine,
        "receive": case.state == State.CORRECTION_REQUESTED and reviewer and free_or_mine,
        "accept": case.state == State.SUBMITTED and reviewer and free_or_mine,
        "refuse": case.state in (State.SUBMITTED, State.CORRECTION_REQUESTED) and reviewer and free_or_mine,
        "decide": case.state == State.ACCEPTED and approver and free_or_mine,
        "deliver": case.state == State.APPROVED and (reviewer or approver),
        "reveal": case.id_number_sealed is not None and (reviewer or approver),
        "reveal_answer": case.id_answers_sealed is not None and (reviewer or approver),
    }
    return {
        "case": case, "state_label": State(case.state).label, "left": time_left(case, today),
        "correction": correction_left(case, today), "answers": _answers(case), "findings": findings,
        "documents": case.documents.only("id", "name", "sha256").order_by("name"),
        "pages": case.material_pages.only("id", "material", "sha256").order_by("id"),
        "history": history, "may": may, "staff": _staff_for(case) if may["reassign"] else [],
        "owner": owner, "today": today,
    }


@role_required()
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("kiosk", "claimed_by", "decided_by"), number=number)
    return render_page(request, "console/case.html", case_context(request, case), nav="queue")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise services.CaseActionRefused("补正截止日期格式应为 年-月-日，例如 2026-12-31。") from None


def _do(request: HttpRequest, case: Case, action: str) -> str:
    """Run one action through the services; returns the success message (refusals raise)."""
    post, user = request.POST, request.user
    if action == "claim":
        services.claim(case, user)
        return f"已认领办件 {case.number}。"
    if action == "release":
        services.release(case, user)
        return f"办件 {case.number} 已退回队列。"
    if action == "reassign":
        try:
            to = get_user_model().objects.get(pk=int(post.get("to", "0")), is_active=True)
        except (ValueError, get_user_model().DoesNotExist):
            raise services.CaseActionRefused("请选择要改派给的工作人员。") from None
        services.reassign(case, user, to, post.get("reason", ""))
        return f"办件 {case.number} 已改派给 {to.get_full_name() or to.username}。"
    if action == "correction":
        items = [*post.getlist("finding"), *_lines(post.get("items", ""))]
        services.request_correction(case, user, items, post.get("text", ""), due=_date(post.get("due", "")))
        return f"补正通知已发出（共 {len(items)} 项），决定期限暂停计算；申请人可在终端扫码查询并打印。"
    if action == "receive":
        services.receive_correction(case, user, post.get("note", ""))
        return "已登记补正材料，决定期限恢复计算。"
    if action == "accept":
        services.accept(case, user, post.get("note", ""))
        return f"办件 {case.number} 已受理，转入审批人队列。"
    if action == "refuse":
        services.refuse(case, user, post.get("reason", ""))
        return f"办件 {case.number} 不予受理，理由已告知申请人。"
    if action == "approve":
        services.approve(case, user, post.get("reason", ""), licence_number=post.get("licence_number", ""))
        return f"办件 {case.number} 准予许可。"
    if action == "deny":
        services.deny(case, user, post.get("reason", ""))
        return f"办件 {case.number} 不予许可，理由已告知申请人。"
    if action == "deliver":
        services.deliver(case, user, post.get("kind", ""), window=post.get("window", ""), ems=post.get("ems", ""),
                         note=post.get("note", ""))
        return f"办件 {case.number} 已登记出件。"
    raise Http404("没有这个操作")


ACTIONS = ("claim", "release", "reassign", "correction", "receive", "accept", "refuse", "approve", "deny", "deliver")


@role_required()
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if action not in ACTIONS:
        raise Http404("没有这个操作")
    case = get_object_or_404(Case, number=number)
    try:
        messages.success(request, _do(request, case, action))
    except services.CaseActionRefused as refusal:
        messages.error(request, str(refusal))
        response = redirect("console:case", number=number)
        response.status_code = 303
        return response
    back = request.POST.get("next", "")
    if back == "queue":
        return redirect("console:queue")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)  # the queue page it came from, with its filters
    return redirect("console:case", number=number)


@role_required("reviewer", "approver")
def reveal(request: HttpRequest, number: str) -> HttpResponse:
    """Show the full ID number once, after recording who looked and why in the case's history."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    case = get_object_or_404(Case.objects.select_related("kiosk", "claimed_by", "decided_by"), number=number)
    field = request.POST.get("field") or None  # an answer's ID number (a legal representative's ...)
    try:
        full = services.reveal_id_number(case, request.user, request.POST.get("reason", ""), field=field)
    except services.CaseActionRefused as refusal:
        messages.error(request, str(refusal))
        response = redirect("console:case", number=number)
        response.status_code = 303
        return response
    context = case_context(request, case)
    if field:
        context["answers"] = _answers(case, (field, full))
        context["revealed_field"] = field
    else:
        context["revealed_id"] = full
    response = render_page(request, "console/case.html", context, nav="queue")
    response["Cache-Control"] = "no-store"
    return response


@role_required()
def document(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """A generated PDF, inline in the browser or (?download=1) as a download."""
    doc = get_object_or_404(CaseDocument.objects.select_related("case"), pk=pk, case__number=number)
    name = doc.name if doc.name.lower().endswith(".pdf") else f"{doc.name}.pdf"
    services.opened_file(doc.case, request.user, name)
    return _private(FileResponse(io.BytesIO(bytes(doc.content)), content_type="application/pdf",
                                 as_attachment=request.GET.get("download") == "1", filename=f"{number}-{name}"))


@role_required()
def material_page(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """One photographed material page (PNG)."""
    page = get_object_or_404(MaterialPage.objects.select_related("case"), pk=pk, case__number=number)
    services.opened_file(page.case, request.user, f"{page.material} #{page.pk}")
    return _private(FileResponse(io.BytesIO(bytes(page.content)), content_type="image/png"))


def _private(response: FileResponse) -> FileResponse:
    """A file holding personal data: no copy in the browser's or a proxy's cache (the next person at the
    counter's computer would open it unaudited)."""
    response["Cache-Control"] = "no-store, private"
    return response

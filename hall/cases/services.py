"""The case actions staff take, shared by the console (hall.console) and the API: each checks the actor's
role and the case's owner, runs the django-fsm-2 transition (illegal ones are refused), writes the
append-only history and bumps the kiosk's change counter so the next heartbeat tells the kiosk — all in
one transaction, with the case row locked (SELECT ... FOR UPDATE), so two staff acting at once are served
one after the other and the second sees the first's result.

Every refusal is a CaseActionRefused with a message in plain Chinese for the console to show.
"""

from __future__ import annotations

import datetime as dt
import logging

from cryptography.exceptions import InvalidTag
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from hall.cases import clocks, holidays, idnumbers
from hall.cases.models import FINAL_STATES, ROLE_GROUPS, Case, CaseHistory, Rating, StaffCall, State
from hall.cases.workdays import add_working_days

log = logging.getLogger(__name__)

#: Working days an applicant is given to bring what a 补正 notice lists, unless staff set a date.
DEFAULT_CORRECTION_ANSWER_DAYS = 20


class CaseActionRefused(Exception):
    """The action was not done; the message says why in plain Chinese (shown to the member of staff)."""


class KeyMismatch(CaseActionRefused):
    """A sealed ID number does not open with the data dir's id_key (the key file was replaced or lost)."""


class NotPermitted(CaseActionRefused):
    """The actor's role does not allow the action."""


class IllegalTransition(CaseActionRefused):
    """The case's state does not allow the action (the state machine refused it)."""


class ClaimConflict(CaseActionRefused):
    """Someone else holds the case."""


# -- roles ----------------------------------------------------------------------------------------------


def roles_of(user: AbstractBaseUser) -> set[str]:
    """The roles ("reviewer", "approver", "admin") a member of staff has, by their Django groups."""
    if not user or not user.is_authenticated:
        return set()
    names = set(user.groups.values_list("name", flat=True))
    roles = {role for role, group in ROLE_GROUPS.items() if group in names}
    if user.is_superuser:
        roles.add("admin")
    return roles


def set_role(user: AbstractBaseUser, role: str) -> None:
    """Put a member of staff in the group of `role` (reviewer|approver|admin)."""
    if role not in ROLE_GROUPS:
        raise ValueError(f"unknown role {role!r}: reviewer, approver or admin")
    group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    user.groups.add(group)


def _require(user: AbstractBaseUser, *roles: str) -> None:
    have = roles_of(user)
    if "admin" in have or have.intersection(roles):
        return
    names = "、".join(ROLE_GROUPS[r] for r in roles)
    raise NotPermitted(f"此操作需要{names}角色，您的账号没有该角色。请联系管理员。")


def _role_for_state(state: str) -> str:
    return "approver" if state == State.ACCEPTED else "reviewer"


def _name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "系统"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


# -- the frame every action runs in ---------------------------------------------------------------------


def _locked(case: Case | str | int) -> Case:
    """The case, re-read with its row locked until the transaction ends."""
    query = Case.objects.select_for_update()
    if isinstance(case, Case):
        return query.get(pk=case.pk)
    if isinstance(case, int):
        return query.get(pk=case)
    return query.get(number=case)


def bump_kiosk(kiosk_id: int) -> int:
    """The kiosk's next change number. The kiosk row stays locked until commit, so the numbers of one kiosk
    commit in order and a heartbeat never skips a change that commits later with a lower number."""
    with connection.cursor() as cur:
        cur.execute("UPDATE cases_kiosk SET change_seq = change_seq + 1 WHERE id = %s RETURNING change_seq",
                    [kiosk_id])
        return cur.fetchone()[0]


def record(case: Case, actor: AbstractBaseUser | None, action: str, *, from_state: str = "", to_state: str = "",
           note: str = "", data: dict | None = None, now: dt.datetime | None = None, by_name: str | None = None,
           ) -> CaseHistory:
    """Append one line to the case's history (the table refuses UPDATE and DELETE)."""
    return CaseHistory.objects.create(
        case=case, at=now or timezone.now(), by=actor, by_name=by_name or _name(actor), action=action,
        from_state=from_state, to_state=to_state or from_state, note=note, data=data,
    )


def changed(case: Case, now: dt.datetime, fields: list[str]) -> None:
    """Save `fields` of the case with its kiosk's next change number (the next heartbeat tells the kiosk)."""
    case.change_seq = bump_kiosk(case.kiosk_id)
    case.updated_at = now
    case.save(update_fields=[*fields, "change_seq", "updated_at"])


def _transition(case: Case, method: str, label: str) -> None:
    try:
        getattr(case, method)()
    except TransitionNotAllowed:
        raise IllegalTransition(
            f"办件 {case.number} 当前状态为「{State(case.state).label}」，不能{label}。请刷新页面查看最新状态。"
        ) from None


def _check_owner(case: Case, actor: AbstractBaseUser) -> None:
    if case.claimed_by_id is not None and case.claimed_by_id != actor.pk:
        raise ClaimConflict(f"办件 {case.number} 已由 {_name(case.claimed_by)} 认领，请由其处理或由管理员改派。")


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise CaseActionRefused(f"{what}必须填写理由（申请人将看到该理由）。")
    return text


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


# -- claiming -------------------------------------------------------------------------------------------


def claim(case: Case | str, actor: AbstractBaseUser, *, now: dt.datetime | None = None) -> Case:
    """Take the case: exactly one of several staff claiming at once wins; the others get ClaimConflict."""
    now = _now(now)
    with transaction.atomic():
        case = _locked(case)
        if case.state in FINAL_STATES:
            raise IllegalTransition(f"办件 {case.number} 已办结（{State(case.state).label}），无需认领。")
        _require(actor, _role_for_state(case.state))
        if case.claimed_by_id == actor.pk:
            return case
        _check_owner(case, actor)
        case.claimed_by, case.claimed_at = actor, now
        case.save(update_fields=["claimed_by", "claimed_at"])
        record(case, actor, "claim", from_state=case.state, now=now)
    return case


def release(case: Case | str, actor: AbstractBaseUser, *, now: dt.datetime | None = None) -> Case:
    """Give the case back to the queue (its owner, or an admin)."""
    now = _now(now)
    with transaction.atomic():
        case = _locked(case)
        if case.claimed_by_id is None:
            return case
        if case.claimed_by_id != actor.pk:
            _require(actor, "admin")
        case.claimed_by, case.claimed_at = None, None
        case.save(update_fields=["claimed_by", "claimed_at"])
        record(case, actor, "release", from_state=case.state, now=now)
    return case


def reassign(case: Case | str, actor: AbstractBaseUser, to: AbstractBaseUser, reason: str, *,
             now: dt.datetime | None = None) -> Case:
    """Hand the case to another member of staff, with a reason (its owner, or an admin)."""
    now = _now(now)
    reason = _reason(reason, "改派")
    with transaction.atomic():
        case = _locked(case)
        if case.state in FINAL_STATES:
            raise IllegalTransition(f"办件 {case.number} 已办结（{State(case.state).label}），不能改派。")
        if case.claimed_by_id != actor.pk:
            _require(actor, "admin")
        needed = _role_for_state(case.state)
        if not ({"admin", needed} & roles_of(to)):
            raise NotPermitted(f"{_name(to)} 没有{ROLE_GROUPS[needed]}角色，不能接手此办件。")
        before = _name(case.claimed_by) if case.claimed_by_id else ""
        case.claimed_by, case.claimed_at = to, now
        case.save(update_fields=["claimed_by", "claimed_at"])
        record(case, actor, "reassign", from_state=case.state, note=reason,
               data={"from": before, "to": _name(to)}, now=now)
    return case


# -- the reviewer's actions -----------------------------------------------------------------------------


def request_correction(case: Case | str, actor: AbstractBaseUser, items: list[str], text: str = "", *,
                       due: dt.date | None = None, now: dt.datetime | None = None) -> Case:
    """补正: one notice listing every missing or wrong item, within 5 working days of receipt, once; the
    decision clock pauses until the applicant brings them (receive_correction)."""
    now = _now(now)
    listed = [str(item).strip() for item in items or [] if str(item).strip()]
    if not listed:
        raise CaseActionRefused("补正通知必须一次列出全部需要补正的材料或内容（至少一项）。")
    with transaction.atomic():
        case = _locked(case)
        _require(actor, "reviewer")
        _check_owner(case, actor)
        if case.state == State.SUBMITTED and case.correction_count > 0:
            raise IllegalTransition(f"办件 {case.number} 已发过一次补正通知；依法只能一次性告知补正，不能再次补正。")
        today = _local_date(now)
        if case.state == State.SUBMITTED and today > case.correction_due:
            raise IllegalTransition(
                f"办件 {case.number} 的补正期限（{case.correction_due.isoformat()}）已过；逾期未告知补正的，"
                "自收到申请之日起即为受理。请直接受理或不予受理。")
        before = case.state
        _transition(case, "fsm_request_correction", "发出补正通知")
        holidays.hold_current()
        answer_by = due or add_working_days(today, DEFAULT_CORRECTION_ANSWER_DAYS)
        case.notice = {"kind": "correction", "items": listed, "text": (text or "").strip(),
                       "due": answer_by.isoformat()}
        case.correction_count += 1
        case.paused_since = now
        case.claimed_by, case.claimed_at = actor, now
        changed(case, now, ["state", "notice", "correction_count", "paused_since", "claimed_by", "claimed_at"])
        record(case, actor, "request_correction", from_state=before, to_state=case.state,
               note=case.notice["text"], data={"items": listed, "due": case.notice["due"]}, now=now)
    return case


def receive_correction(case: Case | str, actor: AbstractBaseUser, note: str = "", *,
                       now: dt.datetime | None = None) -> Case:
    """The applicant brought what the 补正 notice listed: the decision clock runs again, moved on by the
    working days it stood still."""
    now = _now(now)
    with transaction.atomic():
        case = _locked(case)
        _require(actor, "reviewer")
        _check_owner(case, actor)
        before = case.state
        _transition(case, "fsm_receive_correction", "登记补正材料")
        holidays.hold_current()
        paused = clocks.paused_days(_local_date(case.paused_since or now), _local_date(now))
        case.paused_working_days += paused
        case.decision_due = clocks.decision_due(_local_date(case.submitted_at),
                                                clocks.time_limit(case.time_limit_days, case.promised_days),
                                                case.paused_working_days)
        case.paused_since = None
        case.notice = None
        changed(case, now, ["state", "paused_working_days", "decision_due", "paused_since", "notice"])
        record(case, actor, "receive_correction", from_state=before, to_state=case.state, note=(note or "").strip(),
               data={"paused_working_days": paused, "decision_due": case.decision_due.isoformat()}, now=now)
    return case


def accept(case: Case | str, actor: AbstractBaseUser, note: str = "", *, now: dt.datetime | None = None) -> Case:
    """受理: the case goes to the approvers' queue (unclaimed)."""
    now = _now(now)
    with transaction.atomic():
        case = _locked(case)
        _require(actor, "reviewer")
        _check_owner(case, actor)
        before = case.state
        _transition(case, "fsm_accept", "受理")
        case.claimed_by, case.claimed_at = None, None
        case.notice = None
        changed(case, now, ["state", "claimed_by", "claimed_at", "notice"])
        record(case, actor, "accept", from_state=before, to_state=case.state, note=(note or "").strip(), now=now)
    return case


def refuse(case: Case | str, actor: AbstractBaseUser, reason: str, *, now: dt.datetime | None = None) -> Case:
    """不予受理, with the reason the applicant sees."""
    now = _now(now)
    reason = _reason(reason, "不予受理")
    with transaction.atomic():
        case = _locked(case)
        _require(actor, "reviewer")
        _check_owner(case, actor)
        before = case.state
        _transition(case, "fsm_refuse", "不予受理")
        case.notice = {"kind": "refused", "text": reason}
        case.paused_since = None
        case.decided_by, case.decided_at = actor, now
        changed(case, now, ["state", "notice", "paused_since", "decided_by", "decided_at"])
        record(case, actor, "refuse", from_state=before, to_state=case.state, note=reason, now=now)
    return case


# -- the approver's actions -----------------------------------------------------------------------------


def approve(case: Case | str, actor: AbstractBaseUser, reason: str = "", *, licence_number: str = "",
            now: dt.datetime | None = None) -> Case:
    """准予许可."""
    now = _now(now)
    with transaction.atomic():
        case = _locked(case)
        _require(actor, "approver")
        _check_owner(case, actor)
        before = case.state
        _transition(case, "fsm_approve", "准予许可")
        if licence_number:
            case.licence_number = licence_number.strip()
        case.notice = {"kind": "approved", "text": (reason or "").strip()}
        case.decided_by, case.decided_at = actor, now
        changed(case, now, ["state", "licence_number", "notice", "decided_by", "decided_at"])
        record(case, actor, "approve", from_state=before, to_state=case.state, note=(reason or "").strip(),
               data={"licence_number": case.licence_number} if case.licence_number else None, now=now)
    return case


def deny(case: Case | str, actor: AbstractBaseUser, reason: str, *, now: dt.datetime | None = None) -> Case:
    """不予许可, with the reason the applicant sees."""
    now = _now(now)
    reason = _reason(reason, "不予许可")
    with transaction.atomic():
        case = _locked(case)
        _require(actor, "approver")
        _check_owner(case, actor)
        before = case.state
        _transition(case, "fsm_deny", "不予许可")
        case.notice = {"kind": "denied", "text": reason}
        case.decided_by, case.decided_at = actor, now
        changed(case, now, ["state", "notice", "decided_by", "decided_at"])
        record(case, actor, "deny", from_state=before, to_state=case.state, note=reason, now=now)
    return case


def deliver(case: Case | str, actor: AbstractBaseUser, kind: str, *, window: str = "", ems: str = "",
            note: str = "", now: dt.datetime | None = None) -> Case:
    """已出件: picked up at a window, or mailed with an EMS number."""
    now = _now(now)
    if kind not in ("window", "mail"):
        raise CaseActionRefused("出件方式只能是窗口领取（window）或邮寄（mail）。")
    if kind == "mail" and not ems.strip():
        raise CaseActionRefused("邮寄出件必须填写 EMS 单号。")
    with transaction.atomic():
        case = _locked(case)
        _require(actor, "reviewer", "approver")
        before = case.state
        _transition(case, "fsm_deliver", "登记出件")
        case.pickup = {"kind": kind, "window": window.strip(), "ems": ems.strip()}
        changed(case, now, ["state", "pickup"])
        record(case, actor, "deliver", from_state=before, to_state=case.state, note=(note or "").strip(),
               data=case.pickup, now=now)
    return case


# -- staff calls, ID numbers, ratings -------------------------------------------------------------------


def ack_call(call: StaffCall | str, actor: AbstractBaseUser, *, now: dt.datetime | None = None) -> StaffCall:
    """Acknowledge a kiosk's staff call: the kiosk shows 工作人员已收到 after its next heartbeat (sent at once
    after a call). Acknowledging twice keeps the first."""
    now = _now(now)
    _require(actor, "reviewer", "approver")
    with transaction.atomic():
        query = StaffCall.objects.select_for_update()
        call = query.get(pk=call.pk) if isinstance(call, StaffCall) else query.get(call_id=call)
        if call.acked_at is not None:
            return call
        call.acked_by, call.acked_at = actor, now
        call.change_seq = bump_kiosk(call.kiosk_id)
        call.save(update_fields=["acked_by", "acked_at", "change_seq"])
    return call


def reveal_id_number(case: Case | str, actor: AbstractBaseUser, reason: str = "", *,
                     field: str | None = None, now: dt.datetime | None = None) -> str:
    """The full ID number, for a member of staff who needs it: the applicant's, or with `field` the one in
    that answer (a legal representative's, an employee's ...; CaseActionRefused when that answer holds no
    sealed number). Opened (hall.cases.idnumbers) only after the reveal is written to the case's history
    (the answer's key in its data), in the same transaction."""
    now = _now(now)
    _require(actor, "reviewer", "approver")
    with transaction.atomic():
        case = _locked(case)
        record(case, actor, "reveal_id_number", from_state=case.state, note=(reason or "").strip(), now=now,
               data={"field": field} if field else None)
        try:
            if field:
                sealed = idnumbers.open_answers(case.id_answers_sealed, case.number)
                if field not in sealed:
                    raise CaseActionRefused(f"办件 {case.number} 的“{field}”一项没有密存的身份证号，无需查看。")
                number = sealed[field]
            else:
                number = idnumbers.open_sealed(case.id_number_sealed, case.number)
        except (InvalidTag, ValueError):
            log.error("case %s: the sealed ID number does not open with this hall's id_key", case.number)
            raise KeyMismatch(
                "无法显示完整身份证号：本服务器数据目录中的密钥文件 id_key "
                "与保存此号码时所用的不一致（可能被替换或丢失）。办件的其他资料不受影响，可照常办理；"
                "如需完整号码，请管理员从备份恢复 id_key 后重试，或请申请人出示身份证。"
            ) from None
        log.info("case %s: %s revealed the ID number%s", case.number, _name(actor),
                 f" of answer {field}" if field else "")
    return number


def opened_file(case: Case, actor: AbstractBaseUser, name: str, *, now: dt.datetime | None = None) -> None:
    """A member of staff opens one of the case's files: a generated PDF holds the applicant's full ID
    number (and a material page may), so, as for a reveal, who opened which file stays in the case's history.
    One line per person, file and day (the case page shows each material page as a thumbnail, and a PDF
    viewer may fetch a file more than once), written before the file is sent."""
    now = _now(now)
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    already = CaseHistory.objects.filter(case=case, by=actor, action="open_file", data__file=name,
                                         at__gte=day_start).exists()
    if not already:
        record(case, actor, "open_file", from_state=case.state, now=now, data={"file": name})
        log.info("case %s: %s opened %s", case.number, _name(actor), name)


def cases_with_id_number(number: str):
    """The cases of the applicant holding this ID number, found by its keyed hash (the number itself is kept
    only sealed: hall.cases.idnumbers); spaces and the check letter's case do not matter."""
    digest = idnumbers.lookup_hash(number)
    return Case.objects.filter(id_number_hash=digest) if digest else Case.objects.none()


def answer_rating(rating: Rating | int, actor: AbstractBaseUser, answer: str, *,
                  now: dt.datetime | None = None) -> Rating:
    """Record the answer to a 差评 (closes its 5-working-day clock)."""
    now = _now(now)
    answer = _reason(answer, "回复差评")
    _require(actor, "reviewer", "approver")
    with transaction.atomic():
        query = Rating.objects.select_for_update()
        rating = query.get(pk=rating.pk if isinstance(rating, Rating) else rating)
        rating.handling = Rating.Handling.ANSWERED
        rating.answer, rating.handled_by, rating.handled_at = answer, actor, now
        rating.save(update_fields=["handling", "answer", "handled_by", "handled_at"])
    return rating

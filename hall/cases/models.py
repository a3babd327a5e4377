"""The hall's tables: kiosks and their credentials, the raw events they post, the cases derived from them,
staff calls, ratings, step statistics, the append-only case history and the staff's API tokens.

Times: every row keeps the kiosk's own clock (`at`, `kiosk_*`) beside the hall's (`received_at`,
`submitted_at`); legal deadlines run only on the hall's clock (a kiosk's clock may be wrong by days).
The case state machine is django-fsm-2 with `protected=True`: the state changes only through a transition
(hall.cases.services calls them), never by assignment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

#: Roles (PLAN.md): the Django group each role's staff belong to.
ROLE_GROUPS = {"reviewer": "受理员", "approver": "审批人", "admin": "管理员"}


class State(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    CORRECTION_REQUESTED = "correction_requested", "待补正"
    ACCEPTED = "accepted", "已受理"
    REFUSED = "refused", "不予受理"
    APPROVED = "approved", "准予许可"
    DENIED = "denied", "不予许可"
    DELIVERED = "delivered", "已出件"
    BLOCKED = "blocked", "未通过预审"


#: States where no one acts any more.
FINAL_STATES = (State.REFUSED, State.DENIED, State.DELIVERED, State.BLOCKED)


class Kiosk(models.Model):
    kiosk_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    #: sha256 hex of the kiosk's bearer token (the token itself is printed once at enrolment).
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField()
    last_seen = models.DateTimeField(null=True, blank=True)
    #: The last heartbeat's body as the kiosk sent it (modules, paper, unsent, counts).
    last_heartbeat = models.JSONField(null=True, blank=True)
    #: The kiosk's clock in its last heartbeat (skew = last_seen - last_kiosk_time).
    last_kiosk_time = models.DateTimeField(null=True, blank=True)
    version = models.CharField(max_length=40, blank=True)
    #: The hall's change counter for this kiosk: bumped (row-locked) by every change the kiosk must learn.
    change_seq = models.BigIntegerField(default=0)
    #: The cursor the kiosk reported in its last heartbeat (what it has applied).
    acked_cursor = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "终端"
        verbose_name_plural = "终端"

    def __str__(self) -> str:
        return self.kiosk_id


class Event(models.Model):
    """One outbox event as a kiosk posted it (documents' bytes are kept in CaseDocument/MaterialPage only)."""

    event_id = models.UUIDField(unique=True)
    #: No index of its own: (kiosk, received_at) below serves every lookup by kiosk (one index less to write
    #: per event stored; the same for the other foreign keys and fields marked "covered").
    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="events", db_index=False)
    kind = models.CharField(max_length=20)
    #: The kiosk's clock when the change happened.
    at = models.DateTimeField()
    #: The hall's clock when it stored the event.
    received_at = models.DateTimeField()
    body = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["kiosk", "received_at"])]


class Case(FSMModelMixin, models.Model):
    number = models.CharField(max_length=64, unique=True)
    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="cases", db_index=False)  # covered
    service = models.CharField(max_length=100)  # covered by (service, state)
    service_title = models.CharField(max_length=200, blank=True)
    office = models.CharField(max_length=200, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    #: The kiosk's verdict: approved (秒批) | accepted (受理, for staff review) | blocked.
    outcome = models.CharField(max_length=20)
    state = FSMField(default=State.SUBMITTED, choices=State.choices, protected=True)  # covered: (state, decision_due)
    licence_number = models.CharField(max_length=100, blank=True)
    applicant_name = models.CharField(max_length=200, blank=True)
    applicant_phone = models.CharField(max_length=40, blank=True)
    # The applicant's ID number is never kept in the clear (hall.cases.idnumbers): sealed (AES-256-GCM, bound
    # to this case's number; opened only by services.reveal_id_number, an audited action), a keyed hash to
    # find cases by number, and the masked form screens show.
    id_number_sealed = models.BinaryField(null=True, blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(max_length=40, blank=True, editable=False)
    #: The applicant's answers; those holding an ID number (hall.cases.idfields: typed id_number by the item's
    #: spec, or a valid resident ID number) are kept masked here, their full values only in id_answers_sealed.
    answers = models.JSONField(default=dict)
    #: {answer key: full ID number}, sealed as one value bound to this case (hall.cases.idnumbers.protect_answers;
    #: opened only by services.reveal_id_number(field=...), audited like the applicant's number).
    id_answers_sealed = models.BinaryField(null=True, blank=True, editable=False)
    #: {answer key: the number's keyed hash} (which answers are sealed, and to find them).
    id_answer_hashes = models.JSONField(default=dict, blank=True, editable=False)
    findings = models.JSONField(default=list)
    promised_days = models.IntegerField(null=True, blank=True)
    time_limit_days = models.IntegerField(default=20)
    #: The kiosk's clock at its decision (kept, never used for a deadline).
    kiosk_decided_at = models.DateTimeField(null=True, blank=True)
    #: The hall's clock when the case arrived: every legal clock starts here.
    submitted_at = models.DateTimeField()
    #: Last day a 补正 notice may be sent (5 working days after submission).
    correction_due = models.DateField()
    #: Last day of the decision: time limit in working days, moved on by the days paused for 补正.
    decision_due = models.DateField()
    #: While waiting for 补正: since when (hall clock); None when the clock runs.
    paused_since = models.DateTimeField(null=True, blank=True)
    #: Working days the decision clock was paused by 补正, all told.
    paused_working_days = models.IntegerField(default=0)
    correction_count = models.IntegerField(default=0)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="claimed_cases"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="decided_cases"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: What the kiosk shows the applicant: {"kind": "correction", "items", "text", "due"} or a decision's reason.
    notice = models.JSONField(null=True, blank=True)
    #: {"kind": "window"|"mail", "window": ..., "ems": ...} once delivered.
    pickup = models.JSONField(null=True, blank=True)
    #: The kiosk's change counter value of this case's last change (heartbeat replies: change_seq > cursor).
    change_seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        indexes = [
            models.Index(fields=["kiosk", "change_seq"]),
            models.Index(fields=["state", "decision_due"]),
            models.Index(fields=["service", "state"]),
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["id_number_hash"], name="cases_case_id_hash",
                         condition=~models.Q(id_number_hash="")),
        ]
        permissions = [("reveal_id_number", "Can reveal a full ID number (audited)")]

    def __str__(self) -> str:
        return self.number

    # -- the state machine (hall.cases.services checks roles and owners, then calls these) --------------

    @transition(field=state, source=State.SUBMITTED, target=State.CORRECTION_REQUESTED,
                conditions=[lambda case: case.correction_count == 0])
    def fsm_request_correction(self) -> None:
        """补正: once only (行政许可法 §32); the decision clock pauses."""

    @transition(field=state, source=State.CORRECTION_REQUESTED, target=State.SUBMITTED)
    def fsm_receive_correction(self) -> None:
        """The applicant brought what the 补正 notice listed: the decision clock runs again."""

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED)
    def fsm_accept(self) -> None:
        """受理."""

    @transition(field=state, source=[State.SUBMITTED, State.CORRECTION_REQUESTED], target=State.REFUSED)
    def fsm_refuse(self) -> None:
        """不予受理 (also when a 补正 is never answered)."""

    @transition(field=state, source=State.ACCEPTED, target=State.APPROVED)
    def fsm_approve(self) -> None:
        """准予许可."""

    @transition(field=state, source=State.ACCEPTED, target=State.DENIED)
    def fsm_deny(self) -> None:
        """不予许可."""

    @transition(field=state, source=State.APPROVED, target=State.DELIVERED)
    def fsm_deliver(self) -> None:
        """已出件: picked up at the window or mailed (EMS)."""


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents", db_index=False)  # covered
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="case_document_once")]


class MaterialPage(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="material_pages")
    material = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="material_page_once")]


class CaseHistory(models.Model):
    """Append-only: a PostgreSQL trigger (migration 0002) refuses UPDATE, DELETE and TRUNCATE."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="history", db_index=False)  # covered
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    #: The actor's name as it was then ("kiosk K01" for what a kiosk reported).
    by_name = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]


class StaffCall(models.Model):
    call_id = models.UUIDField(unique=True)
    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="staff_calls")
    screen = models.CharField(max_length=40, blank=True)
    service = models.CharField(max_length=100, blank=True)
    number = models.CharField(max_length=64, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    received_at = models.DateTimeField()
    acked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    acked_at = models.DateTimeField(null=True, blank=True)
    change_seq = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kiosk", "change_seq"]), models.Index(fields=["acked_at", "received_at"])]


class Rating(models.Model):
    class Handling(models.TextChoices):
        NONE = "none", "无需处理"
        OPEN = "open", "待处理"
        ANSWERED = "answered", "已回复"

    event = models.OneToOneField(Event, on_delete=models.PROTECT)
    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="ratings")
    number = models.CharField(max_length=64, blank=True)
    service = models.CharField(max_length=100, db_index=True)
    stars = models.SmallIntegerField()
    reason = models.TextField(blank=True)
    at = models.DateTimeField()
    received_at = models.DateTimeField()
    #: 差评 (1-2 stars) must be answered within 5 working days of arrival (hall clock).
    handling = models.CharField(max_length=10, choices=Handling.choices, default=Handling.NONE)
    due = models.DateField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    handled_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)


class StepStat(models.Model):
    """One kiosk session's steps (refreshed when a later event for the same session arrives)."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="step_stats", db_index=False)  # covered
    session_id = models.CharField(max_length=64)
    service = models.CharField(max_length=100, blank=True, db_index=True)
    steps = models.JSONField(default=list)
    finished = models.BooleanField(default=False)
    abandoned_at = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kiosk", "session_id"], name="step_stat_once")]


class StaffToken(models.Model):
    """A member of staff's API bearer token (sha256 hex stored; printed once by `python -m hall staff add`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class HolidayNotice(models.Model):
    """A year's holiday notice of the State Council (国务院办公厅关于部分节假日安排的通知) as the hall's admin
    entered it (hall.cases.holidays): the days off and the weekend days worked, as ISO dates. It replaces
    the notice the release ships for that year (hall.cases.workdays.BUILT_IN), if any. `revision` counts
    the saves, so each process sees a change with one small query."""

    year = models.IntegerField(unique=True)
    holidays = models.JSONField(default=list)
    makeup_workdays = models.JSONField(default=list)
    source = models.CharField(max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    entered_at = models.DateTimeField()
    revision = models.IntegerField(default=1)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"

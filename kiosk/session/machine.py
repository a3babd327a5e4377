"""`ApplicantSession`: the pure state machine that walks one applicant through a service item.

    choose service → read card → form → pre-review → materials and commitment (→ sign) → result
        → (save) → print → rate (好差评) → thanks → start

`handle(event) -> list[Effect]` is the only entry point. It computes the next `SessionState` from the
current one (a frozen value, readable as `session.state`) and returns what the app must do, in order.
No Qt, no files, no devices, no threads: time comes from the injected `Clock`, the form logic from the
injected `ServiceDirectory` (see rules.py). docs/session.md has the state diagram.

Rules it keeps:
- Back works at every step before submission (the Confirmed on the result screen) and keeps every
  answer, the card, the materials, the commitment and the delivery choice.
- A card of a different person read after a card was accepted only sets `pending_card` (screen
  `card_swap`); nothing is replaced until `CardSwapAnswered(replace=True)`. The same person's card
  again changes nothing.
- The card step says 正在读取 from the reader's CardDetected until the read ends (card_reading).
- An expired card never gets past the card step; the notice names the office that renews it. Nor does a
  card the item excludes by its own data (a minor for an item that needs an adult): the rules' card
  findings are told before the form, with who can apply instead (the rule's message says it).
- 取消办理 (HomePressed) during a visit asks first and reminds to take the ID card (`confirm_cancel`);
  `CancelAnswered(True)` or `Cancelled` ends the visit.
- Signing is its own step (`sign`, from SignOpened on the materials screen): its 确认 is the commitment.
  The commitment (signed, or 我已阅读并同意) is the materials screen's last act: once the materials are
  confirmed too it goes on to the result as 下一步 would (one tap less).
- A printer fault after saving says what happened at once, calls staff (CallStaff) and watches the job
  (WatchPrint): when the slip prints after all, the failure screen goes on to the rating by itself.
- A blocked decision keeps the applicant on the form with the list of what to fix (`show_fixes`).
- `SaveApplication` is emitted before anything prints; printing starts on `ApplicationSaved`.
- Idle (idle.py): per-step timeouts (settings.py), then a visible countdown a touch cancels, then
  everything is wiped. Saving and printing never time out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from idreader import IdCard
from kiosk.session import messages, navigation
from kiosk.session.clock import Clock
from kiosk.session.effects import (
    CallStaff,
    Effect,
    ReadCard,
    RecordRating,
    SaveApplication,
    ShowScreen,
    Speak,
    StopIdleCountdown,
    StopReading,
    SubmitPrint,
    WatchPrint,
    WipePersonalData,
)
from kiosk.session.errors import (
    InvalidEventError,
    LockedFieldError,
    RulesContractError,
    UnknownFieldError,
    UnknownServiceError,
)
from kiosk.session.events import (
    DEVICE_EVENTS,
    AnswerChanged,
    AnswersChanged,
    ApplicationSaved,
    Back,
    CancelAnswered,
    Cancelled,
    CaptureOpened,
    CardDetected,
    CardFault,
    CardRead,
    CardRemoved,
    CardSwapAnswered,
    CommitmentConfirmed,
    Confirmed,
    DeliveryChosen,
    ElderModeSet,
    Event,
    HomePressed,
    LanguageSet,
    MaterialPromised,
    MaterialsConfirmed,
    Next,
    PageCaptured,
    PageOpened,
    PrintFailed,
    PrintFinished,
    Rated,
    RetryPrint,
    SaveFailed,
    ServiceChosen,
    SignOpened,
    StaffCalled,
    Submitted,
    Tick,
    Touch,
)
from kiosk.session.idle import fresh, idle_tick, wipe
from kiosk.session.rules import ApplicationRules, Finding, ServiceDirectory
from kiosk.session.settings import IdleSettings
from kiosk.session.state import (
    LANGUAGES,
    OUTCOMES,
    SEVERITIES,
    AnswerLike,
    ApplicationDraft,
    Commitment,
    Delivery,
    FindingView,
    IdleTimer,
    MaterialPage,
    SavedApplication,
    SessionState,
    Step,
)

Transition = tuple[SessionState, list[Effect]]

COMMITMENT_METHODS = ("signature", "agree")
DELIVERY_METHODS = ("pickup", "mail")
RATING_RANGE = range(1, 6)
_MID_APPLICATION_STEPS = frozenset({Step.FORM, Step.PREREVIEW, Step.MATERIALS, Step.SIGN, Step.RESULT})
"""Steps where a card read means "someone laid a card again" rather than "here is my card"."""


def same_person(first: IdCard, second: IdCard) -> bool:
    return (first.card_type, first.id_number) == (second.card_type, second.id_number)


class ApplicantSession:
    """One kiosk's applicant session. Build it once; it returns to the start by itself after each visit."""

    def __init__(
        self, services: ServiceDirectory, clock: Clock, settings: IdleSettings | None = None
    ) -> None:
        self._services = services
        self._clock = clock
        self._settings = settings or IdleSettings()
        self._state = fresh(clock.monotonic(), self._settings)

    def today(self) -> dt.date:
        """The session clock's date (what pre-review and the expected completion count from)."""
        return self._clock.today()

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def settings(self) -> IdleSettings:
        return self._settings

    @settings.setter
    def settings(self, settings: IdleSettings) -> None:
        """New timeouts and defaults (the technician panel saved them): the next visit starts with them,
        and the idle time of the current one is measured with them from now on."""
        self._settings = settings

    def handle(self, event: Event) -> list[Effect]:
        """Apply one event; return the effects for the app to run, in order."""
        now = self._clock.monotonic()
        old = self._state
        if isinstance(event, Tick):
            new, effects = idle_tick(old, now, self._settings)
        else:
            new, effects = self._dispatch(old, event)
        activity = not isinstance(event, DEVICE_EVENTS)
        if activity or new.step is not old.step:
            new = dataclasses.replace(new, idle=IdleTimer(last_activity=now))
        if new.step is Step.START and old.step is not Step.START and new.page != "home":
            new = dataclasses.replace(new, page="home")  # back at the start: its home page
        self._state = new
        return self._finish(old, new, effects)

    # --- bookkeeping shared by every transition ----------------------------------------------

    def _finish(self, old: SessionState, new: SessionState, effects: list[Effect]) -> list[Effect]:
        out: list[Effect] = []
        if old.idle.counting_down and not new.idle.counting_down:
            out.append(StopIdleCountdown())
        out.extend(effects)
        if _view(old) != _view(new):
            out.append(ShowScreen(screen=new.screen, state=new))
        if new.elder_mode:
            out.extend(Speak(text, new.language) for text in _speech(old, new))
        return out

    def _dispatch(self, state: SessionState, event: Event) -> Transition:
        match event:
            case ElderModeSet(on=on):
                return dataclasses.replace(state, elder_mode=bool(on)), []
            case LanguageSet(language=language):
                if language not in LANGUAGES:
                    raise InvalidEventError(f"language must be one of {LANGUAGES}, not {language!r}")
                return dataclasses.replace(state, language=language), []
            case Touch():
                return state, []
            case StaffCalled():
                number = state.saved.number if state.saved else None
                return dataclasses.replace(state, staff_called=True), [CallStaff(state.screen, number)]
            case HomePressed() if state.step is Step.START:
                return dataclasses.replace(state, page="home"), []
            case HomePressed() if state.step.before_submission:
                return dataclasses.replace(state, confirm_cancel=True), []  # ask first; remind the card
            case CancelAnswered(confirm=False):
                return dataclasses.replace(state, confirm_cancel=False), []
            case Cancelled() | HomePressed() | CancelAnswered():
                if state.step in (Step.SAVING, Step.PRINTING):
                    return state, []
                return self._wipe(state)
            case CardRemoved():
                return dataclasses.replace(state, card_present=False, card_reading=False), []
            case CardDetected():
                if state.step is Step.CARD and state.pending_card is None:
                    return dataclasses.replace(state, card_reading=True, notice=None), []
                return state, []
        if state.pending_card is not None:
            return self._while_swap_pending(state, event)
        if isinstance(event, CardRead) and state.step in _MID_APPLICATION_STEPS:
            return self._card_mid_application(state, event.card)
        handler: Callable[[SessionState, Event], Transition] = {
            Step.START: self._at_start,
            Step.CARD: self._at_card,
            Step.FORM: self._at_form,
            Step.PREREVIEW: self._at_prereview,
            Step.MATERIALS: self._at_materials,
            Step.SIGN: self._at_sign,
            Step.RESULT: self._at_result,
            Step.SAVING: self._at_saving,
            Step.PRINTING: self._at_printing,
            Step.PRINT_FAILED: self._at_print_failed,
            Step.RATING: self._at_rating,
            Step.THANKS: self._at_thanks,
        }[state.step]
        return handler(state, event)

    # --- the steps ---------------------------------------------------------------------------

    def _at_start(self, state: SessionState, event: Event) -> Transition:
        match event:
            case PageOpened(page=page):
                if page not in navigation.START_PAGES:
                    raise InvalidEventError(f"no start page {page!r}; one of {', '.join(navigation.START_PAGES)}")
                return dataclasses.replace(state, page=page), []
            case Back():
                return dataclasses.replace(state, page=navigation.START_BACK.get(state.page, "home")), []
        if not isinstance(event, ServiceChosen):
            return state, []
        self._rules(event.service_id)  # unknown services fail here, before anything changes
        changed = event.service_id != state.service_id
        state = dataclasses.replace(
            state, step=Step.CARD, service_id=event.service_id, notice=None, show_fixes=False,
            outcome=None if changed else state.outcome,
            materials_confirmed=state.materials_confirmed and not changed,
            materials_promised=() if changed else state.materials_promised,
            material_pages=() if changed else state.material_pages,
            commitment=None if changed else state.commitment,
            delivery=None if changed else state.delivery,
        )
        return state, [ReadCard()]

    def _at_card(self, state: SessionState, event: Event) -> Transition:
        if isinstance(event, CardRead | CardFault):
            state = dataclasses.replace(state, card_reading=False)
        match event:
            case CardRead(card=card):
                if card.is_expired(self._clock.today()):
                    notice = messages.expired_card_notice(card, state.language)
                    return dataclasses.replace(state, notice=notice, card_present=True), []
                excluded = self._card_excluded(state, card)
                if excluded is not None:
                    notice = messages.card_excluded_notice(*excluded, state.language)
                    return dataclasses.replace(state, notice=notice, card_present=True), []
                if state.card is not None and not same_person(state.card, card):
                    pending = card.without_photo()
                    return dataclasses.replace(state, pending_card=pending, card_present=True), []
                return self._enter_form(dataclasses.replace(state, card_present=True), card), []
            case CardFault(kind=kind):
                return dataclasses.replace(state, notice=messages.notice(kind, state.language)), []
            case Next() | Submitted() if state.card is not None:
                return self._enter_form(state, state.card), []
            case Back():
                return dataclasses.replace(state, step=Step.START, notice=None), []
        return state, []

    def _at_form(self, state: SessionState, event: Event) -> Transition:
        match event:
            case AnswerChanged(key=key, value=value):
                return self._change_answer(state, key, value), []
            case AnswersChanged(values=values):
                return self._change_answers(state, values), []
            case Next() | Submitted():
                state = self._reviewed(state)
                if state.outcome == "blocked":
                    return dataclasses.replace(state, show_fixes=True, fix_round=state.fix_round + 1), []
                return dataclasses.replace(state, step=Step.PREREVIEW, show_fixes=False, notice=None), []
            case Back():
                return dataclasses.replace(state, step=Step.CARD, show_fixes=False, notice=None), [ReadCard()]
        return state, []

    def _at_prereview(self, state: SessionState, event: Event) -> Transition:
        match event:
            case Next() | Submitted():
                assert state.card is not None
                rules = self._current_rules(state)
                materials = tuple(rules.materials(state.card, state.answers_dict(), self._clock.today()))
                keep = state.materials_confirmed and materials == state.materials
                return dataclasses.replace(
                    state, step=Step.MATERIALS, materials=materials, materials_confirmed=keep, notice=None,
                    materials_promised=tuple(m for m in state.materials_promised if m in materials),
                    material_pages=tuple(p for p in state.material_pages if p.material in materials),
                    capturing=None,
                ), []
            case Back():
                return dataclasses.replace(state, step=Step.FORM, notice=None), []
        return state, []

    def _at_materials(self, state: SessionState, event: Event) -> Transition:
        if state.capturing is not None:
            return self._while_capturing(state, event)
        match event:
            case CaptureOpened(name=name):
                if name not in state.materials:
                    raise InvalidEventError(f"material to photograph not asked for: {name}")
                return dataclasses.replace(state, capturing=name, notice=None), []
            case MaterialPromised(name=name, promised=promised):
                if name not in state.materials:
                    raise InvalidEventError(f"promised material not asked for: {name}")
                marked = set(state.materials_promised) - {name} | ({name} if promised else set())
                kept = tuple(m for m in state.materials if m in marked)  # in the order the screen lists them
                return dataclasses.replace(state, materials_promised=kept, notice=None), []
            case MaterialsConfirmed(promised=promised):
                unknown = [name for name in promised if name not in state.materials]
                if unknown:
                    raise InvalidEventError(f"promised materials not asked for: {', '.join(unknown)}")
                # What is neither photographed nor marked but may be promised counts as promised (the
                # application and the slip say so): the screen shows it marked, not left open.
                photographed = {page.material for page in state.material_pages}
                marked = set(promised) | (set(self._current_rules(state).promised_unless_photographed) - photographed)
                return dataclasses.replace(
                    state, materials_confirmed=True, notice=None,
                    materials_promised=tuple(m for m in state.materials if m in marked),
                ), []
            case CommitmentConfirmed():  # the last act of the screen: it goes on as 下一步 would
                state = dataclasses.replace(state, commitment=_commitment(event), notice=None)
                if state.materials and not state.materials_confirmed:
                    return state, []  # the materials are still to confirm: the screen names them
                return self._submit_materials(state), []
            case SignOpened() if self._current_rules(state).requires_commitment:
                return dataclasses.replace(state, step=Step.SIGN, notice=None), []
            case Next() | Submitted():
                return self._submit_materials(state), []
            case Back():
                return dataclasses.replace(state, step=Step.PREREVIEW, notice=None), []
        return state, []

    def _while_capturing(self, state: SessionState, event: Event) -> Transition:
        """The capture screen over the materials step: a confirmed page, or Back without one."""
        match event:
            case PageCaptured(name=name, png=png, width=width, height=height):
                if name != state.capturing:
                    raise InvalidEventError(f"a page of {name!r} while photographing {state.capturing!r}")
                if not png:
                    raise InvalidEventError("a captured page needs its image")
                pages = tuple(p for p in state.material_pages if p.material != name)
                page = MaterialPage(name, png, width, height)
                return dataclasses.replace(
                    state, capturing=None, material_pages=(*pages, page), notice=None,
                    materials_promised=tuple(m for m in state.materials_promised if m != name),
                ), []
            case Back() | Next():
                return dataclasses.replace(state, capturing=None, notice=None), []
        return state, []

    def _at_sign(self, state: SessionState, event: Event) -> Transition:
        """The signing pad: its 确认 is the commitment, and goes on as 下一步 would when nothing else is
        missing (else back to the materials screen, which names what is)."""
        match event:
            case CommitmentConfirmed():
                state = dataclasses.replace(state, commitment=_commitment(event), step=Step.MATERIALS, notice=None)
                if state.materials and not state.materials_confirmed:
                    return state, []
                return self._submit_materials(state), []
            case Back():
                return dataclasses.replace(state, step=Step.MATERIALS, notice=None), []
        return state, []

    def _submit_materials(self, state: SessionState) -> SessionState:
        rules = self._current_rules(state)
        if rules.requires_commitment and state.commitment is None:
            return _with_notice(state, "commitment_missing")
        if state.materials and not state.materials_confirmed:
            return _with_notice(state, "materials_missing")
        state = self._reviewed(state)
        if state.outcome == "blocked":
            return dataclasses.replace(
                state, step=Step.FORM, show_fixes=True, fix_round=state.fix_round + 1, notice=None
            )
        delivery = state.delivery
        form_delivery = getattr(rules, "form_delivery", None)
        chosen = form_delivery(state.answers_dict()) if form_delivery and state.outcome == "accepted" else None
        if chosen is not None:  # the form asked already: the result screen does not ask again
            delivery = Delivery(*chosen)
        return dataclasses.replace(state, step=Step.RESULT, notice=None, delivery=delivery)

    def _at_result(self, state: SessionState, event: Event) -> Transition:
        match event:
            case DeliveryChosen(method=method, address=address):
                if method not in DELIVERY_METHODS:
                    raise InvalidEventError(f"delivery method must be pickup or mail, not {method!r}")
                if state.outcome != "accepted":
                    return state, []
                if method == "mail" and not address.strip():
                    return _with_notice(state, "address_missing"), []
                delivery = Delivery("mail", address.strip()) if method == "mail" else Delivery("pickup")
                return dataclasses.replace(state, delivery=delivery, notice=None), []
            case Confirmed():
                if state.outcome == "accepted" and state.delivery is None:
                    return _with_notice(state, "delivery_missing"), []
                draft = self._draft(state)
                return dataclasses.replace(state, step=Step.SAVING, notice=None), [
                    StopReading(), SaveApplication(draft)
                ]
            case Back():
                return dataclasses.replace(state, step=Step.MATERIALS, notice=None), []
        return state, []

    def _at_saving(self, state: SessionState, event: Event) -> Transition:
        match event:
            case ApplicationSaved(application_id=app_id, receipt_no=receipt_no, licence_no=licence_no,
                                  print_job_id=job_id):
                saved = SavedApplication(app_id, receipt_no, licence_no, job_id)
                state = dataclasses.replace(state, step=Step.PRINTING, saved=saved, print_attempts=1)
                return state, [self._print(state)]
            case SaveFailed():
                notice = messages.notice("save_failed", state.language)
                return dataclasses.replace(state, step=Step.RESULT, notice=notice), [ReadCard()]
        return state, []

    def _at_printing(self, state: SessionState, event: Event) -> Transition:
        match event:
            case PrintFinished():
                return dataclasses.replace(state, step=Step.RATING, notice=None), []
            case PrintFailed(kind=kind):
                assert state.saved is not None
                rules = self._current_rules(state)
                notice = messages.print_failed_notice(
                    kind, state.saved.number, state.language, document=rules_document(rules, state),
                    window=getattr(rules, "pickup_window", ""), approved=state.outcome == "approved",
                    due=rules_due(rules, self._clock.today()),
                )
                state = dataclasses.replace(state, step=Step.PRINT_FAILED, notice=notice)
                if kind not in messages.WAITING_PRINT_FAULTS:
                    return state, []
                # the slip waits in the printer's queue: staff are called to load paper or close the
                # cover, and the screen moves on by itself once it has printed
                call = CallStaff(Step.PRINT_FAILED.value, state.saved.number)
                return dataclasses.replace(state, staff_called=True), [call, WatchPrint(state.saved.print_job_id)]
        return state, []

    def _at_print_failed(self, state: SessionState, event: Event) -> Transition:
        match event:
            case PrintFinished():  # the waiting slip printed once the printer was ready (WatchPrint)
                return dataclasses.replace(state, step=Step.RATING, notice=None, printed_late=True), []
            case RetryPrint():
                state = dataclasses.replace(
                    state, step=Step.PRINTING, print_attempts=state.print_attempts + 1, notice=None
                )
                return state, [self._print(state)]
            case Next() | Submitted():
                return dataclasses.replace(state, step=Step.RATING, print_skipped=True), []
        return state, []

    def _at_rating(self, state: SessionState, event: Event) -> Transition:
        match event:
            case Rated(stars=stars, reason=reason):
                if stars not in RATING_RANGE:
                    raise InvalidEventError(f"a rating is 1 to 5 stars, not {stars!r}")
                app_id = state.saved.application_id if state.saved else None
                rating = RecordRating(app_id, state.service_id, stars, reason.strip())
                return self._thank(state, [rating])
            case Next() | Submitted():
                return self._thank(state, [])
            case PrintFinished() if state.print_skipped:  # the waiting slip printed while the rating shows
                return dataclasses.replace(state, print_skipped=False, printed_late=True), []
        return state, []

    def _at_thanks(self, state: SessionState, event: Event) -> Transition:
        if isinstance(event, Next | Submitted):
            return fresh(state.idle.last_activity, self._settings), []
        return state, []

    # --- card swap ---------------------------------------------------------------------------

    def _card_mid_application(self, state: SessionState, card: IdCard) -> Transition:
        state = dataclasses.replace(state, card_present=True)
        if state.card is not None and same_person(state.card, card):
            return state, []
        if card.is_expired(self._clock.today()):
            return _with_notice(state, "expired_card_mid_form"), []
        return dataclasses.replace(state, pending_card=card.without_photo()), []

    def _while_swap_pending(self, state: SessionState, event: Event) -> Transition:
        assert state.pending_card is not None
        match event:
            case CardSwapAnswered(replace=True):
                fresh = dataclasses.replace(
                    state, pending_card=None, card=None, answers=(), answers_service=None, findings=(),
                    outcome=None, materials=(), materials_confirmed=False, materials_promised=(),
                    material_pages=(), capturing=None, commitment=None, delivery=None, show_fixes=False, notice=None,
                )
                return self._enter_form(fresh, state.pending_card), [WipePersonalData()]
            case CardSwapAnswered(replace=False) | Back():
                return dataclasses.replace(state, pending_card=None), []
            case CardRead(card=card):
                if state.card is not None and same_person(state.card, card):
                    return dataclasses.replace(state, pending_card=None, card_present=True), []
                if card.is_expired(self._clock.today()):
                    return state, []
                return dataclasses.replace(state, pending_card=card.without_photo(), card_present=True), []
        return state, []

    # --- the form ----------------------------------------------------------------------------

    def _enter_form(self, state: SessionState, card: IdCard) -> SessionState:
        """Show the form for `card`: answers kept when they belong to this person and service."""
        assert state.service_id is not None
        rules = self._current_rules(state)
        card = card.without_photo()
        today = self._clock.today()
        same = state.card is not None and same_person(state.card, card)
        if same and state.answers_service == state.service_id:
            answers = state.answers_dict()
        else:
            answers = _checked_answers(rules.prefill(card, today), "prefill")
            if same:  # the same person chose another item: carry what they typed into its fields
                for key, answer in state.answers:
                    visible = rules.visible_fields(card, answers, today)
                    if answer.source == "applicant" and key in visible and not _locked(answers.get(key)):
                        edited = rules.edit(card, answers, key, answer.value, today)
                        answers = _checked_answers(edited, "edit")
        state = dataclasses.replace(
            state, step=Step.FORM, card=card, answers=tuple(answers.items()),
            answers_service=state.service_id, notice=None,
        )
        return self._live_review(state, rules)

    def _change_answer(self, state: SessionState, key: str, value: object) -> SessionState:
        rules = self._current_rules(state)
        return self._live_review(self._set_answer(state, rules, key, value), rules)

    def _set_answer(self, state: SessionState, rules: ApplicationRules, key: str, value: object) -> SessionState:
        """One answer set, if its field is shown and not locked; the visible fields and the findings are
        still those of the answers before it (`_live_review`, `_shown`)."""
        assert state.card is not None
        if key not in state.visible_fields:
            raise UnknownFieldError(f"field {key!r} is not on the form of {state.service_id}")
        current = state.answer(key)
        if current is not None and current.locked:
            raise LockedFieldError(f"field {key!r} came from {current.source} and cannot be edited")
        edited = rules.edit(state.card, state.answers_dict(), key, value, self._clock.today())
        answers = _checked_answers(edited, "edit")
        return dataclasses.replace(state, answers=tuple(answers.items()), outcome=None, notice=None)

    def _shown(self, state: SessionState, rules: ApplicationRules) -> SessionState:
        """The visible fields for the answers as they stand (`show_if`), without reviewing them."""
        assert state.card is not None
        visible = rules.visible_fields(state.card, state.answers_dict(), self._clock.today())
        return dataclasses.replace(state, visible_fields=tuple(visible))

    def _change_answers(self, state: SessionState, values: Sequence[tuple[str, object]]) -> SessionState:
        """Set many answers; keep going while setting one reveals the field of another. Each answer is
        checked against the fields shown after the one before it, as when they come one at a time; the
        answers are reviewed once, at the end: the findings in between were never seen (one review
        instead of one per answer, each ~1 ms for a dozen rules: `kiosk apply` sets ten at once)."""
        waiting = dict(values)
        rules = self._current_rules(state) if waiting else None
        changed = stale = False
        while waiting:
            if stale and rules is not None:
                state, stale = self._shown(state, rules), False
            ready = [key for key in waiting if key in state.visible_fields]
            if not ready:
                unknown = ", ".join(sorted(waiting))
                raise UnknownFieldError(f"fields not on the form of {state.service_id}: {unknown}")
            for key in ready:
                value = waiting.pop(key)
                current = state.answer(key)
                if _locked(current) and current is not None and current.value == value:
                    continue
                assert rules is not None
                if stale:
                    state = self._shown(state, rules)
                state, changed, stale = self._set_answer(state, rules, key, value), True, True
        return self._live_review(state, rules) if changed and rules is not None else state

    def _live_review(self, state: SessionState, rules: ApplicationRules) -> SessionState:
        assert state.card is not None
        visible, findings = rules.check(state.card, state.answers_dict(), self._clock.today())
        return dataclasses.replace(state, visible_fields=tuple(visible), findings=_checked_findings(findings))

    def _reviewed(self, state: SessionState) -> SessionState:
        """Review again and decide; the outcome is stored on the state."""
        rules = self._current_rules(state)
        state = self._live_review(state, rules)
        outcome = rules.decide(state.findings)
        if outcome not in OUTCOMES:
            raise RulesContractError(f"decide() returned {outcome!r}; expected one of {', '.join(OUTCOMES)}")
        return dataclasses.replace(state, outcome=outcome)

    # --- endings -----------------------------------------------------------------------------

    def _print(self, state: SessionState) -> SubmitPrint:
        assert state.saved is not None and state.outcome is not None
        saved = state.saved
        return SubmitPrint(saved.application_id, saved.receipt_no, saved.licence_no, state.outcome,
                           state.print_attempts, saved.print_job_id)

    def _thank(self, state: SessionState, effects: list[Effect]) -> Transition:
        thanks = dataclasses.replace(
            SessionState.initial(state.idle.last_activity), step=Step.THANKS,
            elder_mode=state.elder_mode, language=state.language,
        )
        return thanks, [*effects, WipePersonalData()]  # idle.py returns to the start after thanks_seconds

    def _wipe(self, state: SessionState) -> Transition:
        return wipe(state.idle.last_activity, self._settings)

    # --- helpers -----------------------------------------------------------------------------

    def _card_excluded(self, state: SessionState, card: IdCard) -> tuple[str, list[str]] | None:
        """Why the item's blocking rules already exclude this card holder, told at the card step before any
        form: ("card_excluded", messages) when the card's own data decides (an age limit), ("records_excluded",
        messages) when the shared data about the holder does (hukou elsewhere, already retired). None when
        neither does; rules without `card_findings` / `record_findings` have none."""
        rules = self._current_rules(state)
        for code, method in (("card_excluded", "card_findings"), ("records_excluded", "record_findings")):
            find = getattr(rules, method, None)
            if find is None:
                continue
            findings = _checked_findings(find(card.without_photo(), self._clock.today()))
            reasons = [finding.message for finding in findings if finding.severity == "block"]
            if reasons:
                return code, reasons
        return None

    def _rules(self, service_id: str) -> ApplicationRules:
        try:
            return self._services.rules_for(service_id)
        except KeyError:
            raise UnknownServiceError(f"no service item {service_id!r} in the catalog") from None

    def _current_rules(self, state: SessionState) -> ApplicationRules:
        assert state.service_id is not None
        return self._rules(state.service_id)

    def _draft(self, state: SessionState) -> ApplicationDraft:
        assert state.card is not None and state.service_id is not None and state.outcome is not None
        answers = state.answers_dict()
        visible = [key for key in state.visible_fields if key in answers]
        return ApplicationDraft(
            service_id=state.service_id,
            card=state.card.without_photo(),
            answers=tuple((key, answers[key]) for key in visible),
            findings=state.findings,
            outcome=state.outcome,
            delivery=state.delivery,
            commitment=state.commitment,
            materials_promised=state.materials_promised,
            language=state.language,
            material_pages=tuple(p for p in state.material_pages if p.material in state.materials),
        )


def _commitment(event: CommitmentConfirmed) -> Commitment:
    if event.method not in COMMITMENT_METHODS:
        raise InvalidEventError(f"commitment method must be signature or agree, not {event.method!r}")
    if event.method == "signature" and not event.signature_png:
        raise InvalidEventError("a signature commitment needs the signature image")
    return Commitment(event.method, event.signature_png if event.method == "signature" else None)


def rules_document(rules: ApplicationRules, state: SessionState) -> str:
    """The name of what an approved applicant takes away: the item's own document name (a food 备案
    gives a 备案回执, not a licence); empty when the item names none."""
    return str(getattr(rules, "document_name", "") or "")


def rules_due(rules: ApplicationRules, today: dt.date) -> str:
    """When staff review of an accepted application ends (the date its 受理回执 prints), ISO; empty when
    the rules do not say."""
    expected = getattr(rules, "expected_completion", None)
    return expected(today).isoformat() if expected is not None else ""


def _view(state: SessionState) -> SessionState:
    """The state without its idle timer: what a screen shows."""
    return dataclasses.replace(state, idle=IdleTimer(0.0))


def _speech(old: SessionState, new: SessionState) -> list[str]:
    """What elder mode reads aloud after a transition: the new screen's instruction, then errors."""
    texts: list[str] = []
    if new.screen != old.screen or not old.elder_mode or new.language != old.language or new.page != old.page:
        texts.append(messages.instruction(new.screen, new.language))
    if new.card_reading and not old.card_reading:
        texts.append(messages.reading(new.language))
    if new.confirm_cancel and not old.confirm_cancel:
        texts.append(messages.cancel_question(new.language))
    if new.notice is not None and new.notice != old.notice:
        texts.append(new.notice.spoken(new.language))
    if new.show_fixes and new.fix_round != old.fix_round and new.blocking_findings:
        texts.append(messages.fixes_text([f.message for f in new.blocking_findings], new.language))
    return texts


def _with_notice(state: SessionState, code: str) -> SessionState:
    return dataclasses.replace(state, notice=messages.notice(code, state.language))


def _locked(answer: AnswerLike | None) -> bool:
    return answer is not None and bool(answer.locked)


def _checked_answers(answers: Mapping[str, AnswerLike], method: str) -> dict[str, AnswerLike]:
    items = dict(answers)
    for key, answer in items.items():
        if not all(hasattr(answer, name) for name in ("value", "source", "locked")):
            raise RulesContractError(f"{method}() must map field keys to answers; {key!r} is not one")
    return items


def _checked_findings(findings: Sequence[Finding]) -> tuple[FindingView, ...]:
    views = []
    for finding in findings:
        if finding.severity not in SEVERITIES:
            raise RulesContractError(f"finding {finding.rule!r} has unknown severity {finding.severity!r}")
        views.append(FindingView(finding.rule, finding.field, finding.severity, finding.message))
    return tuple(views)

"""The start screen's 扫码查询·补打 over the composition root, without Qt: look up, reprint for the
holder only, and end the visit. Policy (masking, the holder rule, the throttle, the words) is
kiosk.reprint_policy; this module does the reading, printing and auditing.

    desk = LookupDesk(kiosk, runner, clock=time.monotonic)
    answer = desk.lookup("500151-20261121-K01-0001")      # FOUND with a masked HolderStatus, or why not
    answer = desk.reprint(number, card)                     # blocks until the printer answered (worker)
    desk.outcome(answer.job_id)                             # a waiting reprint, checked again
    desk.print_business_codes(card)                         # 一码通行 for the card holder's businesses
    desk.end_visit()                                        # the page was left: unprinted reprints are held

- A number (typed, or the slip's signed QR text `MB1:…` from a scanner) shows only the masked status.
- A reprint needs the holder's own ID card: its number must be the application's (matched through the
  store's keyed hash, never compared or kept in clear). Each reprint and each refusal is audited
  (`print.reprinted`, `print.reprint_refused`) with the masked holder and the reason.
- Unknown numbers and other people's cards count as failures; a burst locks the lookup (`lookup.locked`,
  audited) for `ThrottlePolicy.lock_seconds`.
- The hall's answers (kiosk.sync: state, a 补正 notice, pickup) come with the status; `print_notice`
  prints a 补正 notice through the print queue (audited with its job, like every print).
- A reprint belongs to the visit that asked for it: `end_visit()` holds it for a technician if it has
  not printed (kiosk.job_hold), so it never prints by itself into the next visit.
Time (throttle, idle) is the injected monotonic `clock`. Thread-safe: the touchscreen calls it from
worker threads; `touch()` and `idle_expired()` touch memory only and may run on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.numbering import number_key
from idreader import IdCard, mask_id_number
from kiosk.credentials import PREFIX, CredentialError, known_public_keys, mask_holder_name, verify_credential
from kiosk.credentials.business import BusinessClaims
from kiosk.issuing import render_receipt
from kiosk.job_hold import LOOKUP_ENDED, hold_for_technician
from kiosk.onecode import business_claims, business_view, onecode_slip, printable_code
from kiosk.reprint_policy import (
    STILL_WAITING,
    Code,
    HolderStatus,
    LookupThrottle,
    ThrottlePolicy,
    clean_number,
    decide_reprint,
    holder_status,
    lookup_text,
    minutes_left,
    print_outcome,
)
from kiosk.sync.notice import NOTICE_KIND, notice_receipt
from kiosk.sync.replies import HallStatus, hall_status

if TYPE_CHECKING:
    from kiosk.app import Kiosk
    from kiosk.effect_runner import EffectRunner
    from kiosk.store.records import ApplicationRecord
    from printers.queue import JobRecord

#: The print-job kind of a 一码通行 slip printed on request.
ONECODE_KIND = "onecode"
#: The lookup page goes back to the start screen after this many seconds without a touch.
LOOKUP_IDLE_SECONDS = 90.0
#: The audit's reason for a reprint at the kiosk by the holder.
HOLDER_REASON = "holder's own ID card matched"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LookupAnswer:
    """One answer of the lookup page: a code (kiosk.reprint_policy.Code) and what fills its words."""

    code: Code
    number: str = ""
    status: HolderStatus | None = None
    minutes: int = 0
    job_id: int | None = None
    hall: dict[str, Any] | None = None  # what the hall says (kiosk.sync): state, outcome, notice, pickup
    business: dict[str, Any] | None = None  # a scanned 一码通行 code: the business and its permits

    def text(self, language: str = "zh") -> str:
        return lookup_text(self.code, language, number=self.number, minutes=self.minutes)

    @property
    def waiting(self) -> bool:
        """A reprint job that may still print while the page is open."""
        return self.job_id is not None and self.code in STILL_WAITING


class LookupDesk:
    def __init__(self, kiosk: Kiosk, runner: EffectRunner, *, clock: Callable[[], float] = time.monotonic,
                 policy: ThrottlePolicy | None = None, idle_seconds: float = LOOKUP_IDLE_SECONDS) -> None:
        self.kiosk = kiosk
        self.runner = runner
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._throttle = LookupThrottle(policy, clock)
        self._lock = threading.Lock()
        self._visit_jobs: list[int] = []
        self._last_touch = clock()

    # --- the visit ------------------------------------------------------------------------------

    def touch(self) -> None:
        """A touch on the lookup page (memory only)."""
        with self._lock:
            self._last_touch = self._clock()

    def idle_expired(self) -> bool:
        with self._lock:
            return self._clock() - self._last_touch >= self.idle_seconds

    def end_visit(self) -> list[int]:
        """The page was left (back, home, idle): hold this visit's reprints that have not printed."""
        with self._lock:
            jobs, self._visit_jobs = self._visit_jobs, []
        return hold_for_technician(self.kiosk, jobs, LOOKUP_ENDED) if jobs else []

    # --- looking up -------------------------------------------------------------------------------

    def lookup(self, text: str, language: str = "zh") -> LookupAnswer:
        """The masked status of the application with this number (or its slip's QR text); a scanned
        一码通行 code shows the business's permits instead (BUSINESS_FOUND)."""
        business = self._business_code(text, language)
        if business is not None:
            return business
        found = self._find(text, language)
        if isinstance(found, LookupAnswer):
            return found
        record, status = found
        return LookupAnswer(Code.FOUND, status.number, status, hall=self._hall(record))

    def print_notice(self, text: str, language: str = "zh") -> LookupAnswer:
        """Print the hall's 补正 notice of this number (no card needed: it names no person); audited with
        its print job (`print.queued`, records=["print_job:ID"]); waits for the printer (worker)."""
        found = self._find(text, language)
        if isinstance(found, LookupAnswer):
            return found
        record, status = found
        hall = self._hall_status(record)
        if hall is None or not hall.notice:
            return LookupAnswer(Code.NO_SLIP, status.number, status, hall=self._hall(record))
        now = self.kiosk.now()
        receipt = notice_receipt(status.number, hall, service=status.service, hall_name=self.kiosk.hall.name,
                                 kiosk_id=self.kiosk.hall.kiosk_id, printed_at=now, language=language)
        payload = render_receipt(receipt, self.kiosk.printer_url)
        job_id = self.kiosk.store.enqueue_print_job(self.kiosk.printer_url, status.number, NOTICE_KIND, payload)
        with self._lock:
            self._visit_jobs.append(job_id)
        event = self.runner.wait_for_job(job_id)
        return LookupAnswer(print_outcome(event), status.number, status, job_id=job_id, hall=self._hall(record))

    def print_business_codes(self, card: IdCard, language: str = "zh") -> LookupAnswer:
        """一码通行 on request: a slip with the signed code of each business whose legal representative
        holds `card` (kiosk.onecode), each print job audited (`onecode.printed`, records=["print_job:ID"]);
        waits for the last job (worker). NO_BUSINESS (audited, not a failure: it names nobody else's
        data) when the card's holder represents none."""
        businesses = self.kiosk.registry.businesses_for_person(card.id_number) if card.id_number else []
        masked = mask_id_number(card.id_number or "")
        now, jobs = self.kiosk.now(), []
        for business in businesses:
            claims = business_claims(self.kiosk.registry, self.kiosk.store, business.uscc, today=now.date(),
                                     kiosk_id=self.kiosk.hall.kiosk_id)
            text = printable_code(claims, self.kiosk.signing_key) if claims is not None else None
            if text is None:
                continue
            receipt = onecode_slip(claims, text, hall_name=self.kiosk.hall.name, printed_at=now, language=language)
            job_id = self.kiosk.store.enqueue_print_job(self.kiosk.printer_url, business.uscc, ONECODE_KIND,
                                                        render_receipt(receipt, self.kiosk.printer_url))
            self.kiosk.store.append_audit("onecode.printed", business.uscc, {
                "job": job_id, "permits": len(claims.permits), "card": masked, "by": "lookup"},
                records=[f"print_job:{job_id}"])
            jobs.append(job_id)
        if not jobs:
            self.kiosk.store.append_audit("onecode.none", "lookup", {  # businesses > 0: codes too big to print
                "card": masked, "businesses": len(businesses), "by": "lookup"})
            return LookupAnswer(Code.NO_BUSINESS)
        with self._lock:
            self._visit_jobs.extend(jobs)
        code = print_outcome(self.runner.wait_for_job(jobs[-1]))
        names = "、".join(b.name for b in businesses)
        return LookupAnswer(Code.ONECODE_PRINTED if code is Code.REPRINTED else code, names, job_id=jobs[-1])

    def _hall_status(self, record: ApplicationRecord) -> HallStatus | None:
        """What the hall said about the application (it knows it by its licence number, else its receipt)."""
        for number in (record.licence_no, record.receipt_no):
            found = hall_status(self.kiosk.store, number) if number else None
            if found is not None:
                return found
        return None

    def _hall(self, record: ApplicationRecord) -> dict[str, Any] | None:
        """The hall's status of an application as the page shows it (None: the hall has said nothing yet)."""
        hall = self._hall_status(record)
        if hall is None:
            return None
        return {"state": hall.state, "outcome": hall.outcome or "", "notice": hall.notice or {},
                "pickup": hall.pickup or {}, "updated_at": hall.updated_at or ""}

    def reprint(self, text: str, card: IdCard, language: str = "zh") -> LookupAnswer:
        """Reprint the application's slip if `card` is its holder's; waits for the printer (worker)."""
        found = self._find(text, language)
        if isinstance(found, LookupAnswer):
            return found
        record, status = found
        last = self._latest_job(record)
        holder_matches = bool(card.id_number) and any(
            mine.id == record.id for mine in self.kiosk.store.find_applications_by_id_number(card.id_number))
        refusal = decide_reprint(purged=record.purged_at is not None, holder_matches=holder_matches,
                                 last_job_state=last.state if last else None)
        holder = _masked_holder(record)
        if refusal is not None:
            self.kiosk.store.append_audit("print.reprint_refused", status.number, {
                "holder": holder, "card": mask_id_number(card.id_number or ""), "reason": refusal.value,
                "by": "lookup"})
            log.warning("lookup: reprint of %s refused (%s)", status.number, refusal.value)
            if refusal is Code.NOT_HOLDER:
                locked = self._failure("another person's ID card")
                if locked is not None:
                    return locked
            return LookupAnswer(refusal, status.number, status)
        assert last is not None
        copy_id = self.kiosk.queue.reprint(last.id, printer=self.kiosk.printer_url)  # this kiosk: the holder is here
        with self._lock:
            self._visit_jobs.append(copy_id)
        self.kiosk.store.append_audit("print.reprinted", last.reference or status.number, {
            "job": copy_id, "copy_of": last.id, "holder": holder, "reason": HOLDER_REASON, "by": "lookup"},
            records=[f"print_job:{copy_id}"])
        event = self.runner.wait_for_job(copy_id)
        return LookupAnswer(print_outcome(event), status.number, status, job_id=copy_id)

    def outcome(self, job_id: int, number: str = "") -> LookupAnswer:
        """A waiting reprint checked again (no waiting): REPRINTED once the printer confirmed it."""
        event = self.runner.job_outcome(job_id)
        code = Code.PRINTING if event is None else print_outcome(event)
        return LookupAnswer(code, number, job_id=job_id)

    # --- internals --------------------------------------------------------------------------------

    def _find(self, text: str, language: str) -> LookupAnswer | tuple[ApplicationRecord, HolderStatus]:
        """The application and its masked status, or the answer why not (a wrong number counts)."""
        with self._lock:
            seconds = self._throttle.seconds_locked()
        if seconds:
            return LookupAnswer(Code.LOCKED, minutes=minutes_left(seconds))
        number = self._number(text)
        if number is None or number is Code.BAD_QR:
            shown = "" if number is Code.BAD_QR else (clean_number(text) or text.strip()[:24])
            code = Code.BAD_QR if number is Code.BAD_QR else Code.NOT_FOUND
            return self._failure(f"unreadable input ({code.value})") or LookupAnswer(code, shown)
        record = self.kiosk.store.find_application(number) or self.kiosk.store.find_application_loosely(number)
        if record is None:
            return self._failure("unknown number") or LookupAnswer(Code.NOT_FOUND, number)
        number = _printed_number(record, number)
        last = self._latest_job(record)
        spec = self.kiosk.catalog.get(record.service)
        status = holder_status(
            number=number, holder_name=record.applicant_name, holder_id_masked=record.applicant_id_masked,
            service=getattr(spec, "title", record.service), created_at=record.created_at,
            decided_at=record.decided_at, decision=record.decision, purged=record.purged_at is not None,
            last_job_state=last.state if last else None, language=language)
        return record, status

    def _business_code(self, text: str, language: str) -> LookupAnswer | None:
        """A 一码通行 code (kiosk.onecode, the one `kiosk verify` reads): the business and every permit it
        vouches for, an expired one marked as of today. None for any other text (a bad signature is
        answered, and counted, by `_find`)."""
        stripped = text.strip()
        if not stripped.upper().startswith(PREFIX):
            return None
        try:
            claims = verify_credential(stripped, known_public_keys(self.kiosk.data_dir))
        except CredentialError:
            return None
        if not isinstance(claims, BusinessClaims):
            return None
        view = business_view(claims, self.kiosk.now().date(), language)
        return LookupAnswer(Code.BUSINESS_FOUND, claims.name or claims.uscc, business=view)

    def _number(self, text: str) -> str | Code | None:
        """The number typed, or the one inside a signed QR text (BAD_QR when its signature fails)."""
        stripped = text.strip()
        if stripped.upper().startswith(PREFIX):
            try:
                # a slip signed before `kiosk keys rotate` is still this hall's: current and retired keys
                claims = verify_credential(stripped, known_public_keys(self.kiosk.data_dir))
            except CredentialError:
                return Code.BAD_QR
            return claims.number
        return clean_number(stripped)

    def _failure(self, what: str) -> LookupAnswer | None:
        """Count one wrong lookup; the answer LOCKED (audited) when it starts a lock."""
        with self._lock:
            locked = self._throttle.record_failure()
            seconds = self._throttle.seconds_locked()
        if not locked:
            return None
        policy = self._throttle.policy
        self.kiosk.store.append_audit("lookup.locked", "lookup", {
            "failures": policy.max_failures, "window_s": policy.window_seconds, "lock_s": policy.lock_seconds,
            "last": what})
        log.warning("lookup locked for %g s after %d wrong look-ups", policy.lock_seconds, policy.max_failures)
        return LookupAnswer(Code.LOCKED, minutes=minutes_left(seconds))

    def _latest_job(self, record: ApplicationRecord) -> JobRecord | None:
        """The newest print job made for this application (by its receipt or licence number)."""
        ids = [int(row["id"]) for reference in {record.receipt_no, record.licence_no} if reference
               for row in self.kiosk.store.print_jobs_for(reference)]
        return self.kiosk.queue.get(max(ids)) if ids else None


def _masked_holder(record: Any) -> dict[str, str]:
    """The holder as the audit keeps it: masked name and masked ID number."""
    return {"name": mask_holder_name(record.applicant_name or ""), "id": record.applicant_id_masked or ""}


def _printed_number(record: ApplicationRecord, typed: str) -> str:
    """The number as printed that `typed` stands for: the licence number or the receipt number."""
    if record.licence_no and number_key(record.licence_no) == number_key(typed):
        return record.licence_no
    return record.receipt_no or typed

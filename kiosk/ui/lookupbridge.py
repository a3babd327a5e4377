"""The QObject behind the 扫码查询·补打 page (QML: `bridge.lookupPage`): thin Qt over kiosk.lookup.

`requestOneCode()` (一码通行) asks for the legal representative's card and prints the code of each
business it represents (`services.print_business_codes`, kiosk.lookup).
`query(text)` shows the masked status of a typed number or a scanned slip QR; `requestReprint()` asks
for the holder's ID card and opens the reader for it; the card that is laid is sent, with the number, to
`services.reprint_for_holder` (the holder rule, the audit and the throttle are kiosk.lookup and
kiosk.reprint_policy). The hall's answer for the number (kiosk.sync: its review state, a 补正 notice
to print with `printNotice()`, pickup) shows as `hall`. The message says 已补打 only once the printer
confirmed the job; while the job
waits (paper out, cover open) each Tick asks again, so it turns into 已补打 when it prints during the
visit. The visit ends with `end()` (back, home, idle): the reader gate closes and the visit's unprinted
reprint goes to the technician (`services.end_lookup`).

Everything slow runs through `submit(work, done)` on the applicant bridge's worker pool; reader events
arrive on the reader's thread and are posted to the GUI thread. Results of an ended visit are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.reprint_policy import Code, lookup_text
from kiosk.session import CardFault, CardRead, CardRemoved
from kiosk.ui.strings import texts

#: `submit(work, done)`: run `work` on a worker, then `done(result)` on the GUI thread.
Submit = Callable[[Callable[[], Any], Callable[[Any], None]], None]
_log = logging.getLogger(__name__)


def hall_view(hall: dict[str, Any] | None) -> dict[str, Any]:
    """The hall's answer as the page reads it: state (a strings.py key `hall_<state>`), the 补正 items,
    its text and due date, pickup (window or EMS number), when the hall last changed it."""
    if not hall:
        return {}
    notice, pickup = hall.get("notice") or {}, hall.get("pickup") or {}
    return {"state": hall.get("state", ""), "outcome": hall.get("outcome", ""),
            "items": [str(item) for item in notice.get("items") or []], "noticeText": str(notice.get("text") or ""),
            "due": str(notice.get("due") or "")[:10], "pickupKind": str(pickup.get("kind") or ""),
            "window": str(pickup.get("window") or ""), "ems": str(pickup.get("ems") or ""),
            "updated": str(hall.get("updated_at") or "")[:16].replace("T", " ")}


def _guarded(work: Callable[[], Any]) -> Callable[[], Any]:
    """`work()`, or an UNAVAILABLE answer when it fails or has no answer (the services are still
    loading): the page never stays on "…"."""
    def run() -> Any:
        try:
            answer = work()
        except Exception:
            _log.exception("lookup: background work failed")
            answer = None
        if answer is None:
            from kiosk.lookup import LookupAnswer  # the credentials behind it: not before the start screen

            return LookupAnswer(Code.UNAVAILABLE)
        return answer
    return run


class LookupBridge(QObject):
    changed = Signal()
    _reader = Signal(int, object)  # (visit, session event) from the reader thread

    def __init__(self, submit: Submit, services: Callable[[], Any], language: Callable[[], str],
                 leave: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self._services = services
        self._language = language
        self._leave = leave
        self._visit = 0
        self._active = False
        self._number = ""
        self._message = ""
        self._status: dict[str, str] = {}
        self._hall: dict[str, Any] = {}  # the hall's answer for the number (kiosk.sync), {} when none
        self._business: dict[str, Any] = {}  # a scanned 一码通行 code: the business and its permits
        self._printed_notice = False
        self._awaiting = False
        self._onecode = False  # the card asked for is for 一码通行, not a reprint
        self._busy = 0
        self._job: int | None = None
        self._checking = False
        self._reader.connect(self._on_reader)

    message = Property(str, lambda self: self._message, notify=changed)
    status = Property("QVariantMap", lambda self: self._status, notify=changed)
    hall = Property("QVariantMap", lambda self: self._hall, notify=changed)
    business = Property("QVariantMap", lambda self: self._business, notify=changed)
    awaitingCard = Property(bool, lambda self: self._awaiting, notify=changed)
    busy = Property(bool, lambda self: self._busy > 0, notify=changed)

    # --- the visit (called by the applicant bridge) --------------------------------------------------

    def begin(self) -> None:
        """The page opened: a new visit with nothing on it."""
        self._visit += 1
        self._active = True
        self._clear()
        self._services().lookup_touch()

    def end(self) -> None:
        """The page was left: close the reader gate, wipe the page, hand an unprinted reprint over."""
        if not self._active:
            return
        self._active = False
        self._visit += 1
        if self._awaiting:
            self._services().stop_reading()
        self._clear()
        services = self._services()
        self._submit(services.end_lookup, lambda _held: None)

    def touch(self) -> None:
        if self._active:
            self._services().lookup_touch()

    def tick(self) -> None:
        """Every second: leave after the idle time; ask again about a reprint still waiting."""
        if not self._active:
            return
        if self._services().lookup_idle():
            self._leave()
            return
        if self._job is not None and not self._checking:
            self._checking = True
            job, number, services = self._job, self._number, self._services()
            self._submit(_guarded(lambda: services.lookup_outcome(job, number)), self._when(self._visit, self._checked))

    # --- slots QML calls -------------------------------------------------------------------------------

    @Slot(str)
    def query(self, text: str) -> None:
        if not text.strip() or not self._active:
            return
        if self._awaiting:
            self._services().stop_reading()
        self._clear()
        self._set_message("…")
        self._busy += 1
        services, language = self._services(), self._language()
        self._submit(_guarded(lambda: services.lookup(text, language)), self._when(self._visit, self._answered))

    @Slot()
    def requestReprint(self) -> None:
        """补打: ask for the holder's card and open the reader for it."""
        if not self._active or not self._number or self._busy or self._awaiting:
            return
        self._awaiting = True
        self._job = None
        self._set_message(lookup_text(Code.PLACE_CARD, self._language()))
        visit = self._visit
        self._services().start_reading(lambda event: self._reader.emit(visit, event))

    @Slot()
    def requestOneCode(self) -> None:
        """一码通行: ask for the legal representative's card and open the reader for it (no number needed)."""
        if not self._active or self._busy or self._awaiting:
            return
        self._awaiting, self._onecode = True, True
        self._job = None
        self._set_message(texts(self._language())["oneCodePlaceCard"])
        visit = self._visit
        self._services().start_reading(lambda event: self._reader.emit(visit, event))

    @Slot()
    def printNotice(self) -> None:
        """Print the hall's 补正 notice of the number shown (no card: it names no person)."""
        if not self._active or not self._number or self._busy or self._awaiting or not self._hall.get("items"):
            return
        self._set_message(lookup_text(Code.PRINTING, self._language()))
        self._busy += 1
        self._printed_notice = True
        number, services, language = self._number, self._services(), self._language()
        self._submit(_guarded(lambda: services.print_hall_notice(number, language)),
                     self._when(self._visit, self._answered))

    # --- answers ------------------------------------------------------------------------------------------

    def _on_reader(self, visit: int, event: Any) -> None:
        if visit != self._visit or not self._awaiting:
            return
        if isinstance(event, CardFault):
            self._set_message(lookup_text(Code.CARD_FAILED, self._language()))
            return
        if isinstance(event, CardRemoved):  # lifted after a failed read: ask for it again
            self._set_message(lookup_text(Code.PLACE_CARD, self._language()))
            return
        if not isinstance(event, CardRead):
            return
        self._awaiting = False
        self._services().stop_reading()
        self._set_message(lookup_text(Code.PRINTING, self._language()))
        self._busy += 1
        card, number, services, language = event.card, self._number, self._services(), self._language()
        onecode, self._onecode = self._onecode, False
        work = (lambda: services.print_business_codes(card, language)) if onecode else \
            (lambda: services.reprint_for_holder(number, card, language))
        self._submit(_guarded(work), self._when(self._visit, self._answered))

    def _when(self, visit: int, done: Callable[[Any], None]) -> Callable[[Any], None]:
        """`done(answer)` unless the visit ended meanwhile."""
        def deliver(answer: Any) -> None:
            if visit == self._visit and self._active:
                done(answer)
        return deliver

    def _answered(self, answer: Any) -> None:
        self._busy = max(self._busy - 1, 0)
        notice, self._printed_notice = self._printed_notice, False
        if answer.status is not None:
            self._number = answer.status.number
            self._status = answer.status.to_dict()
            self._hall = hall_view(getattr(answer, "hall", None))
        elif answer.code in (Code.NOT_FOUND, Code.BAD_QR, Code.LOCKED):
            self._number, self._status, self._hall = "", {}, {}
        if answer.code is Code.BUSINESS_FOUND:
            self._business = dict(getattr(answer, "business", None) or {})
        self._job = answer.job_id if answer.waiting else None
        if notice and answer.code is Code.REPRINTED:
            self._set_message(texts(self._language())["hallNoticePrinted"])
            return
        self._set_message(answer.text(self._language()))

    def _checked(self, answer: Any) -> None:
        self._checking = False
        if self._job is None or answer.job_id != self._job:
            return
        if not answer.waiting:
            self._job = None
        if answer.code is not Code.PRINTING:
            self._set_message(answer.text(self._language()))

    def _clear(self) -> None:
        self._number, self._status, self._awaiting, self._job, self._busy = "", {}, False, None, 0
        self._hall, self._printed_notice, self._onecode, self._business = {}, False, False, {}
        self._checking = False
        self._message = ""
        self.changed.emit()

    def _set_message(self, text: str) -> None:
        self._message = text
        self.changed.emit()

"""Events: what happened, as the screens and the devices report it to `ApplicantSession.handle`.

Each event is a frozen dataclass. Applicant events (everything but `Tick`, `ApplicationSaved`,
`SaveFailed`, `PrintFinished`, `PrintFailed`, `CardDetected` and `CardRemoved`) count as activity and restart the idle
timer. An event that means nothing in the current step (a second tap on 下一步 while saving, a card laid
on the start screen) is ignored: `handle` returns no effects and the state stays as it was.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from idreader import IdCard


class CardFaultKind(StrEnum):
    """What went wrong at the reader; the app maps idreader errors onto these."""

    NO_RESPONSE = "no_response"          # ReaderTimeout: silence from the reader
    READ_FAILED = "read_failed"          # FrameError / ChecksumError / LengthError: garbled reply
    CARD_LIFTED = "card_lifted"          # the card was moved or lifted before the read finished
    UNREADABLE_CARD = "unreadable_card"  # CardDataError / IdNumberError: the chip's data is not valid
    READER_OFFLINE = "reader_offline"    # PortError: the reader is unplugged or the port is gone


class PrintFaultKind(StrEnum):
    """What went wrong at the printer; the app maps printers errors onto these."""

    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"            # PrinterOffline / PrinterUnreachable / PrinterConnectionLost
    TIMEOUT = "timeout"            # PrinterTimeout
    ERROR = "error"                # anything else


@dataclass(frozen=True)
class Event:
    """Base class of every session event."""


# --- the applicant ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceChosen(Event):
    """The applicant chose a service item."""

    service_id: str


@dataclass(frozen=True)
class AnswerChanged(Event):
    """The applicant changed one answer on the form."""

    key: str
    value: object = dataclasses.field(repr=False)


@dataclass(frozen=True)
class AnswersChanged(Event):
    """Several answers at once (headless `kiosk apply`, restoring a draft), in any order: each value is
    set as soon as its field is shown (so a `show_if` field may follow the field it depends on).
    A value for a locked field is accepted only when it equals the locked value."""

    values: tuple[tuple[str, object], ...] = dataclasses.field(repr=False)


@dataclass(frozen=True)
class Back(Event):
    """Go one step back; possible at every step before submission and keeps every answer."""


@dataclass(frozen=True)
class Next(Event):
    """Go one step forward (card → form → pre-review → materials → result)."""


@dataclass(frozen=True)
class Submitted(Event):
    """The same as `Next` (DESIGN.md's name for leaving the form or the materials screen)."""


@dataclass(frozen=True)
class PageOpened(Event):
    """On the start screen: the applicant opened one of its pages (home, catalog, intro, lookup)."""

    page: str


@dataclass(frozen=True)
class HomePressed(Event):
    """The footer's 首页/取消办理 button: the start screen's home page, or cancel the visit."""


@dataclass(frozen=True)
class MaterialPromised(Event):
    """On the materials screen: the applicant marked (or unmarked) `name` as promised under 告知承诺."""

    name: str
    promised: bool = True


@dataclass(frozen=True)
class CaptureOpened(Event):
    """On the materials screen: the applicant chose to photograph `name` (the capture screen opens).
    Back closes it without a page."""

    name: str


@dataclass(frozen=True)
class PageCaptured(Event):
    """On the capture screen: the applicant confirmed the flattened page of `name` (PNG); it replaces an
    earlier photo of the same material and counts instead of a promise."""

    name: str
    png: bytes = dataclasses.field(repr=False)
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class MaterialsConfirmed(Event):
    """The applicant saw the materials list; `promised` are those promised under 告知承诺."""

    promised: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommitmentConfirmed(Event):
    """The 承诺书 was signed by finger (`signature`, with the PNG) or agreed to (`agree`)."""

    method: str
    signature_png: bytes | None = dataclasses.field(default=None, repr=False)


@dataclass(frozen=True)
class SignOpened(Event):
    """On the materials screen: the applicant chose to sign the 承诺书 by finger (the signing step)."""


@dataclass(frozen=True)
class CancelAnswered(Event):
    """The answer to "取消办理？" (asked after 取消办理): `confirm` True ends the visit, False goes on."""

    confirm: bool


@dataclass(frozen=True)
class CardSwapAnswered(Event):
    """The answer to "a different person's card was read: start again with it?"."""

    replace: bool


@dataclass(frozen=True)
class DeliveryChosen(Event):
    """For an accepted application: `pickup`, or `mail` with the (edited) address."""

    method: str
    address: str = dataclasses.field(default="", repr=False)


@dataclass(frozen=True)
class Confirmed(Event):
    """确认提交 on the result screen: the application is saved, then printed."""


@dataclass(frozen=True)
class RetryPrint(Event):
    """The applicant asked to print the slip again."""

    pass


@dataclass(frozen=True)
class Rated(Event):
    """好差评: 1 (very dissatisfied) .. 5 (very satisfied), with an optional reason."""

    stars: int
    reason: str = ""


@dataclass(frozen=True)
class Touch(Event):
    """Any touch on the screen; extends the idle time and cancels a countdown."""


@dataclass(frozen=True)
class StaffCalled(Event):
    """呼叫工作人员 (available on every screen)."""


@dataclass(frozen=True)
class Cancelled(Event):
    """The applicant gives up; everything personal is wiped (ignored while saving or printing)."""


@dataclass(frozen=True)
class ElderModeSet(Event):
    """Elder mode (large text, speech) switched on or off."""

    on: bool


@dataclass(frozen=True)
class LanguageSet(Event):
    """The screen language chosen."""

    language: str


# --- the reader ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardDetected(Event):
    """A new card answered the reader's find; its read follows at once (正在读取，请不要移动证件)."""


@dataclass(frozen=True)
class CardRead(Event):
    """The reader read an ID card."""

    card: IdCard


@dataclass(frozen=True)
class CardFault(Event):
    """The reader could not read the card (the kind says why)."""

    kind: str
    detail: str = ""
    """Technical detail for the log; never shown to the applicant."""


@dataclass(frozen=True)
class CardRemoved(Event):
    """The card left the reader."""

    pass


# --- storage, the printer and the clock -----------------------------------------------------------


@dataclass(frozen=True)
class ApplicationSaved(Event):
    """The decision was committed: the application, its numbers and its print job."""

    application_id: str
    receipt_no: str
    licence_no: str | None = None
    print_job_id: int | None = None


@dataclass(frozen=True)
class SaveFailed(Event):
    """The decision could not be committed (the reason says why)."""

    reason: str


@dataclass(frozen=True)
class PrintFinished(Event):
    """The slip's print job finished."""

    job_id: str = ""


@dataclass(frozen=True)
class PrintFailed(Event):
    """The slip's print job failed: the kind of fault and its detail."""

    kind: str
    detail: str = ""
    job_id: str = ""


@dataclass(frozen=True)
class Tick(Event):
    """Sent by the app's timer (about once a second); the session reads its Clock."""


DEVICE_EVENTS = (ApplicationSaved, SaveFailed, PrintFinished, PrintFailed, Tick, CardRemoved, CardDetected)
"""Events that are not the applicant's doing and so do not count as activity."""

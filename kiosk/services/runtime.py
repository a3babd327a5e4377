"""What the touchscreen needs from the composition root, and how device events become session events.

Qt-free. The UI never decides which devices are real: it is handed a `KioskServices` object
(`kiosk.services.app_services.AppServices` over the composition root `kiosk/app.py`, or
`PendingServices` while that loads) and calls it only from worker threads for anything slow.
`reader_event_to_session(event)` is the pure mapping from the idreader driver's events to the
session's events (docs/session.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from idreader import IdCard
from idreader.faults import ReaderFaultKind
from kiosk.session import CardDetected, CardFault, CardFaultKind, CardRead, CardRemoved, Effect, Event

READER_FAULT_KINDS: dict[ReaderFaultKind, CardFaultKind] = {
    ReaderFaultKind.NO_RESPONSE: CardFaultKind.NO_RESPONSE,
    ReaderFaultKind.BAD_FRAME: CardFaultKind.READ_FAILED,
    ReaderFaultKind.READER_ERROR: CardFaultKind.READ_FAILED,
    ReaderFaultKind.READ_INTERRUPTED: CardFaultKind.CARD_LIFTED,
    ReaderFaultKind.CARD_LIFTED: CardFaultKind.CARD_LIFTED,  # a spoilt read, and the card was gone when re-selected
    ReaderFaultKind.READ_FAILED: CardFaultKind.READ_FAILED,  # the card stayed, but the retried read failed too
    ReaderFaultKind.CARD_REJECTED: CardFaultKind.UNREADABLE_CARD,
    ReaderFaultKind.CARD_DATA: CardFaultKind.UNREADABLE_CARD,
    ReaderFaultKind.PORT_UNAVAILABLE: CardFaultKind.READER_OFFLINE,
    ReaderFaultKind.PORT_LOST: CardFaultKind.READER_OFFLINE,
    ReaderFaultKind.SAM_FAILURE: CardFaultKind.READER_OFFLINE,
}


def reader_event_to_session(event: Any) -> Event | None:
    """A `idreader.reader` event as a session event (None for ReaderReady and unknown events)."""
    name = type(event).__name__
    if name == "CardDetected":
        return CardDetected()
    if name == "CardRead":
        return CardRead(event.card)
    if name == "CardRemoved":
        return CardRemoved()
    if name == "ReaderFault":
        return CardFault(READER_FAULT_KINDS.get(event.kind, CardFaultKind.READ_FAILED), event.detail)
    return None


class KioskServices(Protocol):
    """The devices, storage and documents behind the screens. Every method may block except where
    noted; the bridge calls the blocking ones on worker threads only."""

    @property
    def catalog(self) -> Mapping[str, Any]:
        """Service id -> forms `ServiceSpec` (read on the GUI thread; already loaded)."""
        ...

    def popular_services(self) -> tuple[dict[str, int], tuple[str, ...]]:
        """热门: (applications per service in the last 30 days, the configured fallback list) (worker)."""
        ...

    def start_reading(self, on_event: Callable[[Event], None]) -> None:
        """Start polling the reader (idempotent, returns at once); `on_event` gets session events
        (CardDetected, CardRead, CardFault, CardRemoved) on the reader's own thread."""
        ...

    def stop_reading(self) -> None:
        """Stop polling (returns at once; the reader thread ends by itself)."""
        ...

    def execute(self, effect: Effect) -> list[Event]:
        """Run SaveApplication / SubmitPrint / RecordRating / CallStaff / WipePersonalData (blocking,
        worker thread) and return the events that follow (ApplicationSaved, PrintFinished, ...)."""
        ...

    def preview_application(self, state: Any) -> bytes | None:
        """The application form PDF for the materials screen, before anything is saved (worker)."""
        ...

    # --- 扫码查询·补打 (kiosk.lookup.LookupDesk; answers are kiosk.lookup.LookupAnswer) ----------------

    def lookup(self, text: str, language: str = "zh") -> Any:
        """The masked status for a typed number or a scanned slip QR, or why not (worker)."""
        ...

    def reprint_for_holder(self, text: str, card: IdCard, language: str = "zh") -> Any:
        """Reprint if `card` is the holder's; waits for the printer's answer (worker)."""
        ...

    def lookup_outcome(self, job_id: int, number: str = "") -> Any:
        """A waiting reprint checked again (worker)."""
        ...

    def print_business_codes(self, card: IdCard, language: str = "zh") -> Any:
        """一码通行: print the code of each business the card's holder represents (worker)."""
        ...

    def end_lookup(self) -> list[int]:
        """The lookup page was left: its unprinted reprints go to the technician (worker)."""
        ...

    def lookup_touch(self) -> None:
        """A touch on the lookup page (memory only: any thread)."""
        ...

    def lookup_idle(self) -> bool:
        """The lookup page has been untouched for its idle time (memory only: any thread)."""
        ...

    def open_camera(self, url: str | None = None) -> Any:
        """A frame source for the document camera (`url`: another address to try, the panel's test);
        kiosk.devices decides real or sim://. Raises kiosk.camera CameraError (plain Chinese). Call it
        off the GUI thread: opening a device can take a second."""
        ...

    # --- demo only (None / no-op on real hardware) ------------------------------------------------

    def demo_cards(self) -> dict[str, IdCard]:
        """Cards the demo drawer can lay on the simulated reader (empty outside the demo)."""
        ...

    def demo_action(self, action: str, argument: str = "") -> str:
        """place_card NAME | lift_card | reader_fault KIND | paper_out | paper_in | cover_open | cover_closed;
        returns a short line for the drawer (any thread)."""
        ...

    def set_slip_listener(self, listener: Callable[[bytes], None] | None) -> None:
        """`listener(png_bytes)` is called (any thread) for every slip the emulated printer prints."""
        ...


class PendingServices:
    """Stands in until the real services have loaded (the start screen shows first, see
    `kiosk.ui.app.launch`): an empty catalog, no reader, nothing to execute."""

    catalog: Mapping[str, Any] = {}

    def rules_for(self, service_id: str) -> Any:
        raise KeyError(f"the catalog is still loading ({service_id})")

    @property
    def directory(self) -> PendingServices:
        return self

    def popular_services(self) -> tuple[dict[str, int], tuple[str, ...]]:
        return {}, ()

    def start_reading(self, on_event: Callable[[Event], None]) -> None:
        pass

    def stop_reading(self) -> None:
        pass

    def execute(self, effect: Effect) -> list[Event]:
        raise RuntimeError(f"the kiosk is still starting: cannot run {type(effect).__name__}")

    def preview_application(self, state: Any) -> bytes | None:
        return None

    def lookup(self, text: str, language: str = "zh") -> Any:
        return None

    def reprint_for_holder(self, text: str, card: IdCard, language: str = "zh") -> Any:
        return None

    def lookup_outcome(self, job_id: int, number: str = "") -> Any:
        return None

    def print_business_codes(self, card: IdCard, language: str = "zh") -> Any:
        return None

    def end_lookup(self) -> list[int]:
        return []

    def lookup_touch(self) -> None:
        pass

    def lookup_idle(self) -> bool:
        return False

    def open_camera(self, url: str | None = None) -> Any:
        from kiosk.camera.url import CameraError

        raise CameraError("终端正在启动，拍摄仪稍后可用")

    def demo_cards(self) -> dict[str, IdCard]:
        return {}

    def demo_action(self, action: str, argument: str = "") -> str:
        return "正在启动，请稍候"

    def set_slip_listener(self, listener: Callable[[bytes], None] | None) -> None:
        pass

    def close(self) -> None:
        pass

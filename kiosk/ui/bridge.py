"""The QObject QML talks to: renders the applicant session and turns taps into session events.

`KioskBridge(session, services, voice)` owns no device. QML calls its slots (chooseAudience, openIntro,
startService, setAnswer, next, back, …); each becomes one `ApplicantSession.handle(event)` and the
returned effects are run here:
- `ShowScreen` updates the properties and the list models (catalog, fields, fixes, slips);
- `Speak` goes to the voice (which speaks on its own thread);
- `ReadCard` / `StopReading` start and stop the reader through the services (non-blocking);
- `SaveApplication`, `SubmitPrint`, `RecordRating`, `CallStaff`, `WipePersonalData` run on a worker pool
  (`services.execute`); the events they return, and every reader callback, come back to the GUI thread
  as a queued Qt signal (`_posted`) before they reach the session. The GUI thread never waits on a
  device, the disk or a PDF.
A `Tick` is sent every second by a QTimer; any touch on the window (`touch()`) counts as activity.

The technician panel is its own QObject, `bridge.tech` (kiosk.ui.techbridge.TechBridge, exposed to QML as
`tech`). The bridge hands it the worker pool (`submit`, results delivered even after a wipe), the
start-screen-only rule, every touch and every Tick (its idle lock), and the services on `attach`.

Pages: while the session is at `start`, the start screen's own pages (home, catalog, intro, lookup) are
local to the bridge; from the card step on, the page is the session's screen name. The lookup page
(扫码查询·补打) is its own QObject, `bridge.lookupPage` (kiosk.ui.lookupbridge.LookupBridge): opening the
page starts its visit, leaving it (back, home, idle) ends it.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.session import (
    ApplicantSession,
    Back,
    CallStaff,
    Cancelled,
    CardSwapAnswered,
    CommitmentConfirmed,
    Confirmed,
    CountdownChanged,
    DeliveryChosen,
    Effect,
    ElderModeSet,
    Event,
    LanguageSet,
    MaterialsConfirmed,
    Next,
    PrintFailed,
    PrintFaultKind,
    Rated,
    ReadCard,
    RecordRating,
    RetryPrint,
    SaveApplication,
    SaveFailed,
    ServiceChosen,
    SessionError,
    ShowScreen,
    Speak,
    StaffCalled,
    StartIdleCountdown,
    StopIdleCountdown,
    StopReading,
    SubmitPrint,
    SystemClock,
    Tick,
    Touch,
    WipePersonalData,
    view_dict,
)
from kiosk.session.messages import instruction
from kiosk.ui import formview
from kiosk.ui.images import MemoryImages
from kiosk.ui.listmodel import RowsModel
from kiosk.ui.lookupbridge import LookupBridge
from kiosk.ui.runtime import KioskServices, PendingServices
from kiosk.ui.search import CatalogEntry, search
from kiosk.ui.strings import texts
from kiosk.ui.techbridge import TechBridge
from kiosk.ui.theme import theme_values
from kiosk.ui.voice import SilentVoice

TICK_INTERVAL_SECONDS = 1.0
WORKER_THREADS = 2
LOCAL_PAGES = ("home", "catalog", "intro", "lookup")
WORKER_EFFECTS = (SaveApplication, SubmitPrint, RecordRating, CallStaff, WipePersonalData)
PREVIEW_WIDTH_PX = 900
_log = logging.getLogger(__name__)


def qr_image(text: str, scale: int = 8) -> QImage:
    """A QR code of `text` as a QImage (segno, border 2)."""
    import segno  # imported on first use: not needed for the start screen

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return QImage.fromData(buffer.getvalue(), "PNG")


class KioskBridge(QObject):
    pageChanged = Signal()
    viewChanged = Signal()
    themeChanged = Signal()
    countdownChanged = Signal()
    introChanged = Signal()
    slipsChanged = Signal()
    pagesChanged = Signal()
    demoChanged = Signal()
    readyChanged = Signal()
    fieldFocusRequested = Signal(str)
    _posted = Signal(object)

    def __init__(
        self,
        session: ApplicantSession | None = None,
        services: KioskServices | None = None,
        voice: SilentVoice | None = None,
        orientation: str = "portrait",
        images: MemoryImages | None = None,
        demo: bool = False,
        tick_interval: float | None = TICK_INTERVAL_SECONDS,
        hall_name: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        pending = PendingServices()
        self.services: KioskServices = pending  # type: ignore[assignment]
        self.session = session or ApplicantSession(pending.directory, SystemClock())
        self.voice = voice or SilentVoice()
        self.images = images or MemoryImages()
        self._orientation = orientation
        self._demo = demo
        self._hall_name = hall_name
        self._ready = False
        self._entries: list[CatalogEntry] = []
        self._entries_by_id: dict[str, CatalogEntry] = {}
        self._local_page = "home"
        self._audience: str | None = None
        self._query = ""
        self._intro_id: str | None = None
        self._touched: set[str] = set()
        self._view: dict[str, Any] = view_dict(self.session.state)
        self._counting_down = False
        self._countdown = 0
        self._page_count = 0
        self._page_revision = 0
        self._slip_count = 0
        self._demo_message = ""
        self._preview_of: str | None = "-"
        self._generation = 0  # bumped on every wipe: late results of a wiped visit are dropped
        self._pool = ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="kiosk-ui-worker")
        self._pending = 0
        self.tech = TechBridge(self._submit_impersonal, self._at_start_screen, self)
        self.lookup_page = LookupBridge(self._submit_impersonal, lambda: self.services,
                                        lambda: self._view["language"], self._leave_lookup, self)
        self.catalog_model = RowsModel(
            ["title", "shortTitle", "department", "audience", "instant", "lifeEvent", "minutes", "bring"], self
        )
        self.field_model = RowsModel(formview.FIELD_ROLES, self)
        self.fix_model = RowsModel(["field", "label", "message"], self)
        self.slip_model = RowsModel(["source"], self)
        self._posted.connect(self._on_posted)
        self._timer = QTimer(self)
        if tick_interval:
            self._timer.setInterval(round(tick_interval * 1000))
            self._timer.timeout.connect(self.tick)
            self._timer.start()
        self._apply_view()
        if services is not None:
            self.attach(services)

    def attach(self, services: KioskServices, session: ApplicantSession | None = None,
               entries: list[CatalogEntry] | None = None, orientation: str | None = None,
               hall_name: str | None = None, demo: bool | None = None) -> None:
        """Put the real services (and a session over them) behind the screens. The start screen may
        have shown before; elder mode and language chosen meanwhile carry over to the new session."""
        if session is not None:
            old = self.session.state
            self.session = session
            if old.elder_mode != session.state.elder_mode:
                session.handle(ElderModeSet(old.elder_mode))
            if old.language != session.state.language:
                session.handle(LanguageSet(old.language))
        self.services = services
        if entries is None:
            entries = [CatalogEntry.from_spec(spec) for spec in services.catalog.values()]
        self._entries = entries
        self._entries_by_id = {entry.id: entry for entry in entries}
        self._orientation = orientation or self._orientation
        self._hall_name = hall_name if hall_name is not None else self._hall_name
        self._demo = self._demo if demo is None else demo
        self._ready = True
        services.set_slip_listener(self._on_slip)
        self.tech.attach(services)
        self._refresh_catalog()
        self._apply_view()
        self.themeChanged.emit()
        self.readyChanged.emit()

    # --- properties -----------------------------------------------------------------------------

    def _get_page(self) -> str:
        screen = self._view["screen"]
        return self._local_page if screen == "start" else screen

    def _get_view(self) -> dict[str, Any]:
        return self._view

    def _get_theme(self) -> dict[str, Any]:
        return theme_values(self._view["elder_mode"], self._orientation)

    def _get_texts(self) -> dict[str, str]:
        return texts(self._view["language"])

    def _get_intro(self) -> dict[str, Any]:
        entry = self._entries_by_id.get(self._intro_id or self._view.get("service_id") or "")
        if entry is None:
            return {}
        return {
            **entry.to_row(), "conditions": entry.conditions, "bringList": list(entry.bring),
            "materials": list(entry.materials), "commitment": entry.commitment,
        }

    page = Property(str, _get_page, notify=pageChanged)
    view = Property("QVariantMap", _get_view, notify=viewChanged)
    theme = Property("QVariantMap", _get_theme, notify=themeChanged)
    t = Property("QVariantMap", _get_texts, notify=themeChanged)
    intro = Property("QVariantMap", _get_intro, notify=introChanged)
    countingDown = Property(bool, lambda self: self._counting_down, notify=countdownChanged)
    countdown = Property(int, lambda self: self._countdown, notify=countdownChanged)
    pageCount = Property(int, lambda self: self._page_count, notify=pagesChanged)
    pageRevision = Property(int, lambda self: self._page_revision, notify=pagesChanged)
    slipCount = Property(int, lambda self: self._slip_count, notify=slipsChanged)
    lookupPage = Property(QObject, lambda self: self.lookup_page, constant=True)
    demoMessage = Property(str, lambda self: self._demo_message, notify=demoChanged)
    demo = Property(bool, lambda self: self._demo, notify=readyChanged)
    ready = Property(bool, lambda self: self._ready, notify=readyChanged)
    hallName = Property(str, lambda self: self._hall_name, notify=readyChanged)
    catalogModel = Property(QObject, lambda self: self.catalog_model, constant=True)
    fieldModel = Property(QObject, lambda self: self.field_model, constant=True)
    fixModel = Property(QObject, lambda self: self.fix_model, constant=True)
    slipModel = Property(QObject, lambda self: self.slip_model, constant=True)

    @Property("QVariantList", notify=readyChanged)
    def demoCards(self) -> list[dict[str, str]]:
        return [{"key": key, "name": card.display_name} for key, card in self.services.demo_cards().items()]

    @Property(str, notify=viewChanged)
    def instructionText(self) -> str:
        return instruction(self._view["screen"], self._view["language"])

    @Property(str, notify=viewChanged)
    def qrSource(self) -> str:
        return f"image://kiosk/qr/{self._view['number']}" if self._view.get("number") else ""

    # --- the start screen's own pages -------------------------------------------------------------

    @Slot(str)
    def chooseAudience(self, audience: str) -> None:
        self._audience = audience or None
        self._query = ""
        self._refresh_catalog()
        self._set_local_page("catalog")

    @Slot(str)
    def searchCatalog(self, query: str) -> None:
        self._query = query
        self._refresh_catalog()

    @Slot(str)
    def openIntro(self, service_id: str) -> None:
        if service_id not in self._entries_by_id:
            _log.error("ui: no service %r in the catalog", service_id)
            return
        self._intro_id = service_id
        self.introChanged.emit()
        self._set_local_page("intro")

    @Slot()
    def openLookup(self) -> None:
        self._set_local_page("lookup")
        self.lookup_page.begin()

    @Slot()
    def goHome(self) -> None:
        if self._view["screen"] == "start":
            self._set_local_page("home")
        else:
            self.cancel()

    @Slot()
    def localBack(self) -> None:
        """Back within the start screen's pages: intro -> catalog -> home."""
        self._set_local_page({"intro": "catalog", "catalog": "home", "lookup": "home"}.get(self._local_page, "home"))

    @Slot()
    def startService(self) -> None:
        if self._intro_id:
            self._send(ServiceChosen(self._intro_id))

    def _leave_lookup(self) -> None:
        """The lookup page's idle time is over: back to the start screen's home page."""
        if self._get_page() == "lookup":
            self._set_local_page("home")

    def _set_local_page(self, page: str) -> None:
        if page != self._local_page:
            if self._local_page == "lookup":
                self.lookup_page.end()
            self._local_page = page
            self.pageChanged.emit()
            if self._view["elder_mode"] and self._view["screen"] == "start":
                self.voice.say(instruction("start", self._view["language"]), self._view["language"])

    def _refresh_catalog(self) -> None:
        audience = None if self._query.strip() else self._audience
        self.catalog_model.set_rows([entry.to_row() for entry in search(self._entries, self._query, audience)])

    # --- session intents --------------------------------------------------------------------------

    @Slot(str, "QVariant")
    def setAnswer(self, key: str, value: Any) -> None:
        self._touched.add(key)
        self._send(formview_event(key, value))

    @Slot(str)
    def touchField(self, key: str) -> None:
        """The applicant left a field: from now on its 请填写 message may show."""
        if key not in self._touched:
            self._touched.add(key)
            self._apply_view()

    @Slot()
    def next(self) -> None:
        self._send(Next())

    @Slot()
    def back(self) -> None:
        self._send(Back())

    @Slot()
    def cancel(self) -> None:
        self._send(Cancelled())

    @Slot()
    def touch(self) -> None:
        self.tech.note_touch()
        self.lookup_page.touch()
        self._send(Touch())

    @Slot()
    def callStaff(self) -> None:
        self._send(StaffCalled())

    @Slot(bool)
    def setElderMode(self, on: bool) -> None:
        self._send(ElderModeSet(on))

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        self._send(LanguageSet(language))

    @Slot("QVariantList")
    def confirmMaterials(self, promised: list[str]) -> None:
        self._send(MaterialsConfirmed(tuple(str(name) for name in promised)))

    @Slot()
    def agree(self) -> None:
        self._send(CommitmentConfirmed("agree"))

    @Slot(str)
    def sign(self, data_url: str) -> None:
        """A finger signature from the QML Canvas (`toDataURL("image/png")`)."""
        _, _, encoded = data_url.partition("base64,")
        try:
            png = base64.b64decode(encoded, validate=True)
        except ValueError:
            png = b""
        if png:
            self._send(CommitmentConfirmed("signature", png))
        else:
            self._send(CommitmentConfirmed("agree"))

    @Slot(str, str)
    def chooseDelivery(self, method: str, address: str) -> None:
        self._send(DeliveryChosen(method, address))

    @Slot()
    def confirm(self) -> None:
        self._send(Confirmed())

    @Slot()
    def retryPrint(self) -> None:
        self._send(RetryPrint())

    @Slot(int, str)
    def rate(self, stars: int, reason: str) -> None:
        self._send(Rated(stars, reason))

    @Slot(bool)
    def answerSwap(self, replace: bool) -> None:
        self._send(CardSwapAnswered(replace))

    @Slot()
    def tick(self) -> None:
        self.tech.check_idle()
        self.lookup_page.tick()
        self._send(Tick())

    # --- demo drawer -----------------------------------------------------------------------------

    @Slot(str, str)
    def demoAction(self, action: str, argument: str) -> None:
        def work() -> str:
            try:
                return self.services.demo_action(action, argument)
            except Exception as exc:  # a demo control must never take the kiosk down
                _log.warning("demo action %s failed: %s", action, exc)
                return f"{action}: {exc}"

        self._submit(work, self._set_demo_message, personal=False)

    def _set_demo_message(self, message: str) -> None:
        self._demo_message = message
        self.demoChanged.emit()

    def _on_slip(self, png: bytes) -> None:  # any thread
        self._posted.emit(("slip", png))

    # --- the technician panel's hooks ----------------------------------------------------------------

    def _at_start_screen(self) -> bool:
        """The technician's gesture works only here: the start screen's home page, no countdown."""
        return self._get_page() == "home" and not self._counting_down

    def _submit_impersonal(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._submit(work, done, personal=False)

    # --- running the session -----------------------------------------------------------------------

    def send(self, event: Event) -> None:
        """Send one event to the session (GUI thread); used by the slots and by tests."""
        self._send(event)

    def _send(self, event: Event) -> None:
        try:
            effects = self.session.handle(event)
        except SessionError as exc:  # a screen sent something impossible: log it, keep the kiosk up
            _log.error("ui: session refused %s: %s", type(event).__name__, exc)
            return
        self._run(effects)

    def _run(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, ShowScreen):
                self._apply_view()
            elif isinstance(effect, Speak):
                self.voice.say(effect.text, effect.language)
            elif isinstance(effect, ReadCard):
                self.services.start_reading(self._on_device_event)
            elif isinstance(effect, StopReading):
                self.services.stop_reading()
            elif isinstance(effect, StartIdleCountdown):
                self._set_countdown(True, effect.seconds)
            elif isinstance(effect, CountdownChanged):
                self._set_countdown(True, effect.seconds_left)
            elif isinstance(effect, StopIdleCountdown):
                self._set_countdown(False, 0)
            elif isinstance(effect, WipePersonalData):
                self._wipe_local()
                self._submit(lambda effect=effect: self.services.execute(effect), self._deliver_all)
            elif isinstance(effect, WORKER_EFFECTS):
                self._submit(lambda effect=effect: self._execute(effect), self._deliver_all)

    def _execute(self, effect: Effect) -> list[Event]:
        """Worker thread: run one effect; a failure becomes the event the session expects."""
        try:
            return list(self.services.execute(effect))
        except Exception as exc:
            _log.exception("ui: %s failed", type(effect).__name__)
            if isinstance(effect, SaveApplication):
                return [SaveFailed(str(exc))]
            if isinstance(effect, SubmitPrint):
                return [PrintFailed(PrintFaultKind.ERROR, str(exc))]
            return []

    def _submit(self, work: Callable[[], Any], done: Callable[[Any], None], personal: bool = True) -> None:
        """Run `work` on the worker pool, then `done(result)` on the GUI thread. A `personal` result (the
        applicant's visit) is dropped when the visit was wiped meanwhile; a None result is dropped."""
        generation = self._generation
        self._pending += 1

        def run() -> None:
            try:
                result = work()
            except Exception:
                _log.exception("ui: background work failed")
                result = None
            self._posted.emit(("done", generation, personal, done, result))

        self._pool.submit(run)

    def _on_device_event(self, event: Event) -> None:  # reader thread
        self._posted.emit(("event", event))

    @Slot(object)
    def _on_posted(self, item: tuple) -> None:
        kind = item[0]
        if kind == "event":
            self._send(item[1])
        elif kind == "slip":
            self._add_slip(item[1])
        elif kind == "done":
            _, generation, personal, done, result = item
            self._pending -= 1
            if result is not None and (generation == self._generation or not personal):
                done(result)

    def _deliver_all(self, events: list[Event]) -> None:
        for event in events:
            self._send(event)

    @property
    def busy(self) -> bool:
        """True while background work (save, print, demo actions) has not reported back."""
        return self._pending > 0

    # --- rendering ---------------------------------------------------------------------------------

    def _apply_view(self) -> None:
        old_page = self._get_page() if hasattr(self, "_view") else ""
        old_elder, old_language = self._view["elder_mode"], self._view["language"]
        state = self.session.state
        view = view_dict(state)
        if view["screen"] == "start" and self._view["screen"] != "start":
            self._local_page = "home"
        if view["screen"] == "form" and self._view["screen"] != "form" and not view["findings"]:
            self._touched.clear()
        view["fix_round"] = state.fix_round
        spec = self.services.catalog.get(view["service_id"]) if view["service_id"] else None
        view["outcome_line"] = _outcome_line(view, spec, self.session.today())
        view["service_title"] = spec.title if spec is not None else ""
        view["materials_info"] = materials_info(spec, view) if spec is not None else []
        self._view = view
        if spec is not None and view["fields"]:
            self.field_model.set_rows(formview.field_rows(spec, view, self._touched, view["language"]))
            self.fix_model.set_rows(formview.fix_rows(spec, view) if view["show_fixes"] else [])
        else:
            self.field_model.set_rows([])
            self.fix_model.set_rows([])
        if view.get("number"):
            self.images.put(f"qr/{view['number']}", qr_image(view["number"]))
        if view["screen"] == "materials" and (old_page != "materials" or view["commitment"] != self._preview_of):
            self._preview_application(state)
        self.viewChanged.emit()
        self.introChanged.emit()
        if (view["elder_mode"], view["language"]) != (old_elder, old_language):
            self.themeChanged.emit()
        if self._get_page() != old_page:
            self.pageChanged.emit()

    def _preview_application(self, state: Any) -> None:
        """Render the 申请表 as it stands into page images (worker), shown on the materials screen."""
        self._preview_of = state.commitment.method if state.commitment else None

        def work() -> list[QImage]:
            from kiosk.ui.pdfpages import render_pages

            pdf = self.services.preview_application(state)
            return render_pages(pdf, PREVIEW_WIDTH_PX) if pdf else []

        self._submit(work, self._set_pages)

    def _set_pages(self, pages: list[QImage]) -> None:
        for index, image in enumerate(pages):
            self.images.put(f"page/{index}", image)
        self._page_count = len(pages)
        self._page_revision += 1
        self.pagesChanged.emit()

    def _set_countdown(self, on: bool, seconds: int) -> None:
        self._counting_down, self._countdown = on, seconds
        self.countdownChanged.emit()

    def _wipe_local(self) -> None:
        self._generation += 1
        self._touched.clear()
        self._intro_id = None
        self.images.clear()
        self.slip_model.set_rows([])
        self._slip_count = 0
        self._page_count = 0
        self._preview_of = "-"
        self.slipsChanged.emit()
        self.pagesChanged.emit()

    def _add_slip(self, png: bytes) -> None:
        self._slip_count += 1
        name = f"slip/{self._generation}-{self._slip_count}"
        self.images.put(name, QImage.fromData(png, "PNG"))
        self.slip_model.set_rows([*self.slip_model.rows(), {"key": name, "source": f"image://kiosk/{name}"}])
        self.slipsChanged.emit()

    # --- shutting down ---------------------------------------------------------------------------

    def close(self) -> None:
        self._timer.stop()
        self.services.set_slip_listener(None)
        self.services.stop_reading()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.voice.close()


def formview_event(key: str, value: Any) -> Event:
    from kiosk.session import AnswerChanged

    return AnswerChanged(key, "" if value is None else value)


MATERIAL_STATUS = {
    "camera": "请用材料拍摄仪拍照", "generated": "自动生成，无需准备", "promise": "可承诺后补",
    "camera_or_promise": "可当场拍照，或承诺后补", "bring": "请带原件到窗口核对",
}


def materials_info(spec: Any, view: dict[str, Any]) -> list[dict[str, Any]]:
    """The materials screen's rows: each needed material with what the applicant does about it, and a
    first row naming what shared data already covers."""
    rows = []
    shared = [spec.field(f["key"]).label for f in view["fields"] if f["source"] == "registry"]
    if shared:
        rows.append({"name": "已由共享数据提供", "status": "、".join(shared), "promisable": False})
    for material in spec.materials:
        if material.name in view["materials"]:
            status = MATERIAL_STATUS.get(material.how, "") + (f"（{material.note}）" if material.note else "")
            rows.append({"name": material.name, "status": status,
                         "promisable": material.how in ("promise", "camera_or_promise")})
    return rows


def _outcome_line(view: dict[str, Any], spec: Any, today: dt.date) -> str:
    """秒批, or 受理 with the date the item's staff review ends (the same date the 受理回执 prints)."""
    words = texts(view["language"])
    outcome = view.get("outcome")
    if outcome == "approved":
        return words["approved"]
    if outcome == "accepted" and spec is not None:
        due = today + dt.timedelta(days=spec.processing_days)
        return words["accepted"] + "，" + words["expected"].format(date=due.isoformat())
    return words["accepted"] if outcome == "accepted" else ""

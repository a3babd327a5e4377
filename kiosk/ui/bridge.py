"""The root QObject QML talks to (`bridge`): renders the session's view and composes the view models.

It owns no device and decides no navigation: the session owns the screen, the start screen's pages, the
back stack and the footer's buttons (`view.page`, `view.buttons`). `view` is `views.screen.screen_view(state)`;
`t` is the translation table. The rest is one view model per concern (kiosk/ui/views/__init__.py), exposed
to QML as `bridge.actions`, `startPages`, `formRows`, `documents`, `demoDrawer`, `lookupPage` (扫码查询·补打,
begun/ended as the session opens/leaves it), `tech`. A `Tick` goes every second (QTimer); `touch()` counts as
activity. kiosk.ui.startbridge stands in for it on the first frame."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.services.catalog_search import CatalogEntry
from kiosk.services.runtime import KioskServices, PendingServices
from kiosk.session import ApplicantSession, ElderModeSet, Event, LanguageSet, PageOpened, SystemClock, Tick, Touch
from kiosk.ui.images import MemoryImages
from kiosk.ui.lookupbridge import LookupBridge
from kiosk.ui.strings import texts
from kiosk.ui.techbridge import TechBridge
from kiosk.ui.theme import theme_values
from kiosk.ui.views.demo import DemoDrawer
from kiosk.ui.views.documents import Documents
from kiosk.ui.views.form import FormRows
from kiosk.ui.views.gestures import Gestures
from kiosk.ui.views.panel_apply import apply_config, offer_catalog
from kiosk.ui.views.runner import SessionRunner
from kiosk.ui.views.screen import kiosk_facts, screen_view
from kiosk.ui.views.start import StartPages
from kiosk.ui.views.worker import Worker
from kiosk.ui.voice import SilentVoice

TICK_INTERVAL_SECONDS = 1.0


class KioskBridge(QObject):
    pageChanged = Signal()
    viewChanged = Signal()
    themeChanged = Signal()
    countdownChanged = Signal()
    readyChanged = Signal()
    visitEnded = Signal()   # the data was wiped: the keyboard forgets the last applicant's choices

    def __init__(self, session: ApplicantSession | None = None, services: KioskServices | None = None,
                 voice: SilentVoice | None = None, orientation: str = "portrait",
                 images: MemoryImages | None = None, demo: bool = False,
                 tick_interval: float | None = TICK_INTERVAL_SECONDS, hall_name: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        pending = PendingServices()
        self.services: KioskServices = pending  # type: ignore[assignment]
        self.voice = voice or SilentVoice()
        self.images = images or MemoryImages()
        self._orientation, self._demo, self._hall_name, self._ready = orientation, demo, hall_name, False
        self.worker = Worker(self)
        session = session or ApplicantSession(pending.directory, SystemClock())
        self.runner = SessionRunner(session, lambda: self.services, self.voice, self.worker,
                                    self._apply_view, self._wipe_local, self.countdownChanged.emit)
        self._view: dict[str, Any] = screen_view(session.state, None, session.today())
        self.act = Gestures(self.send, lambda: self.session.state, self)
        self.start = StartPages(self.send, lambda: self._view.get("service_id"), self, lambda: self._view["language"],
                                lambda done: self.worker.submit_impersonal(self.services.popular_services, done))
        self.form = FormRows(self.send, self._apply_view, self)
        self.docs = Documents(self.images, self.worker, lambda: self.services, self)
        self.drawer = DemoDrawer(self.worker, lambda: self.services, self)
        self.tech = TechBridge(self.worker.submit_impersonal, self._at_start_screen, self)
        self.tech.voice, self.tech.config_applied = self.voice, lambda config: apply_config(self, config)
        self.lookup_page = LookupBridge(self.worker.submit_impersonal, lambda: self.services,
                                        lambda: self._view["language"], self._leave_lookup, self)
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
            self.runner.session = session
            if old.elder_mode != session.state.elder_mode:
                session.handle(ElderModeSet(old.elder_mode))
            if old.language != session.state.language:
                session.handle(LanguageSet(old.language))
        self.services = services
        entries = entries if entries is not None else [CatalogEntry.from_spec(s) for s in services.catalog.values()]
        self._orientation = orientation or self._orientation
        self._hall_name = hall_name if hall_name is not None else self._hall_name
        self._demo = self._demo if demo is None else demo
        self._ready = True
        services.set_slip_listener(lambda png: self.worker.post(self.docs.add_slip, png))
        self.tech.attach(services)
        offer_catalog(self, entries, getattr(getattr(services, "kiosk", None), "config", None))
        self.drawer.refresh()
        self._apply_view()
        self.themeChanged.emit()
        self.readyChanged.emit()

    starting = Property(bool, lambda self: False, constant=True)  # True only on kiosk.ui.startbridge's stand-in
    page = Property(str, lambda self: self._view["page"], notify=pageChanged)
    view = Property("QVariantMap", lambda self: self._view, notify=viewChanged)
    theme = Property("QVariantMap", lambda self: theme_values(self._view["elder_mode"], self._orientation),
                     notify=themeChanged)
    t = Property("QVariantMap", lambda self: texts(self._view["language"]), notify=themeChanged)
    countingDown = Property(bool, lambda self: self.session.state.idle.counting_down, notify=countdownChanged)
    countdown = Property(int, lambda self: self.session.state.idle.shown_seconds or 0, notify=countdownChanged)
    demo = Property(bool, lambda self: self._demo, notify=readyChanged)
    ready = Property(bool, lambda self: self._ready, notify=readyChanged)
    hallName = Property(str, lambda self: self._hall_name, notify=readyChanged)
    actions = Property(QObject, lambda self: self.act, constant=True)
    startPages = Property(QObject, lambda self: self.start, constant=True)
    formRows = Property(QObject, lambda self: self.form, constant=True)
    documents = Property(QObject, lambda self: self.docs, constant=True)
    demoDrawer = Property(QObject, lambda self: self.drawer, constant=True)
    lookupPage = Property(QObject, lambda self: self.lookup_page, constant=True)

    @Slot()
    def touch(self) -> None:
        self.tech.note_touch()
        self.lookup_page.touch()
        self.send(Touch())

    @Slot()
    def tick(self) -> None:
        self.tech.check_idle()
        self.lookup_page.tick()
        self.send(Tick())

    def send(self, event: Event) -> None:
        """Send one event to the session (GUI thread); used by the view models and by tests."""
        self.runner.send(event)

    @property
    def session(self) -> ApplicantSession:
        return self.runner.session

    @property
    def busy(self) -> bool:
        """True while background work (save, print, demo actions) has not reported back."""
        return self.worker.busy

    def _at_start_screen(self) -> bool:
        """The technician's gesture works only here: the start screen's home page, no countdown."""
        return self._view["page"] == "home" and not self.session.state.idle.counting_down

    def _leave_lookup(self) -> None:
        """The lookup page's idle time is over: back to the start screen's home page."""
        if self._view["page"] == "lookup":
            self.send(PageOpened("home"))

    def _apply_view(self) -> None:
        old = self._view
        state = self.session.state
        spec = self.services.catalog.get(state.service_id) if state.service_id else None
        view = screen_view(state, spec, self.session.today(), **kiosk_facts(self.services))
        self._view = view
        self.form.render(spec, view, entering=view["screen"] == "form" and old["screen"] != "form")
        self.docs.render(state, view, entering_materials=old["page"] != "materials")
        if old["page"] == "lookup" != view["page"]:
            self.lookup_page.end()
        elif view["page"] == "lookup" != old["page"]:
            self.lookup_page.begin()
        self.viewChanged.emit()
        self.start.introChanged.emit()
        if (view["elder_mode"], view["language"]) != (old["elder_mode"], old["language"]):
            self.start.relabel()
            self.themeChanged.emit()
        if view["page"] != old["page"]:
            self.pageChanged.emit()

    def _wipe_local(self) -> None:
        for part in (self.worker, self.form, self.start, self.docs):
            part.wipe()
        self.visitEnded.emit()

    def close(self) -> None:
        self._timer.stop()
        self.services.set_slip_listener(None)
        self.services.stop_reading()
        self.worker.close()
        self.voice.close()

    # --- for tests, the player and the app: the view models' parts under their old names -------------

    setElderMode = property(lambda self: self.act.setElderMode)
    setLanguage = property(lambda self: self.act.setLanguage)
    touchField = property(lambda self: self.form.touchField)
    field_model = property(lambda self: self.form.field_model)
    catalog_model = property(lambda self: self.start.catalog_model)
    slip_model = property(lambda self: self.docs.slip_model)
    slipCount = property(lambda self: self.docs.slipCount)

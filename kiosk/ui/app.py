"""The touchscreen application: builds the Qt app, the QML window and the bridge, and runs them.

    ui = build_ui(services, orientation="portrait")     # a KioskUi: engine, window, bridge (ui.tech)
    ui.window.grabWindow().save("start.png")
    run_ui(config)                                      # the kiosk: fullscreen, until quit

`create_qt_app()` sets what must be set before the QGuiApplication exists: the Qt Virtual Keyboard
input method (Pinyin docked in the window as an `InputPanel`), the Basic controls style, and — when
there is no display — nothing else: a caller that wants offscreen sets QT_QPA_PLATFORM=offscreen.
`has_display()` tells whether a window can be shown at all.

The kiosk's own start (`run_ui`, `kiosk demo`: `launch`) is quicker than `build_ui`: `build_start_ui`
shows the start screen over a stand-in bridge (kiosk.ui.startbridge) with nothing but Qt and the font
loaded; after its first frame a loader thread imports WINDOW_MODULES, `finish_ui` puts the real bridge
in place, then the services load and are attached. This module imports no more than that first frame
needs (tests/unit/ui/test_startbridge.py); the rest is imported inside the functions that use it.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow
from PySide6.QtQuickControls2 import QQuickStyle

import kiosk.ui.pyside_hook  # noqa: F401  (first: every later import skips shiboken's source reading)

# isort: split
from kiosk.ui.fonts import CJK_FAMILY, app_font, body_font
from kiosk.ui.housekeeping import bound_mmap_threshold
from kiosk.ui.qtcompat import immortalize_singletons
from kiosk.ui.startbridge import StartBridge

if TYPE_CHECKING:  # imported where used: `launch` shows the start screen before they are loaded
    from kiosk.services.runtime import KioskServices
    from kiosk.session import ApplicantSession, Clock, IdleSettings
    from kiosk.ui.bridge import KioskBridge
    from kiosk.ui.housekeeping import VisitHousekeeping
    from kiosk.ui.techbridge import TechBridge
    from kiosk.ui.views.cameras import CameraViews
    from kiosk.ui.voice import SilentVoice

#: What the window needs beyond the start screen's first frame: imported by `launch` on its loader
#: thread after that frame (by `build_ui` at once). kiosk.session's dataclasses alone cost about as
#: much as a bare Qt window's whole start.
WINDOW_MODULES = ("kiosk.session", "kiosk.ui.bridge", "kiosk.ui.images", "kiosk.ui.techstats",
                  "kiosk.ui.techdoctor", "kiosk.ui.views.cameras", "kiosk.ui.voice")

QML_DIR = Path(__file__).resolve().parent / "qml"
MAIN_QML = QML_DIR / "Main.qml"
DEFAULT_HALL_NAME = "铜梁区政务服务中心"
LOAD_POLL_MS = 20
#: The services start loading on the start screen's first frame, or this long after start at the latest.
START_LOADING_MS = 500
#: How long the loader thread waits for the GUI thread to put the real bridge in place, at most.
BRIDGE_WAIT_S = 5.0
_log = logging.getLogger(__name__)


class UiError(RuntimeError):
    """The QML window could not be built (a QML error, no display)."""


def has_display() -> bool:
    """True when a window can be shown: an X11 or Wayland display, or an explicit Qt platform."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or platform)


def create_qt_app(argv: list[str] | None = None, *, rare_fonts: bool = True) -> QGuiApplication:
    """The one QGuiApplication (created if needed) with the virtual keyboard and the CJK font chain
    (`rare_fonts` False: the shipped font alone, for the start screen's first frame; `finish_ui` adds
    the rest)."""
    immortalize_singletons()  # PySide6 6.12 refcount bug, see kiosk/ui/qtcompat.py
    bound_mmap_threshold()  # large transient buffers go back to the system whole (kiosk.ui.housekeeping)
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "0")
    app = QGuiApplication.instance()
    if app is None:
        QQuickStyle.setStyle("Basic")
        app = QGuiApplication(argv or [sys.argv[0] if sys.argv else "kiosk"])
    if rare_fonts or QGuiApplication.font().families()[:1] != [CJK_FAMILY]:
        app.setFont(app_font(26) if rare_fonts else body_font(26))  # QML sets sizes only, never a family
    return app  # type: ignore[return-value]


class _TouchFilter(QObject):
    """Any press on the window counts as activity (extends the idle time, cancels the countdown)."""

    def __init__(self, bridge: KioskBridge) -> None:
        super().__init__(bridge)
        self._bridge = bridge

    def eventFilter(self, watched: QObject, event: QtCore.QEvent) -> bool:
        if event.type() in (QtCore.QEvent.Type.MouseButtonPress, QtCore.QEvent.Type.TouchBegin):
            self._bridge.touch()
        return False


@dataclass
class KioskUi:
    """A built window: the QML engine, the top-level window and the bridge behind it (with the
    technician panel's own object, `tech`). `stand_in`: the start screen's first-frame bridge it
    replaced (`launch`), kept alive as long as the engine."""

    engine: QQmlApplicationEngine
    window: QQuickWindow
    bridge: KioskBridge
    camera: CameraViews | None = None
    housekeeping: VisitHousekeeping | None = None
    stand_in: StartBridge | None = None

    @property
    def tech(self) -> TechBridge:
        return self.bridge.tech

    def close(self) -> None:
        """Close the window and free QML before the bridge it binds to goes away."""
        _close_window(self.engine, self.window)
        if self.camera is not None:
            self.camera.close()
        self.bridge.close()
        # A timer still registered when its owner is freed on another thread (Python's garbage collector
        # runs wherever an allocation triggers it: the reader's or the printer's thread) cannot be
        # unregistered there, and fires later into freed memory. Stop every timer now, and free the
        # Python cycles that hold Qt objects here, on the GUI thread.
        for timer in self.bridge.findChildren(QTimer):
            timer.stop()
        gc.collect()


def _close_window(engine: QQmlApplicationEngine, window: QQuickWindow) -> None:
    window.close()
    engine.deleteLater()
    QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _load_main(engine: QQmlApplicationEngine, on_failure: Callable[[], None]) -> QQuickWindow:
    """Load Main.qml into `engine` (its context already set); the window, or UiError (after `on_failure`)."""
    errors: list[str] = []
    engine.warnings.connect(lambda warnings: errors.extend(w.toString() for w in warnings))
    engine.load(QUrl.fromLocalFile(str(MAIN_QML)))
    roots = engine.rootObjects()
    if not roots:
        on_failure()
        raise UiError("the QML window did not load: " + "; ".join(errors[:5]))
    window = roots[0]
    if not isinstance(window, QQuickWindow):
        window = window.findChild(QQuickWindow) or window  # pragma: no cover - PySide typing quirk
    for message in errors:
        _log.warning("qml: %s", message)
    return window


def _show(window: QQuickWindow, fullscreen: bool, hide_cursor: bool) -> None:
    # QtCore.Qt (the namespace and all its enums) costs ~25 ms to load: only the hall's fullscreen kiosk
    # needs it before the first frame; nothing on `kiosk demo`'s way to its first frame touches it.
    if hide_cursor:
        from PySide6.QtGui import QCursor

        window.setCursor(QCursor(QtCore.Qt.CursorShape.BlankCursor))
    if fullscreen:
        window.setFlag(QtCore.Qt.WindowType.FramelessWindowHint, True)
        window.showFullScreen()


def _put_in_context(engine: QQmlApplicationEngine, bridge: KioskBridge) -> CameraViews:
    """Make `bridge` and the objects beside it (tech, camera, the panel's statistics, audit and doctor
    pages) what QML binds to; the camera views are returned (closed with the window)."""
    from kiosk.ui.techdoctor import TechDoctor
    from kiosk.ui.techstats import TechAudit, TechStats
    from kiosk.ui.views.cameras import CameraViews

    context = engine.rootContext()
    camera = CameraViews(bridge)
    services_now = lambda: bridge.services  # noqa: E731
    context.setContextProperty("techStats", TechStats(bridge.worker.submit_impersonal, services_now, bridge))
    context.setContextProperty("techAudit", TechAudit(bridge.worker.submit_impersonal, services_now, bridge))
    context.setContextProperty("techDoctor", TechDoctor(bridge.worker.submit_impersonal, services_now,
                                                        lambda: bridge.tech.desk, bridge))
    context.setContextProperty("camera", camera)
    context.setContextProperty("tech", bridge.tech)
    context.setContextProperty("bridge", bridge)
    return camera


def _watch(engine: QQmlApplicationEngine, window: QQuickWindow, bridge: KioskBridge) -> VisitHousekeeping:
    from kiosk.ui.housekeeping import VisitHousekeeping

    window.installEventFilter(_TouchFilter(bridge))
    housekeeping = VisitHousekeeping(engine, bridge)  # between visits: JS garbage, free C heap pages
    bridge.visitEnded.connect(housekeeping.visit_ended)
    return housekeeping


def build_ui(
    services: KioskServices | None = None,
    *,
    session: ApplicantSession | None = None,
    directory: Any = None,
    clock: Clock | None = None,
    idle: IdleSettings | None = None,
    orientation: str = "portrait",
    elder_mode: bool = False,
    voice: SilentVoice | None = None,
    demo: bool = False,
    hall_name: str = DEFAULT_HALL_NAME,
    fullscreen: bool = False,
    hide_cursor: bool = False,
    tick_interval: float | None = 1.0,
) -> KioskUi:
    """Build the window over `services` (None: the start screen shows while they load; hand them over
    with `bridge.attach`). The session is built from `directory` (default `services.directory`)
    unless given."""
    from kiosk.session import ApplicantSession, SystemClock
    from kiosk.ui.bridge import KioskBridge
    from kiosk.ui.images import PROVIDER_NAME, MemoryImages
    from kiosk.ui.voice import SilentVoice

    create_qt_app()
    if session is None and services is not None:
        session = ApplicantSession(directory or services.directory, clock or SystemClock(), idle)  # type: ignore[attr-defined]
    images = MemoryImages()
    bridge = KioskBridge(session, None, voice or SilentVoice(), orientation=orientation, images=images,
                         demo=demo, tick_interval=tick_interval, hall_name=hall_name)
    if elder_mode:
        bridge.setElderMode(True)
    engine = QQmlApplicationEngine()
    engine.addImageProvider(PROVIDER_NAME, images)
    camera = _put_in_context(engine, bridge)
    engine.rootContext().setContextProperty("fontFamily", QGuiApplication.font().family())
    window = _load_main(engine, bridge.close)
    housekeeping = _watch(engine, window, bridge)
    _show(window, fullscreen, hide_cursor)
    if services is not None:
        bridge.attach(services, session)
    return KioskUi(engine, window, bridge, camera, housekeeping)


@dataclass
class StartUi:
    """The start screen shown over its stand-in bridge (kiosk.ui.startbridge), before the real one."""

    engine: QQmlApplicationEngine
    window: QQuickWindow
    stand_in: StartBridge
    orientation: str
    demo: bool

    @property
    def bridge(self) -> StartBridge:
        return self.stand_in

    def close(self) -> None:
        _close_window(self.engine, self.window)


def build_start_ui(*, orientation: str = "portrait", demo: bool = False, fullscreen: bool = False,
                   hide_cursor: bool = False) -> StartUi:
    """The start screen over the stand-in bridge: Qt, the shipped font and the QML window, nothing more
    (`finish_ui` then puts the real bridge behind it, and the rare-character fonts)."""
    create_qt_app(rare_fonts=False)
    engine = QQmlApplicationEngine()
    stand_in = StartBridge(orientation, demo)
    context = engine.rootContext()
    context.setContextProperty("bridge", stand_in)
    context.setContextProperty("tech", stand_in.tech)
    context.setContextProperty("fontFamily", QGuiApplication.font().family())
    window = _load_main(engine, lambda: None)
    _show(window, fullscreen, hide_cursor)
    return StartUi(engine, window, stand_in, orientation, demo)


def finish_ui(start: StartUi, *, voice: SilentVoice | None = None, tick_interval: float | None = 1.0) -> KioskUi:
    """Put the real bridge (over pending services: `bridge.attach` hands them over) behind the start
    screen shown by `build_start_ui`; taps made meanwhile are replayed; then the keyboard and the demo
    drawer load (Main.qml's `started`). GUI thread; cheap once WINDOW_MODULES are imported."""
    from kiosk.ui.bridge import KioskBridge
    from kiosk.ui.images import PROVIDER_NAME, MemoryImages
    from kiosk.ui.voice import SilentVoice

    QGuiApplication.setFont(app_font(26))  # the whole chain now (a name on a card may need HanaMin)
    images = MemoryImages()
    bridge = KioskBridge(None, None, voice or SilentVoice(), orientation=start.orientation, images=images,
                         demo=start.demo, tick_interval=tick_interval, hall_name="")
    start.engine.addImageProvider(PROVIDER_NAME, images)
    camera = _put_in_context(start.engine, bridge)
    housekeeping = _watch(start.engine, start.window, bridge)
    start.stand_in.replay(bridge)
    start.window.setProperty("started", True)
    return KioskUi(start.engine, start.window, bridge, camera, housekeeping, start.stand_in)


#: The window's kind of files of forms.code_caches (the loader thread's imports and services).
WINDOW_CODE_KIND = "window"


def import_window_modules() -> None:
    """Import what `finish_ui` and the pages beyond the start screen need (any thread)."""
    for name in WINDOW_MODULES:
        importlib.import_module(name)


@dataclass
class Loaded:
    """What `launch`'s loader returns (built on a worker thread)."""

    services: Any
    session: ApplicantSession
    entries: list[Any]
    orientation: str
    hall_name: str
    demo: bool
    elder_mode: bool = False
    language: str = "zh"


def load_services(config_source: Callable[[], Any], data_dir: Path | None = None,
                  config_path: Path | None = None) -> Loaded:
    """Worker thread: read the configuration, build the composition root and the catalog entries
    (`config_path`: the file it came from, where the technician panel saves)."""
    from kiosk.app import idle_settings
    from kiosk.services.app_services import AppServices
    from kiosk.services.catalog_search import catalog_entries
    from kiosk.session import ApplicantSession

    config = config_source()
    services = AppServices(config, data_dir, sync=True,  # the hall uploader runs with the window
                           config_path=config_path)
    session = ApplicantSession(services.directory, services.kiosk.clock, idle_settings(config))
    entries = catalog_entries(services.catalog)  # compiled cache: no pypinyin on a warm start
    display = config.display
    return Loaded(services, session, entries, display.orientation, config.hall.name, config.demo,
                  display.elder_mode_default, config.language)


class _Relay(QObject):
    """Wakes the GUI thread when the loader thread has finished a step: `step` emitted on that thread
    reaches `handler` on the GUI thread, where this object lives (a queued connection; no polling)."""

    step = Signal()

    def __init__(self, handler: Callable[[], None]) -> None:
        super().__init__()
        self._handler = handler
        self.step.connect(self._on_step)

    @Slot()
    def _on_step(self) -> None:
        self._handler()


def launch(loader: Callable[[], Loaded], *, orientation: str | None = None, fullscreen: bool = False,
           hide_cursor: bool = False, voice_enabled: bool = True, demo: bool = False,
           probe: Callable[[str], None] | None = None) -> int:
    """Show the start screen at once, then on a loader thread import the rest of the window and load the
    services; the real bridge goes behind the start screen as soon as its modules are imported, the
    services when they are ready. Runs until the application quits; returns the exit code.

    The first frame needs only Qt, the font, Main.qml and the stand-in bridge (kiosk.ui.startbridge):
    the loader starts on that frame (its imports hold the GIL and would slow the frame down), or
    START_LOADING_MS after start when no frame comes (a window not exposed).

    `probe` (`kiosk demo --startup-probe`): called with "start-screen" when the start screen's first
    frame has been shown (the window's first frameSwapped), then with "services-ready" once the services
    are attached (catalog and devices usable; never before "start-screen"); then the application quits
    with 0."""
    app = create_qt_app(rare_fonts=False)
    start = build_start_ui(orientation=orientation or "portrait", demo=demo, fullscreen=fullscreen,
                           hide_cursor=hide_cursor)
    built: list[KioskUi] = []
    imported: list[bool] = []
    loaded: list[Loaded] = []
    failed: list[BaseException] = []
    shown: list[bool] = []
    attached: list[bool] = []

    def ready_if_both() -> None:
        if probe is not None and shown and attached:
            probe("services-ready")
            app.exit(0)

    def first_frame() -> None:
        if not shown:
            shown.append(True)
            start.window.frameSwapped.disconnect(first_frame)  # no GIL taken at every later frame
            if probe is not None:
                probe("start-screen")
            start_loading()
            ready_if_both()

    start.window.frameSwapped.connect(first_frame)

    def work() -> None:
        from forms.code_caches import cached_code

        try:
            # The window's and the services' ~150 dataclasses take their methods' code, and their regular
            # expressions their engine code, from the compiled caches (forms.code_caches; the window's own
            # files: `kiosk apply` may run beside it).
            with cached_code(WINDOW_CODE_KIND):
                import_window_modules()
                imported.append(True)
                relay.step.emit()
                # Wait while the GUI thread puts the real bridge in place: QML re-reads every binding
                # then, each read takes the GIL, and with this thread importing beside it each would wait
                # up to the interpreter's switch interval (5 ms): measured, services-ready came ~250 ms
                # later.
                bridged.wait(BRIDGE_WAIT_S)
                loaded.append(loader())
        except BaseException as exc:  # shown and logged on the GUI thread
            failed.append(exc)
        relay.step.emit()

    worker = threading.Thread(target=work, name="kiosk-ui-loader", daemon=True)
    bridged = threading.Event()

    def hand_over() -> None:
        if failed:
            _log.error("the kiosk could not start: %s", failed[0])
            app.exit(2)
            return
        if imported and not built:
            from kiosk.ui.voice import LazyVoice

            try:
                built.append(finish_ui(start, voice=LazyVoice(voice_enabled)))
            except Exception as exc:  # the window cannot work without its bridge: stop, as a load failure
                failed.append(exc)
                _log.error("the kiosk could not start: %s", exc)
                app.exit(2)
                return
            finally:
                bridged.set()
        if loaded and built and not attached:
            result, bridge = loaded[0], built[0].bridge
            bridge.attach(result.services, result.session, result.entries,
                          orientation or result.orientation, result.hall_name, result.demo or demo)
            if result.elder_mode:
                bridge.setElderMode(True)
            if result.language != "zh":
                bridge.setLanguage(result.language)
            attached.append(True)
            ready_if_both()

    relay = _Relay(hand_over)

    def start_loading() -> None:
        if worker.ident is None:
            worker.start()

    QTimer.singleShot(START_LOADING_MS, start_loading)
    try:
        return app.exec()
    finally:
        if built:
            built[0].close()
        else:
            start.close()
        if loaded:
            loaded[0].services.close()


def run_ui(config: Any, *, data_dir: Path | None = None, orientation: str | None = None,
           fullscreen: bool = True, voice_enabled: bool = True, config_path: Path | None = None) -> int:
    """Run the kiosk window over `AppServices` built from `config` (on a worker thread, while the start
    screen already shows) until the application quits; returns the exit code."""
    display = config.display
    return launch(lambda: load_services(lambda: config, data_dir, config_path),
                  orientation=orientation or display.orientation,
                  fullscreen=fullscreen, hide_cursor=display.hide_cursor and fullscreen,
                  voice_enabled=voice_enabled, demo=config.demo)

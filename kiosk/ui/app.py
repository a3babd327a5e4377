"""The touchscreen application: builds the Qt app, the QML window and the bridge, and runs them.

    ui = build_ui(services, orientation="portrait")     # a KioskUi: engine, window, bridge (ui.tech)
    ui.window.grabWindow().save("start.png")
    run_ui(config)                                      # the kiosk: fullscreen, until quit

`create_qt_app()` sets what must be set before the QGuiApplication exists: the Qt Virtual Keyboard
input method (Pinyin docked in the window as an `InputPanel`), the Basic controls style, and — when
there is no display — nothing else: a caller that wants offscreen sets QT_QPA_PLATFORM=offscreen.
`has_display()` tells whether a window can be shown at all.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow
from PySide6.QtQuickControls2 import QQuickStyle

import kiosk.ui.pyside_hook  # noqa: F401  (first: every later import skips shiboken's source reading)

# isort: split
from kiosk.services.runtime import KioskServices
from kiosk.session import ApplicantSession, Clock, IdleSettings, SystemClock
from kiosk.ui.bridge import KioskBridge
from kiosk.ui.fonts import app_font
from kiosk.ui.housekeeping import VisitHousekeeping, bound_mmap_threshold
from kiosk.ui.images import PROVIDER_NAME, MemoryImages
from kiosk.ui.qtcompat import immortalize_singletons
from kiosk.ui.techbridge import TechBridge
from kiosk.ui.techdoctor import TechDoctor
from kiosk.ui.techstats import TechAudit, TechStats
from kiosk.ui.views.cameras import CameraViews
from kiosk.ui.voice import LazyVoice, SilentVoice

QML_DIR = Path(__file__).resolve().parent / "qml"
MAIN_QML = QML_DIR / "Main.qml"
DEFAULT_HALL_NAME = "铜梁区政务服务中心"
LOAD_POLL_MS = 20
#: The services start loading on the start screen's first frame, or this long after start at the latest.
START_LOADING_MS = 500
_log = logging.getLogger(__name__)


class UiError(RuntimeError):
    """The QML window could not be built (a QML error, no display)."""


def has_display() -> bool:
    """True when a window can be shown: an X11 or Wayland display, or an explicit Qt platform."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or platform)


def create_qt_app(argv: list[str] | None = None) -> QGuiApplication:
    """The one QGuiApplication (created if needed) with the virtual keyboard and the CJK font."""
    immortalize_singletons()  # PySide6 6.12 refcount bug, see kiosk/ui/qtcompat.py
    bound_mmap_threshold()  # large transient buffers go back to the system whole (kiosk.ui.housekeeping)
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "0")
    app = QGuiApplication.instance()
    if app is None:
        QQuickStyle.setStyle("Basic")
        app = QGuiApplication(argv or [sys.argv[0] if sys.argv else "kiosk"])
    app.setFont(app_font(26))  # the whole font chain: QML sets sizes only, never a family
    return app  # type: ignore[return-value]


class _TouchFilter(QObject):
    """Any press on the window counts as activity (extends the idle time, cancels the countdown)."""

    def __init__(self, bridge: KioskBridge) -> None:
        super().__init__(bridge)
        self._bridge = bridge

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._bridge.touch()
        return False


@dataclass
class KioskUi:
    """A built window: the QML engine, the top-level window and the bridge behind it (with the
    technician panel's own object, `tech`)."""

    engine: QQmlApplicationEngine
    window: QQuickWindow
    bridge: KioskBridge
    camera: CameraViews | None = None
    housekeeping: VisitHousekeeping | None = None

    @property
    def tech(self) -> TechBridge:
        return self.bridge.tech

    def close(self) -> None:
        """Close the window and free QML before the bridge it binds to goes away."""
        self.window.close()
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
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
    context = engine.rootContext()
    context.setContextProperty("bridge", bridge)
    context.setContextProperty("tech", bridge.tech)
    camera = CameraViews(bridge)
    context.setContextProperty("camera", camera)
    services_now = lambda: bridge.services  # noqa: E731
    context.setContextProperty("techStats", TechStats(bridge.worker.submit_impersonal, services_now, bridge))
    context.setContextProperty("techAudit", TechAudit(bridge.worker.submit_impersonal, services_now, bridge))
    context.setContextProperty("techDoctor", TechDoctor(bridge.worker.submit_impersonal, services_now,
                                                        lambda: bridge.tech.desk, bridge))
    context.setContextProperty("fontFamily", QGuiApplication.font().family())
    errors: list[str] = []
    engine.warnings.connect(lambda warnings: errors.extend(w.toString() for w in warnings))
    engine.load(QUrl.fromLocalFile(str(MAIN_QML)))
    roots = engine.rootObjects()
    if not roots:
        bridge.close()
        raise UiError("the QML window did not load: " + "; ".join(errors[:5]))
    window = roots[0]
    if not isinstance(window, QQuickWindow):
        window = window.findChild(QQuickWindow) or window  # pragma: no cover - PySide typing quirk
    for message in errors:
        _log.warning("qml: %s", message)
    window.installEventFilter(_TouchFilter(bridge))
    housekeeping = VisitHousekeeping(engine, bridge)  # between visits: JS garbage, free C heap pages
    bridge.visitEnded.connect(housekeeping.visit_ended)
    if hide_cursor:
        window.setCursor(QCursor(Qt.CursorShape.BlankCursor))
    if fullscreen:
        window.setFlag(Qt.WindowType.FramelessWindowHint, True)
        window.showFullScreen()
    if services is not None:
        bridge.attach(services, session)
    return KioskUi(engine, window, bridge, camera, housekeeping)


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

    config = config_source()
    services = AppServices(config, data_dir, sync=True,  # the hall uploader runs with the window
                           config_path=config_path)
    session = ApplicantSession(services.directory, services.kiosk.clock, idle_settings(config))
    entries = catalog_entries(services.catalog)  # compiled cache: no pypinyin on a warm start
    display = config.display
    return Loaded(services, session, entries, display.orientation, config.hall.name, config.demo,
                  display.elder_mode_default, config.language)


def launch(loader: Callable[[], Loaded], *, orientation: str | None = None, fullscreen: bool = False,
           hide_cursor: bool = False, voice_enabled: bool = True, demo: bool = False,
           probe: Callable[[str], None] | None = None) -> int:
    """Show the start screen at once, load the services on a worker thread meanwhile, hand them to the
    bridge when ready, and run until the application quits. Returns the exit code.

    `probe` (`kiosk demo --startup-probe`): called with "start-screen" when the start screen's first
    frame has been shown (the window's first frameSwapped, Main.qml and its start page being loaded
    before the event loop runs), then with "services-ready" once the services are attached (catalog and
    devices usable; never before "start-screen"); then the application quits with 0."""
    app = create_qt_app()
    ui = build_ui(None, orientation=orientation or "portrait", voice=LazyVoice(voice_enabled), demo=demo,
                  fullscreen=fullscreen, hide_cursor=hide_cursor, hall_name="")
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
            if probe is not None:
                probe("start-screen")
            start_loading()
            ready_if_both()

    ui.window.frameSwapped.connect(first_frame)

    def work() -> None:
        try:
            loaded.append(loader())
        except BaseException as exc:  # shown and logged on the GUI thread
            failed.append(exc)

    worker = threading.Thread(target=work, name="kiosk-ui-loader", daemon=True)
    poll = QTimer()
    poll.setInterval(LOAD_POLL_MS)

    def hand_over() -> None:
        if failed:
            poll.stop()
            _log.error("the kiosk could not start: %s", failed[0])
            app.exit(2)
        elif loaded:
            poll.stop()
            result = loaded[0]
            ui.bridge.attach(result.services, result.session, result.entries,
                             orientation or result.orientation, result.hall_name, result.demo or demo)
            if result.elder_mode:
                ui.bridge.setElderMode(True)
            if result.language != "zh":
                ui.bridge.setLanguage(result.language)
            attached.append(True)
            ready_if_both()

    def start_loading() -> None:
        # After the start screen's first frame: the loader's imports hold the GIL and would slow the
        # frame down. Without a frame (a window not exposed), START_LOADING_MS at the latest.
        if not worker.is_alive() and worker.ident is None:
            worker.start()
            poll.start()

    poll.timeout.connect(hand_over)
    QTimer.singleShot(START_LOADING_MS, start_loading)
    try:
        return app.exec()
    finally:
        ui.close()
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

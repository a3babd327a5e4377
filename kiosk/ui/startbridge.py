"""The start screen's stand-in for the bridge: what QML binds to for the first frame only (issue 17).

`kiosk demo` / `kiosk run` (kiosk.ui.app.launch) show the start screen before the session machinery,
the view models and the services are imported: their imports (kiosk.session's event and state
dataclasses, the technician's and lookup bridges, ...) cost more than a bare Qt window's whole start.
`StartBridge` answers every property the start screen's first frame reads (Main, Header, HomePage,
Footer, CancelDialog, CountdownOverlay) with the session's initial view: the start step, Chinese, no
elder mode, no countdown, no call to staff; `StartTech` stands in for `tech` (no technician mode).
Nothing here imports more than QtCore and the pure theme and string tables.

Right after the first frame `launch` builds the real `KioskBridge` and puts it in the QML context in
their place (`kiosk.ui.app.finish_ui`). A tap that comes in between (a few tenths of a second) is
kept, not lost: the slots record it and `replay` sends it to the real bridge once it is there.
tests/unit/kiosk/ui/test_startbridge.py checks that this view equals the real bridge's initial view
on every key the start screen reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.ui.strings import texts, word
from kiosk.ui.theme import theme_values

#: The keys of `bridge.view` the start screen's QML reads (checked against the real view in tests).
START_VIEW_KEYS = ("page", "screen", "step", "elder_mode", "language", "instruction", "staff_called",
                   "buttons", "confirm_cancel", "counting_down")


def start_view(language: str = "zh") -> dict[str, Any]:
    """The session's initial view, as far as the start screen shows it."""
    return {"page": "home", "screen": "start", "step": "start", "elder_mode": False, "language": language,
            "instruction": word(language, "startInstruction"), "staff_called": False,
            "buttons": {"back": False, "home": False, "home_word": "home"}, "confirm_cancel": False,
            "counting_down": False}


class _Taps(QObject):
    """The slots the start screen's buttons call (`bridge.actions`, `bridge.startPages`), recorded."""

    def __init__(self, record: Callable[[str, tuple], None], parent: QObject) -> None:
        super().__init__(parent)
        self._record = record

    @Slot(bool)
    def setElderMode(self, on: bool) -> None:
        self._record("setElderMode", (on,))

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        self._record("setLanguage", (language,))

    @Slot(str)
    def chooseAudience(self, audience: str) -> None:
        self._record("chooseAudience", (audience,))

    @Slot()
    def openLookup(self) -> None:
        self._record("openLookup", ())

    @Slot()
    def callStaff(self) -> None:
        self._record("callStaff", ())

    @Slot()
    def back(self) -> None:  # hidden on the start screen; present so QML finds the slot
        pass

    @Slot()
    def goHome(self) -> None:
        pass

    @Slot(bool)
    def answerCancel(self, yes: bool) -> None:
        pass

    staffCall = Property(QObject, lambda self: self, constant=True)
    text = Property(str, lambda self: "", constant=True)


class StartBridge(QObject):
    """`bridge` until the real one is built: the start screen's initial view, taps recorded."""

    changed = Signal()

    def __init__(self, orientation: str = "portrait", demo: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._orientation, self._demo = orientation, demo
        self._view = start_view()
        self._theme = theme_values(False, orientation)
        self._texts = texts("zh")
        self.taps: list[tuple[str, tuple]] = []
        self._elder, self._language = False, "zh"
        self._slots = _Taps(self._tap, self)
        self.tech = StartTech(self)

    def _tap(self, name: str, args: tuple) -> None:
        # The stand-in's view does not change, so QML asks for the opposite of the initial state at every
        # tap: the switches toggle what the taps before them set.
        if name == "setElderMode":
            self._elder = not self._elder
            args = (self._elder,)
        elif name == "setLanguage":
            self._language = "en" if self._language == "zh" else "zh"
            args = (self._language,)
        self.taps.append((name, args))

    def replay(self, bridge: Any) -> None:
        """Send the taps recorded so far to the real bridge (in order)."""
        taps, self.taps = self.taps, []
        for name, args in taps:
            target = bridge.start if name in ("chooseAudience", "openLookup") else bridge.act
            getattr(target, name)(*args)

    starting = Property(bool, lambda self: True, constant=True)
    page = Property(str, lambda self: "home", constant=True)
    view = Property("QVariantMap", lambda self: self._view, constant=True)
    theme = Property("QVariantMap", lambda self: self._theme, constant=True)
    t = Property("QVariantMap", lambda self: self._texts, constant=True)
    countingDown = Property(bool, lambda self: False, constant=True)
    countdown = Property(int, lambda self: 0, constant=True)
    demo = Property(bool, lambda self: self._demo, constant=True)
    ready = Property(bool, lambda self: False, constant=True)
    hallName = Property(str, lambda self: "", constant=True)
    actions = Property(QObject, lambda self: self._slots, constant=True)
    startPages = Property(QObject, lambda self: self._slots, constant=True)

    @Slot()
    def touch(self) -> None:
        pass


class StartTech(QObject):
    """`tech` until the real bridge is built: no technician mode; the hall-name taps are not counted."""

    techMode = Property(str, lambda self: "", constant=True)

    @Slot()
    def hallTapped(self) -> None:
        pass

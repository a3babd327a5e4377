"""The footer's staff-call line (QML: `bridge.actions.staffCall.text`): honest about the hall.

Once the view shows a call (呼叫工作人员 tapped, or a print fault calling staff), every second (its own
timer, while the session still shows the call) the services are asked on a worker how this visit's
latest call stands (kiosk.sync): `acked` -> 工作人员已
收到，马上过来; `sent` -> 已通知大厅工作人员; `sending`; `unreachable` -> the call shows on this kiosk
but the hall cannot be reached; `local` -> no hall is configured. `printerText` says the same about a print
fault's call (the print-failed notice). Words come from kiosk/ui/strings.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal

from kiosk.ui.strings import texts

_WORDS = {"acked": "staffAcked", "sent": "staffNotified", "sending": "staffSending",
          "unreachable": "staffUnreachable", "local": "staffLocal"}
_PRINTER_WORDS = {state: "printerStaff" + key.removeprefix("staff") for state, key in _WORDS.items()}
"""The same states said about a print fault's call (工作人员…处理打印机): the print-failed notice."""
POLL_MS = 1000


class StaffCallView(QObject):
    changed = Signal()

    def __init__(self, bridge: Any, state: Callable[[], Any], parent: QObject | None = None) -> None:
        """`bridge` gives `worker` and `services` (read when asked: the services arrive after start)."""
        super().__init__(parent)
        self._bridge = bridge
        self._session_state = state
        self._state = ""  # "" until the first answer
        self._asking = False
        self._following = False  # the last rendered view showed a call
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.tick)
        bridge.viewChanged.connect(self._view_rendered)

    state = Property(str, lambda self: self._state, notify=changed)
    text = Property(str, lambda self: self.words(), notify=changed)
    printerText = Property(str, lambda self: self.words(_PRINTER_WORDS), notify=changed)

    def words(self, table: dict[str, str] = _WORDS) -> str:
        key = table.get(self._state, table["sending"])
        return texts(self._session_state().language)[key]

    def _view_rendered(self) -> None:
        """A call the view shows for the first time (tapped, or made by a print fault) starts the watch."""
        called = bool(self._session_state().staff_called)
        if called and not self._following:
            self.watch()
        self._following = called

    def watch(self) -> None:
        """A call was made: ask now and every second while it shows."""
        self._timer.start()
        self.tick()

    def tick(self) -> None:
        if self._bridge.worker.closed:  # the window closed: no more questions, a late answer is dropped
            self._timer.stop()
            return
        if not self._session_state().staff_called:
            self._timer.stop()
            self._set("")
            return
        ask = getattr(self._bridge.services, "staff_call_state", None)
        if ask is None or self._asking:
            return
        self._asking = True
        self._bridge.worker.submit_impersonal(lambda: ask() or "", self._answered)  # "" too comes back

    def _answered(self, state: Any) -> None:
        self._asking = False
        if self._bridge.worker.closed:
            return
        self._set((state or "") if self._session_state().staff_called else "")

    def _set(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.changed.emit()

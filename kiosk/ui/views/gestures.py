"""The applicant's taps that every step shares, and each step's own buttons, as session events
(QML: `bridge.act`). Nothing here decides: the session says what a tap does on the current screen
(for instance 返回 on the start screen's catalog page goes to its home page; 首页 during a visit cancels
it) and which buttons show (`view.buttons`)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from PySide6.QtCore import Property, QObject, Slot

from kiosk.session import (
    Back,
    CancelAnswered,
    Cancelled,
    CaptureOpened,
    CardSwapAnswered,
    CommitmentConfirmed,
    Confirmed,
    DeliveryChosen,
    ElderModeSet,
    Event,
    HomePressed,
    LanguageSet,
    MaterialPromised,
    MaterialsConfirmed,
    Next,
    Rated,
    RetryPrint,
    SessionState,
    SignOpened,
    StaffCalled,
)
from kiosk.ui.views.staffcall import StaffCallView

SIGN_MIN_INK_PX = 120.0
"""A signature is at least this much ink (the strokes' total length in the pad's own pixels, before elder
scaling): a tap or a short slip of the finger is not a signature, and 确认 stays disabled."""


class Gestures(QObject):
    def __init__(self, send: Callable[[Event], None], state: Callable[[], SessionState],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._send = send
        self._state = state
        self.staff_call = StaffCallView(parent, state, self)  # the footer's call line (kiosk.sync)

    staffCall = Property(QObject, lambda self: self.staff_call, constant=True)

    # --- the footer and the header ---------------------------------------------------------------

    @Slot()
    def next(self) -> None:
        self._send(Next())

    @Slot()
    def back(self) -> None:
        self._send(Back())

    @Slot()
    def goHome(self) -> None:
        self._send(HomePressed())

    @Slot()
    def cancel(self) -> None:
        self._send(Cancelled())

    @Slot(bool)
    def answerCancel(self, confirm: bool) -> None:
        """The 取消办理？ question: True ends the visit (the ID card reminder was shown), False goes on."""
        self._send(CancelAnswered(confirm))

    @Slot()
    def callStaff(self) -> None:
        self._send(StaffCalled())  # the bridge starts the call line's watch when the view shows the call

    @Slot(bool)
    def setElderMode(self, on: bool) -> None:
        self._send(ElderModeSet(on))

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        self._send(LanguageSet(language))

    # --- materials and commitment -----------------------------------------------------------------

    @Slot(str, bool)
    def promise(self, name: str, promised: bool) -> None:
        self._send(MaterialPromised(name, promised))

    @Slot(str)
    def photograph(self, name: str) -> None:
        """拍照: open the capture screen for this material (the document camera)."""
        self._send(CaptureOpened(name))

    @Slot()
    def confirmMaterials(self) -> None:
        """Confirm the materials with the promise marks the session holds."""
        self._send(MaterialsConfirmed(self._state().materials_promised))

    @Slot()
    def agree(self) -> None:
        self._send(CommitmentConfirmed("agree"))

    @Slot()
    def openSign(self) -> None:
        """签名: the signing step (a pad of its own that does not scroll)."""
        self._send(SignOpened())

    signMinInk = Property(float, lambda self: SIGN_MIN_INK_PX, constant=True)

    @Slot(str, float, result=bool)
    def sign(self, data_url: str, ink: float) -> bool:
        """确认 on the signing pad: the QML Canvas (`toDataURL("image/png")`) and the length of its
        strokes. Too little ink, or no image, is refused here (False): nothing is sent."""
        if ink < SIGN_MIN_INK_PX:
            return False
        _, _, encoded = data_url.partition("base64,")
        try:
            png = base64.b64decode(encoded, validate=True)
        except ValueError:
            png = b""
        if not png:
            return False
        self._send(CommitmentConfirmed("signature", png))
        return True

    # --- result, printing, rating, a second card ----------------------------------------------------

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

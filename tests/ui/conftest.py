"""pytest-qt fixtures for the touchscreen: the real QML app offscreen over real parts.

The environment is set before Qt loads: offscreen platform, software Quick backend, the virtual
keyboard input method. `kiosk_ui` builds the window over `AppServices` on the real `kiosk.app.Kiosk`
in demo mode (reader simulator, printer emulator, SQLite store in a temporary dir) with a FakeClock
session and no timer ticks: tests send `Tick` themselves after moving the clock. One clock: the FakeClock
starts on the suite's day (tests/conftest.py TEST_TODAY, never the machine's date) and the Kiosk under the
services takes its today and now from the same FakeClock (a test that advances it by days moves both).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")

from collections.abc import Iterator

import pytest

from kiosk.config import demo_config
from kiosk.services.app_services import AppServices
from kiosk.services.technician import TapGesture
from kiosk.session import ApplicantSession, FakeClock
from kiosk.ui.driver import UiDriver


@pytest.fixture
def clock(today) -> FakeClock:
    return FakeClock(today)


@pytest.fixture
def services(tmp_path, clock, kiosk_calendar) -> Iterator[AppServices]:
    built = AppServices(demo_config(tmp_path / "data"), print_timeout=20.0, **kiosk_calendar(clock))
    yield built
    built.close()


def _build(qtbot, services, clock, orientation: str) -> Iterator[UiDriver]:
    from kiosk.ui.app import build_ui

    session = ApplicantSession(services.directory, clock)
    ui = build_ui(services, session=session, orientation=orientation, demo=True, tick_interval=None)
    driver = UiDriver(ui, services, clock, qtbot)
    # The hidden gesture's 3-second window on the test's clock: five taps under load (or with a slow frame
    # rate, QT_QPA_UPDATE_IDLE_TIME=300) may take longer than 3 real seconds.
    driver.tech.gesture = TapGesture(clock=clock.monotonic)
    yield driver
    ui.close()


@pytest.fixture
def kiosk_ui(qtbot, services, clock) -> Iterator[UiDriver]:
    yield from _build(qtbot, services, clock, "portrait")


@pytest.fixture
def kiosk_ui_landscape(qtbot, services, clock) -> Iterator[UiDriver]:
    yield from _build(qtbot, services, clock, "landscape")

"""The whole suite lives on one day, whatever the machine's date: the kiosk's test clock is set here.

`KIOSK_TODAY` (read only by the composition root, `kiosk.app.env_calendar`) is set before any test module
is imported, so every `Kiosk` a test builds — in-process, through `kiosk.cli`, or in a child process that
inherits the environment — decides with `TEST_TODAY`: card validity (the hmt demo card runs out on
2027-09-01), ages (the demo minor turns 18 on 2032-06-18), licence dates, numbers. It is set, not
defaulted, so a stray KIOSK_TODAY in a shell cannot change a verdict. A test that needs the date reads
the kiosk's own calendar (`today` fixture, or `kiosk.app.env_calendar()` at import time); a FakeClock
starts on it (`kiosk_calendar(clock)` puts a Kiosk on that FakeClock). No test reads the machine's date.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

import pytest

#: The day the suite lives on (the session unit tests' TODAY too); the demo answers' report of 2026-10-15
#: is under a year old on it.
TEST_TODAY = dt.date(2026, 11, 21)

#: The kiosk's time of day under a FakeClock (no test reads the machine's clock).
OPENING_TIME = dt.time(10, 0)

os.environ["KIOSK_TODAY"] = TEST_TODAY.isoformat()
# The compiled caches (catalog, search index, rule-engine tables: forms.compiled) go to a folder of this run,
# removed at its end, not to the user's cache folder; child processes inherit it.
os.environ["KIOSK_CACHE_DIR"] = _CACHE_DIR = tempfile.mkdtemp(prefix="kiosk-test-cache-")
atexit.register(shutil.rmtree, _CACHE_DIR, True)


@pytest.fixture
def today() -> dt.date:
    """The day every kiosk in the suite lives on."""
    return TEST_TODAY


@pytest.fixture
def kiosk_calendar() -> Callable[[Any], dict[str, Any]]:
    """`Kiosk.build(..., **kiosk_calendar(clock))`: the kiosk's today and now (10:00 on that day) follow the
    test's FakeClock, so the session and the kiosk share one clock."""

    def options(clock: Any) -> dict[str, Any]:
        return {"today": clock.today, "now": lambda: dt.datetime.combine(clock.today(), OPENING_TIME)}

    return options


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Name any non-daemon thread still running when the suite ends: the interpreter joins those (and
    executor workers) before the process exits, so one left waiting kept CI alive for 12 minutes after
    the summary (a print watcher on a slip waiting for paper). The names say which test forgot to stop it."""
    import threading

    left = [thread.name for thread in threading.enumerate()
            if thread is not threading.main_thread() and not thread.daemon and thread.is_alive()]
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"threads still running at the end (the exit waits for them): {', '.join(left)}",
                                yellow=True)

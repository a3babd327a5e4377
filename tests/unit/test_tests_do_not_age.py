"""No test reads the machine's clock: verdicts must not change with the date or with a busy machine.

A test that needs the date takes the kiosk's calendar (tests/conftest.py TEST_TODAY, the `today`
fixture, `kiosk.app.env_calendar()`) or a FakeClock; a test that needs time to pass moves a FakeClock or
waits for a condition (qtbot.waitUntil, a socket answer, UiDriver.settle), and never bounds how long
something took. This scans every test file for the calls that would break that.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

#: (receiver, method) pairs that read the machine's clock or wait for it. The receiver is matched on its
#: last dotted names, so `dt.date.today()`, `datetime.date.today()` and `date.today()` are all caught.
FORBIDDEN = {
    ("date", "today"): "the machine's date: use the `today` fixture or kiosk.app.env_calendar()",
    ("datetime", "today"): "the machine's date: use the `today` fixture or kiosk.app.env_calendar()",
    ("datetime", "now"): "the machine's clock: derive the time from the kiosk's day or the store's record",
    ("datetime", "utcnow"): "the machine's clock: derive the time from the kiosk's day or the store's record",
    ("time", "time"): "a wall-clock reading: prove the timeout path (its message, its state) instead",
    ("time", "monotonic"): "a wall-clock bound: prove the timeout path (its message, its state) instead",
    ("time", "perf_counter"): "a wall-clock bound: prove the timeout path (its message, its state) instead",
    ("time", "sleep"): "a sleep: wait for a condition (qtbot.waitUntil, UiDriver.settle) or move a FakeClock",
}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, why) for every call in `source` that reads the machine's clock or sleeps."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = _dotted(node.func.value).rsplit(".", 1)[-1]
            why = FORBIDDEN.get((receiver, node.func.attr))
            if why:
                found.append((node.lineno, f"{_dotted(node.func)}(): {why}"))
    return found


def test_the_scan_catches_each_way_of_reading_the_clock():
    source = ("import datetime as dt, time\nfrom datetime import date, datetime\n"
              "dt.date.today()\ndate.today()\ndatetime.now(dt.UTC)\ntime.monotonic()\ntime.sleep(1)\n"
              "clock.today()\nsession.today()\nFakeClock(today).monotonic()\n")
    assert [line for line, _ in clock_reads(source)] == [3, 4, 5, 6, 7]


@pytest.mark.parametrize("path", sorted(TESTS.rglob("*.py")), ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_reads_the_machines_clock(path):
    if path == Path(__file__):
        return
    reads = clock_reads(path.read_text(encoding="utf-8"))
    assert reads == [], "\n".join(f"{path.relative_to(TESTS)}:{line}: {why}" for line, why in reads)

"""The technician panel's pure logic on a fake clock: the hidden gesture, the PIN gate's lockout and idle
lock, the words it says, which job actions are offered, and a configuration summary without secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import DEMO_ADMIN_PIN, demo_config, hash_pin
from kiosk.pin_policy import UNTIL_RESET, LockLevel, PinPolicy
from kiosk.services.technician import (
    IDLE_LOCK_SECONDS,
    LOCKOUT_SECONDS,
    MAX_PIN_FAILURES,
    JobRow,
    MemoryPinAttempts,
    PinGate,
    PinOutcome,
    TapGesture,
    config_summary,
    job_actions,
    redact_url,
)
from printers.queue import JobRecord

PIN_HASH = hash_pin("2580", salt=b"unit-test-salt!!")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_five_taps_within_three_seconds_open(clock):
    gesture = TapGesture(clock=clock)
    results = []
    for _ in range(5):
        results.append(gesture.tap())
        clock.now += 0.5
    assert results == [False, False, False, False, True]
    assert not gesture.tap(), "the gesture starts over after it fired"


def test_slow_taps_never_open(clock):
    gesture = TapGesture(clock=clock)
    results = []
    for _ in range(12):
        results.append(gesture.tap())
        clock.now += 0.8  # five taps span 3.2 s
    assert not any(results)


def test_old_taps_drop_out_of_the_window(clock):
    gesture = TapGesture(taps=3, window_seconds=3.0, clock=clock)
    assert not gesture.tap()
    clock.now += 2.9
    assert not gesture.tap()
    clock.now += 0.2  # the first tap is now 3.1 s old
    assert not gesture.tap()
    assert gesture.tap()


def test_reset_forgets_the_taps(clock):
    gesture = TapGesture(taps=2, clock=clock)
    gesture.tap()
    gesture.reset()
    assert not gesture.tap()


def test_a_gesture_needs_a_tap_and_a_window():
    with pytest.raises(ValueError):
        TapGesture(taps=0)
    with pytest.raises(ValueError):
        TapGesture(window_seconds=0)


def test_right_pin_opens_and_wrong_pin_counts_down(clock):
    gate = PinGate(PIN_HASH, clock=clock)
    wrong = gate.check("1234")
    assert wrong == PinOutcome("wrong", tries_left=MAX_PIN_FAILURES - 1)
    assert "还可尝试 4 次" in wrong.message and "4 tries left" in wrong.message
    assert not gate.is_open
    assert gate.check("2580").status == "open" and gate.is_open
    assert gate.failures == 0, "a right PIN forgives earlier mistakes"


@pytest.mark.parametrize("pin", ["", "25a0", "2580 ", "1" * 13])
def test_malformed_pins_are_wrong_without_error(clock, pin):
    assert not PinGate(PIN_HASH, clock=clock).verify(pin)


def test_five_wrong_pins_lock_for_five_minutes_then_escalate(clock):
    gate = PinGate(PIN_HASH, clock=clock)
    outcomes = [gate.record(False) for _ in range(MAX_PIN_FAILURES)]
    assert [o.tries_left for o in outcomes[:-1]] == [4, 3, 2, 1]
    assert outcomes[-1].status == "locked" and outcomes[-1].locked_seconds == LOCKOUT_SECONDS
    assert "5 分钟" in outcomes[-1].message and "300 s" in outcomes[-1].message
    clock.now += 100
    refused = gate.check("2580")
    assert refused.status == "locked" and refused.locked_seconds == pytest.approx(200)
    assert "已锁定 5 分钟" in refused.message and "3 分 20 秒" in refused.message
    assert "Locked for 5 min" in refused.message
    assert not gate.is_open, "the right PIN does not open a locked gate"
    clock.now += 200
    assert gate.refusal() is None and gate.failures == 5, "the ended lock forgives nothing"
    outcomes = [gate.record(False) for _ in range(5)]
    assert [o.tries_left for o in outcomes[:-1]] == [4, 3, 2, 1]
    assert outcomes[-1].locked_seconds == 1800 and "已锁定 30 分钟" in outcomes[-1].message
    clock.now += 1800
    outcomes = [gate.record(False) for _ in range(5)]
    last = outcomes[-1]
    assert last.status == "locked" and last.locked_seconds == UNTIL_RESET
    assert "kiosk keys reset-lockout" in last.message and "本机" in last.message
    clock.now += 10**9
    assert gate.check("2580") == last, "only the reset ends the last lock"


def test_wrong_pins_while_locked_are_not_counted(clock):
    gate = PinGate(PIN_HASH, clock=clock)
    for _ in range(MAX_PIN_FAILURES):
        gate.record(False)
    for _ in range(20):
        assert gate.check("0000").status == "locked"
    assert gate.failures == MAX_PIN_FAILURES


def test_a_right_pin_forgives_the_count(clock):
    gate = PinGate(PIN_HASH, clock=clock)
    for _ in range(7):
        gate.record(False)
        clock.now += 600
    assert gate.check("2580").status == "open"
    assert gate.failures == 0 and gate.record(False).tries_left == MAX_PIN_FAILURES - 1


def test_a_broken_attempt_log_is_not_an_open_gate(clock):
    class Broken(MemoryPinAttempts):
        def failed(self):
            raise OSError("disk I/O error")

    gate = PinGate(PIN_HASH, attempts=Broken(now=clock), clock=clock)
    with pytest.raises(OSError):
        gate.check("1111")
    assert not gate.is_open
    assert "kiosk doctor" in PinOutcome("error").message


def test_a_right_pin_checked_during_a_lockout_does_not_open(clock):
    gate = PinGate(PIN_HASH, clock=clock)
    for _ in range(MAX_PIN_FAILURES):
        gate.record(False)
    assert gate.record(True).status == "locked" and not gate.is_open


def test_lockout_message_counts_down_in_seconds_at_the_end(clock):
    policy = PinPolicy((LockLevel(1, 300.0), LockLevel(2, UNTIL_RESET)))
    gate = PinGate(PIN_HASH, attempts=MemoryPinAttempts(policy, now=clock), clock=clock)
    gate.record(False)
    clock.now += 300 - 42.5
    message = gate.refusal().message
    assert "43 秒" in message and "43 s" in message


def test_no_pin_hash_means_no_panel(clock):
    gate = PinGate(None, clock=clock)
    outcome = gate.check(DEMO_ADMIN_PIN)
    assert outcome.status == "unavailable" and "admin.pin_hash" in outcome.message
    assert not gate.is_open


def test_idle_lock_counts_from_the_last_touch(clock):
    gate = PinGate(PIN_HASH, clock=clock)
    gate.record(True)
    clock.now += IDLE_LOCK_SECONDS - 1
    assert not gate.idle_expired()
    gate.activity()
    clock.now += IDLE_LOCK_SECONDS - 1
    assert not gate.idle_expired()
    clock.now += 1
    assert gate.idle_expired()
    gate.lock()
    assert not gate.is_open


def job(job_id: int, state: str, copy_of: int | None = None) -> JobRecord:
    return JobRecord(id=job_id, printer="sim://", reference="铜卫公〔2026〕1号", kind="licence", state=state,
                     attempts=1, last_error="paper out", created_at="2026-01-01T00:00:00", updated_at="",
                     finished_at=None, copy_of=copy_of, size=100)


@pytest.mark.parametrize(("state", "copies", "actions"), [
    ("queued", {}, ("retry", "cancel")),
    ("held", {}, ("retry", "cancel")),
    ("failed", {}, ("reprint", "done", "cancel")),
    ("failed", {1: 2}, ()),
    ("uncertain", {}, ("reprint", "done", "cancel")),
    ("done", {}, ()),
    ("printing", {}, ()),
    ("cancelled", {}, ()),
])
def test_job_actions_follow_the_jobs_rules(state, copies, actions):
    assert job_actions(job(1, state), copies) == actions


def test_job_row_for_qml():
    row = JobRow(3, "uncertain", "不确定是否打印 uncertain", "licence", "N-1", "no answer", "t",
                 job_actions(job(3, "uncertain"), {}))
    assert row.to_dict()["canReprint"] and row.to_dict()["canConfirm"]
    queued = JobRow(4, "queued", "", "test", "", "", "t", ("retry",)).to_dict()
    assert queued["canReprint"] and not queued["canConfirm"]


@pytest.mark.parametrize(("url", "shown"), [
    ("sim://", "sim://"),
    ("tcp://192.168.1.50:9100?profile=xprinter-80", "tcp://192.168.1.50:9100?profile=xprinter-80"),
    ("cups://operator:s3cret@printhost:631/kiosk", "cups://***@printhost:631/kiosk"),
    ("/dev/ttyUSB0", "/dev/ttyUSB0"),
])
def test_device_urls_lose_their_credentials(url, shown):
    assert redact_url(url) == shown


def test_config_summary_names_devices_and_no_secret():
    config = demo_config(Path("/srv/kiosk-data"))
    rows = dict(config_summary(config, Path("/srv/kiosk-data")))
    assert rows["终端编号 Kiosk ID"] == "K01" and rows["打印机 Printer"] == "sim://"
    assert rows["数据目录 Data dir"] == "/srv/kiosk-data"
    text = repr(rows)
    assert config.admin.pin_hash not in text and "scrypt" not in text and DEMO_ADMIN_PIN not in text

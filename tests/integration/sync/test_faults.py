"""Sync faults against the contract hall (real HTTP on a real port; conftest.ContractHall).

The hall down for three days of the kiosk clock while the kiosk keeps deciding, then draining; a crash
after the hall stored a batch and before the kiosk marked it sent; `kiosk sync` killed (SIGKILL) while
the hall holds its batch; a forged, revoked or other kiosk's credential; a batch over the hall's limits
(413: halved); clock skew between kiosk and hall. No test sleeps: time is the kiosk clock and the
uploader's injected monotonic clock; waits are for a condition (the hall saw a request).
"""

from __future__ import annotations

import base64
import datetime as dt
import gc
import inspect
import os
import signal
import socket
from pathlib import Path

import pytest

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import SyncConfig, demo_config
from kiosk.effect_runner import EffectRunner
from kiosk.headless import HeadlessApplicant
from kiosk.session import RecordRating
from kiosk.sync import outbox, replies
from kiosk.sync.wire import HallError

MONDAY = dt.datetime(2026, 11, 21, 9, 0)


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def sync_config(tmp_path: Path, url: str, token: str, **sync):
    return demo_config(tmp_path / "k").model_copy(update={"sync": SyncConfig(url=url, token=token, **sync)})


def unsent(kiosk: Kiosk) -> int:
    return outbox.backlog(kiosk.store).unsent


def rate(kiosk: Kiosk, count: int) -> None:
    runner = EffectRunner(kiosk)
    for index in range(count):
        runner.execute(RecordRating(None, "residence-permit", 1 + index % 5, f"评价 {index}"))


def test_the_hall_down_for_three_days_then_draining(tmp_path, hall, kit):
    clock = Clock(MONDAY)
    config = sync_config(tmp_path, hall.url, kit.TOKEN, batch_events=5)
    with Kiosk.build(config, now=clock) as kiosk:
        uploader = kiosk.uploader(rng=lambda: 0.5)  # jitter factor 1.0: the schedule is exact
        hall.down()
        numbers = []
        for day in range(3):
            for hour in (9, 13, 16):
                clock.moment = MONDAY + dt.timedelta(days=day, hours=hour - 9)
                result = HeadlessApplicant(kiosk, print_wait=5).apply(kit.IB, demo_cards.load("adult"),
                                                                      kit.IB_ANSWERS)
                numbers.append(result.receipt_no)
                rate(kiosk, 1)
                pushed = uploader.push()
                assert pushed.error is not None and pushed.error.kind == "unreachable" and pushed.sent == 0
                with pytest.raises(HallError):
                    uploader.heartbeat()
        assert unsent(kiosk) == 18, "every application and rating kept while the hall was down"
        backlog = outbox.backlog(kiosk.store)
        assert backlog.oldest_age_s(clock.moment) == pytest.approx(2 * 86400 + 7 * 3600)
        assert "连不上大厅系统" in replies.sync_state(kiosk.store).last_error
        assert uploader.failures == 18
        delays = [uploader.backoff_s(n) for n in range(1, 12)]
        assert delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300], "exponential, capped at backoff_max"
        jittered = kiosk.uploader(rng=lambda: 0.0).backoff_s(4), kiosk.uploader(rng=lambda: 0.999).backoff_s(4)
        assert jittered[0] == 4 and 11.9 < jittered[1] < 12, "jitter spreads a retry over 0.5-1.5 times"

        hall.up()
        result = uploader.push()
        assert result.ok and result.sent == 18 and result.sizes == [5, 5, 5, 3]
        assert unsent(kiosk) == 0 and len(hall.events) == 18 and hall.received == 18
        assert sorted(e["body"]["number"] for e in hall.of_kind("application")) == sorted(numbers)
        days = {e["at"][:10] for e in hall.of_kind("application")}
        assert days == {"2026-11-21", "2026-11-22", "2026-11-23"}, "each event keeps the kiosk time of its change"
        uploader.heartbeat()
        beat = hall.heartbeats[-1]
        assert beat["unsent"] == 0 and beat["oldest_unsent_s"] is None and beat["kiosk_id"] == "K01"
        assert beat["counts"]["applications"] >= 0 and set(beat["modules"]) == {"reader", "printer", "paper", "camera"}


class Crash(BaseException):
    """The process dies here (nothing after it runs)."""


def test_a_crash_after_the_hall_stored_a_batch_replays_without_a_duplicate(tmp_path, hall, kit):
    config = sync_config(tmp_path, hall.url, kit.TOKEN)
    with Kiosk.build(config) as kiosk:
        rate(kiosk, 4)

        def die(stage, ids):
            if stage == "held":
                raise Crash()

        with pytest.raises(Crash):
            kiosk.uploader(on_stage=die).push()
        assert len(hall.events) == 4 and unsent(kiosk) == 4, "the hall holds them; the kiosk never marked them"
        result = kiosk.uploader().push()  # the next start sends the same ids again
        assert result.sent == 4 and unsent(kiosk) == 0
        assert hall.received == 8 and len(hall.events) == 4, "received twice, stored once"


def test_kiosk_sync_killed_mid_batch_loses_and_doubles_nothing(tmp_path, hall, kit):
    config_file = kit.write_config(tmp_path / "kiosk.toml", tmp_path / "k", hall.url, batch_events=3)
    with Kiosk.build(demo_config(tmp_path / "k")) as kiosk:
        rate(kiosk, 7)
    hall.hold.set()
    process = kit.kiosk_cmd("sync", "--config", config_file, "--wait", "20")
    try:
        assert hall.holding.wait(60), "the hall got the first batch"
        os.kill(process.pid, signal.SIGKILL)  # the uploader dies while the hall holds its answer
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    hall.hold.clear()
    hall.release.set()
    assert len(hall.events) == 3
    with Kiosk.build(demo_config(tmp_path / "k")) as kiosk:
        assert unsent(kiosk) == 7, "nothing was marked sent by the killed process"
    done = kit.run_kiosk("sync", "--config", config_file, "--wait", "20")
    assert done.returncode == 0, done.stderr
    assert "the outbox is empty (7 sent now)" in done.stdout
    assert len(hall.events) == 7 and hall.received == 10, "the 3 held ones came again and were stored once"


@pytest.mark.parametrize("case", ["forged", "revoked", "other kiosk"])
def test_a_refused_credential_keeps_every_event_and_says_so(tmp_path, hall, kit, case):
    token = "forged-token" if case == "forged" else kit.TOKEN
    config_file = kit.write_config(tmp_path / "kiosk.toml", tmp_path / "k", hall.url, token=token)
    if case == "other kiosk":
        hall.tokens = {kit.TOKEN: "K02"}  # the credential belongs to another kiosk
    if case == "revoked":
        hall.tokens = {}
    with Kiosk.build(demo_config(tmp_path / "k")) as kiosk:
        rate(kiosk, 3)
    run = kit.run_kiosk("sync", "--config", config_file, "--wait", "0")
    assert run.returncode == 1
    status = "403" if case == "other kiosk" else "401"
    assert status in run.stderr and "3 events pending, the oldest" in run.stderr, run.stderr
    assert ("另一台终端" if case == "other kiosk" else "重新登记本机") in run.stderr
    assert hall.events == {}, "nothing stored"
    with Kiosk.build(demo_config(tmp_path / "k")) as kiosk:
        assert unsent(kiosk) == 3
        rows = kiosk.store.select("SELECT attempts, last_error FROM outbox")
        assert all(row["attempts"] == 1 and status in row["last_error"] for row in rows)


def test_kiosk_sync_without_a_hall_says_it_is_not_configured(tmp_path, kit):
    config_file = kit.write_config(tmp_path / "kiosk.toml", tmp_path / "k", None)
    with Kiosk.build(demo_config(tmp_path / "k")) as kiosk:
        rate(kiosk, 2)
    run = kit.run_kiosk("sync", "--config", config_file)
    assert run.returncode == 1
    assert "[sync] is not configured" in run.stderr and "2 events pending" in run.stderr


def test_a_batch_over_the_limit_is_halved_and_a_lone_giant_is_kept_as_rejected(tmp_path, hall, kit):
    config = sync_config(tmp_path, hall.url, kit.TOKEN, batch_events=16)
    with Kiosk.build(config) as kiosk:
        rate(kiosk, 10)
        hall.max_events = 4
        result = kiosk.uploader().push()
        assert result.ok and result.sent == 10 and result.halved == 2
        assert [n for path, n in hall.requests] == [10, 5, 2, 2, 2, 2, 2]
        assert all(n <= 4 for path, n in hall.requests if path != "413")
        assert len(hall.events) == 10 and unsent(kiosk) == 0

        HeadlessApplicant(kiosk, print_wait=5).apply(kit.IB, demo_cards.load("adult"), kit.IB_ANSWERS)
        hall.max_bytes = 20_000  # smaller than one application with its PDFs
        result = kiosk.uploader().push()
        assert result.rejected == 1 and result.sent == 0
        [dead] = outbox.dead_events(kiosk.store)
        assert dead["kind"] == "application" and "too large" in dead["last_error"]
        assert outbox.backlog(kiosk.store).dead == 1


def test_clock_skew_between_kiosk_and_hall(tmp_path, hall, kit):
    behind = Clock(dt.datetime(2026, 11, 21, 10, 0))
    config = sync_config(tmp_path, hall.url, kit.TOKEN)
    hall.server_time = dt.datetime(2026, 11, 23, 13, 0).astimezone()  # the hall is 2 days 3 hours ahead
    with Kiosk.build(config, now=behind) as kiosk:
        rate(kiosk, 2)
        behind.moment -= dt.timedelta(hours=5)  # and the kiosk's clock is then set back
        uploader = kiosk.uploader()
        uploader.heartbeat()
        assert hall.heartbeats[-1]["oldest_unsent_s"] == 0.0, "an event 'in the future' is never a negative age"
        assert uploader.push().sent == 2
        assert {e["at"] for e in hall.events.values()} == {behind.moment.replace(hour=10).astimezone().isoformat()}
        uploader.heartbeat()
        skew = replies.sync_state(kiosk.store).clock_skew_s
        assert skew == -(2 * 86400 + 8 * 3600), "the skew is recorded for staff (kiosk sync --json, doctor)"


def test_doctor_lists_the_events_the_hall_rejected(tmp_path, hall, kit):
    config_file = kit.write_config(tmp_path / "kiosk.toml", tmp_path / "k", hall.url)
    with Kiosk.build(demo_config(tmp_path / "k")) as kiosk:
        rate(kiosk, 2)
        [bad, _] = [row["event_id"] for row in kiosk.store.select("SELECT event_id FROM outbox ORDER BY created_at")]
    hall.reject.add(bad)
    run = kit.run_kiosk("sync", "--config", config_file, "--wait", "0")
    assert run.returncode == 1 and "rejected by the hall: malformed body" in run.stderr
    doctor = kit.run_kiosk("doctor", "--config", config_file)
    [line] = [line for line in doctor.stdout.splitlines() if "hall sync" in line]
    assert line.startswith("PROBLEM") and "1 events rejected by the hall" in line and bad[:8] in line


def test_a_long_outage_leaves_no_batch_behind_in_memory(tmp_path, kit):
    """Each failed push against a hall that is away frees its batch at once. The failure's traceback held
    push()'s frame (the batch, its JSON) and that frame held the failure: a cycle only the rare full
    garbage collection freed, so a kiosk retrying through an outage grew by about a batch per try (+240 MB
    over 300 tries with 200 applications waiting). No frame of a finished push may outlive it."""
    with socket.socket() as sock:  # a port nobody listens on: the hall is away
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = sync_config(tmp_path, url, kit.TOKEN)
    pdf_b64 = base64.b64encode(bytes(range(256)) * 400).decode()
    with Kiosk.build(config) as kiosk:
        for index in range(5):
            outbox.add_event(kiosk.store, "application", {"number": f"N{index}", "documents": [{"pdf_b64": pdf_b64}]},
                             at="2026-11-21T10:00:00+08:00")
        uploader = kiosk.uploader(rng=lambda: 0.5)
        gc.collect()
        gc.disable()  # as between the interpreter's rare full collections
        try:
            for _ in range(3):
                result = uploader.push()
                assert result.error is not None and result.error.kind == "unreachable"
            alive = [thing.f_code.co_name for thing in gc.get_objects()
                     if inspect.isframe(thing) and thing.f_code.co_name in ("push", "_http", "post_json", "urlopen")]
        finally:
            gc.enable()
        assert not alive, f"frames of finished pushes still alive, holding their batches: {alive}"

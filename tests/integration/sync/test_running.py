"""The uploader thread of a running kiosk: a staff call reaches the hall at once and its ack comes back;
a heartbeat's reply lands in the store (hall status of each number, cursor, acks); stop is clean.

Waits are for conditions (the hall saw the call), each bounded by the promise it checks (2 s).
"""

from __future__ import annotations

import threading

from kiosk.app import Kiosk
from kiosk.config import SyncConfig, demo_config
from kiosk.effect_runner import EffectRunner
from kiosk.session import CallStaff
from kiosk.sync import replies


def test_a_staff_call_reaches_the_hall_within_two_seconds_and_its_ack_comes_back(tmp_path, hall, kit):
    config = demo_config(tmp_path / "k").model_copy(update={"sync": SyncConfig(url=hall.url, token=kit.TOKEN)})
    with Kiosk.build(config) as kiosk:
        uploader = kiosk.start_sync()
        assert hall.wait_for(lambda h: len(h.heartbeats) >= 1, 10), "the first heartbeat at start"
        runner = EffectRunner(kiosk)
        runner.execute(CallStaff("form", "500151-20261121-K01-0001"))
        call_id = runner.last_call_id
        assert hall.wait_for(lambda h: call_id in h.events, 2.0), "the call reached the hall within 2 s"
        assert kiosk.staff_call_state(call_id) in ("sending", "sent")
        with hall.lock:
            hall.acks.append({"call_id": call_id, "by": "王芳", "at": "2026-11-21T10:00:05+08:00"})
        reached = threading.Event()
        for _ in range(40):  # the kiosk polls every second while a call waits: wait for the hall to see it
            if kiosk.staff_call_state(call_id) == "acked":
                reached.set()
                break
            count = len(hall.heartbeats)
            hall.wait_for(lambda h, count=count: len(h.heartbeats) > count, 3)
        assert reached.is_set(), "the ack reached the screen's source"
        assert replies.call_ack(kiosk.store, call_id)["by_name"] == "王芳"
        kiosk.stop_sync()
        assert uploader._thread is None


def test_a_heartbeat_reply_lands_in_the_store(tmp_path, hall, kit):
    config = demo_config(tmp_path / "k").model_copy(update={"sync": SyncConfig(url=hall.url, token=kit.TOKEN)})
    notice = {"kind": "correction", "items": ["营业场所使用证明（租赁合同）"], "text": "请补正", "due": "2026-11-28"}
    with Kiosk.build(config) as kiosk:
        uploader = kiosk.uploader()
        hall.changes.append({"number": "N1", "state": "correction_requested", "outcome": "accepted",
                             "updated_at": "2026-11-21T11:00:00+08:00", "notice": notice, "pickup": None})
        assert uploader.heartbeat() == 1
        status = replies.hall_status(kiosk.store, "N1")
        assert status.state == "correction_requested" and status.notice == notice
        assert replies.sync_state(kiosk.store).cursor == 1
        hall.changes.append({"number": "N1", "state": "approved", "outcome": "approved",
                             "updated_at": "2026-11-22T09:00:00+08:00", "notice": None, "pickup": None})
        assert uploader.heartbeat() == 1, "only what changed since the cursor"
        assert hall.heartbeats[-1]["cursor"] == 1
        assert replies.hall_status(kiosk.store, "N1").state == "approved"
        hall.changes.append({"number": "N1", "state": "correction_requested", "outcome": "accepted",
                             "updated_at": "2026-11-21T12:00:00+08:00", "notice": notice, "pickup": None})
        uploader.heartbeat()
        assert replies.hall_status(kiosk.store, "N1").state == "approved", "an older change never wins"

"""The hall's answers on the touchscreen (kiosk.sync), through the real QML app offscreen.

The lookup page shows what the hall said about a number (here stored by `apply_heartbeat_reply`, the
function every heartbeat reply goes through; the HTTP side is tests/integration/sync): the 补正 notice
with its items, printable through the print queue (audited with its job), then the decision and pickup.
The footer's staff-call line is honest: the hall has it, staff answered, or the hall cannot be reached.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from idreader import demo_cards
from kiosk.config import SyncConfig, demo_config
from kiosk.headless import HeadlessApplicant
from kiosk.services.app_services import AppServices
from kiosk.sync.replies import apply_heartbeat_reply

IB = "individual-business-registration"
IB_ANSWERS = {"organisation_form": "个人经营", "proposed_name": "铜梁区巴川张记理发店", "business_scope": "理发服务",
              "business_address": "重庆市铜梁区巴川街道中兴路 90 号", "capital": 5, "employees": 2,
              "delivery": "窗口领取"}
NOTICE = {"kind": "correction", "items": ["经营场所使用证明（租赁合同复印件）", "经营者近期免冠照片"],
          "text": "请在期限内到 3 号窗口补正。", "due": "2026-11-28T17:00:00+08:00"}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def services(tmp_path, clock, kiosk_calendar) -> Iterator[AppServices]:
    """A kiosk whose hall cannot be reached (nothing listens on the port): the uploader runs and fails."""
    config = demo_config(tmp_path / "data").model_copy(update={"sync": SyncConfig(
        url=f"http://127.0.0.1:{closed_port()}", token="t")})
    built = AppServices(config, print_timeout=20.0, sync=True, **kiosk_calendar(clock))
    yield built
    built.close()


def reply(services, state: str, **change) -> None:
    apply_heartbeat_reply(services.store, {"cursor": 1, "server_time": None, "changes": [
        {"state": state, "updated_at": "2026-11-22T10:00:00+08:00", "notice": None, "pickup": None, **change}],
        "call_acks": []}, services.kiosk.now())


def page_texts(ui) -> list[str]:
    found, stack = [], [ui.window.contentItem()]
    while stack:
        item = stack.pop()
        if item.isVisible() and isinstance(item.property("text"), str):
            found.append(item.property("text"))
        stack.extend(item.childItems())
    return found


def query(ui, text: str) -> None:
    ui.item("lookupNumber").setProperty("text", text)
    ui.click("btnLookupQuery")
    ui.wait_until(lambda: not ui.bridge.lookupPage.busy and ui.bridge.lookupPage.message not in ("", "…"),
                  what="the lookup's answer")


def test_the_lookup_shows_the_halls_notice_prints_it_and_then_the_decision(kiosk_ui, services, tmp_path):
    ui = kiosk_ui
    result = HeadlessApplicant(services.kiosk, print_wait=20, pdfs=False).apply(
        IB, demo_cards.load("adult"), IB_ANSWERS)
    number = result.receipt_no
    ui.click("btnLookup")
    ui.wait_page("lookup")
    query(ui, number)
    assert "还没有" in ui.text("lookupHallState"), "nothing from the hall yet, said so"
    reply(services, "correction_requested", number=number, outcome="accepted", notice=NOTICE)
    query(ui, number)
    assert "需要补正" in ui.text("lookupHallState")
    shown = "\n".join(page_texts(ui))
    assert "1. 经营场所使用证明（租赁合同复印件）" in shown and "2. 经营者近期免冠照片" in shown
    assert "2026-11-28" in shown
    ui.grab(str(tmp_path / "lookup_hall_correction.png"))
    printed = services.printer.jobs_printed
    ui.click("btnPrintNotice")
    ui.wait_until(lambda: "补正通知已打印" in ui.text("lookupMessage"), 20, "the notice printed")
    assert services.printer.wait_for_jobs(printed + 1, 20) and services.printer.jobs_printed == printed + 1
    [job] = [row for row in services.store.print_jobs_for(number) if row["kind"] == "notice"]
    queued = [row for row in services.store.audit_rows() if row["event"] == "print.queued"
              and json.loads(row["detail"])["job"] == job["id"]]
    assert queued and f"print_job:{job['id']}" in queued[0]["digests"], "audited with records=[print_job:ID]"
    assert services.store.verify_audit().ok

    reply(services, "delivered", number=number, outcome="approved", updated_at="2026-11-30T10:00:00+08:00",
          pickup={"kind": "mail", "ems": "EA123456789CN"})
    query(ui, number)
    assert ui.text("lookupHallState") == "已出件"
    assert "EA123456789CN" in ui.text("lookupHallPickup")
    assert not ui.exists("btnPrintNotice"), "no notice to print any more"
    ui.grab(str(tmp_path / "lookup_hall_delivered.png"))


def test_the_staff_call_line_is_honest_about_the_hall(kiosk_ui, services, tmp_path):
    ui = kiosk_ui
    ui.click("callStaff")
    ui.wait_until(lambda: services.runner.last_call_id is not None, what="the call recorded")
    call_id = services.runner.last_call_id

    def footer_says(words: str) -> bool:
        shown = [text for text in page_texts(ui) if "☎ " in text]
        return any(words in text for text in shown)

    ui.wait_until(lambda: footer_says("大厅系统暂时连不上"), 20, "the unreachable hall said so")
    assert "已在本机发出呼叫信号" in ui.bridge.act.staff_call.words()
    apply_heartbeat_reply(services.store, {"call_acks": [{"call_id": call_id, "by": "王芳", "at": None}]},
                          services.kiosk.now())
    ui.wait_until(lambda: footer_says("工作人员已收到，马上过来"), 20, "the ack on screen")
    ui.grab(str(tmp_path / "footer_staff_acked.png"))
    row = services.store.select("SELECT kind, sent_at FROM outbox WHERE event_id = ?", (call_id,))[0]
    assert row["kind"] == "staff_call" and row["sent_at"] is None, "kept until the hall holds it"

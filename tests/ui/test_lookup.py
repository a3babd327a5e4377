"""扫码查询·补打 through the real QML app offscreen: a number shows only the masked status; a reprint
needs the holder's own ID card on the (simulated) reader, is audited, says 已补打 only once the
(emulated) printer confirmed it, and a burst of wrong numbers locks the lookup. The lookup's clock is
the test's FakeClock (injected through AppServices), so the lock and the idle time need no waiting."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.demo_registry import HOTEL_USCC
from idreader import demo_cards, mask_id_number
from kiosk.config import DEMO_ADMIN_PIN, demo_config
from kiosk.headless import HeadlessApplicant
from kiosk.reprint_policy import ThrottlePolicy
from kiosk.services.app_services import AppServices
from kiosk.services.technician import GESTURE_TAPS

PP = "public-place-health-permit"
POLICY = ThrottlePolicy(max_failures=5, window_seconds=180.0, lock_seconds=300.0)
PRINT_WAIT = 20.0


@pytest.fixture
def services(tmp_path, clock, kiosk_calendar) -> Iterator[AppServices]:
    """The conftest's services, with the lookup on the test's FakeClock too."""
    built = AppServices(demo_config(tmp_path / "data"), print_timeout=PRINT_WAIT, lookup_clock=clock.monotonic,
                        lookup_policy=POLICY, **kiosk_calendar(clock))
    yield built
    built.close()


def applied(services, clock) -> dict[str, str]:
    """张伟 (demo card `adult`) applies and his licence prints: his licence number and slip QR text."""
    today = clock.today()
    answers = {"staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
               "has_central_ac": "否", "hygiene_report_date": (today - dt.timedelta(days=50)).isoformat(),
               "hygiene_report_result": "合格"}
    result = HeadlessApplicant(services.kiosk, print_wait=PRINT_WAIT, pdfs=False).apply(
        PP, demo_cards.load("adult"), answers)
    assert result.decision == "approved" and result.print["status"] == "printed"
    assert services.printer.wait_for_jobs(1, PRINT_WAIT)
    return {"number": result.licence_no, "qr": result.qr}


def tap(ui, name: str) -> None:
    """Click `name` once a frame has been rendered since the last change, so the item's geometry is the
    laid-out one (a page or a list that just changed is polished on the next frame)."""
    ui.item(name)
    with ui.qtbot.waitSignal(ui.window.frameSwapped, timeout=5000):
        ui.window.update()
    ui.click(name)


def open_lookup(ui) -> None:
    tap(ui, "btnLookup")
    ui.wait_page("lookup")


def query(ui, text: str) -> None:
    ui.item("lookupNumber").setProperty("text", text)  # typed, or a scanner's keystrokes
    tap(ui, "btnLookupQuery")
    ui.wait_until(lambda: not ui.bridge.lookupPage.busy and ui.bridge.lookupPage.message not in ("", "…"),
                  what="the lookup's answer")


def page_texts(ui) -> list[str]:
    """Every text shown on the window (to prove what is never shown)."""
    found, stack = [], [ui.window.contentItem()]
    while stack:
        item = stack.pop()
        if item.isVisible() and isinstance(item.property("text"), str):
            found.append(item.property("text"))
        stack.extend(item.childItems())
    return found


def audit(services, event: str) -> list[dict]:
    return [json.loads(row["detail"]) | {"subject": row["subject"]}
            for row in services.store.audit_rows() if row["event"] == event]


def lay(ui, card: str, answered: str, timeout: float = PRINT_WAIT) -> None:
    """Lay a demo card on the simulated reader and wait for the page to answer with `answered`. A read
    that fails (a busy machine can miss the reader's reply) says 读卡失败，请重新放置身份证: the card is
    laid once more, as the holder would."""
    ui.services.demo_action("place_card", card)
    ui.wait_until(lambda: answered in ui.text("lookupMessage") or "读卡失败" in ui.text("lookupMessage"),
                  timeout, f"{answered!r} after laying {card}")
    if "读卡失败" in ui.text("lookupMessage"):
        ui.services.demo_action("lift_card")
        ui.services.demo_action("place_card", card)
        ui.wait_until(lambda: answered in ui.text("lookupMessage"), timeout, f"{answered!r} after laying {card} again")


def unlock_technician_panel(ui) -> None:
    """Five taps on the hall name, the demo PIN, and the panel's first job list."""
    for _ in range(GESTURE_TAPS):
        ui.click("hallName")
    ui.item("pinPad")
    for digit in DEMO_ADMIN_PIN:
        ui.click(f"pinKey_{digit}")
    tap(ui, "pinOk")
    ui.item("techPanel", timeout=PRINT_WAIT)
    ui.wait_until(lambda: not ui.tech.techBusy, timeout=PRINT_WAIT, what="the panel's job list")


def test_a_number_shows_only_the_masked_status(kiosk_ui, services, clock):
    ui = kiosk_ui
    licence = applied(services, clock)
    holder = demo_cards.load("adult")
    open_lookup(ui)
    query(ui, "500151-20200101-K01-9999")
    assert "没有找到" in ui.text("lookupMessage") and not ui.exists("lookupStatus")
    query(ui, licence["number"])
    assert ui.exists("lookupStatus")
    assert ui.text("lookupHolderName") == "张*"
    assert ui.text("lookupHolderId") == mask_id_number(holder.id_number)
    assert ui.text("lookupService") == services.catalog[PP].title
    assert "已办结" in ui.text("lookupState") and "已打印" in ui.text("lookupPrinted")
    record = services.store.find_application(licence["number"])  # the dates as the store recorded them
    assert ui.text("lookupDates") == f"{record.created_at[:10]} / {record.decided_at[:10]}"
    shown = "\n".join(page_texts(ui))
    assert holder.id_number not in shown and holder.name not in shown and holder.address not in shown
    assert services.printer.jobs_printed == 1, "looking up prints nothing"
    query(ui, licence["qr"])  # the slip's QR from a scanner: the same status
    assert ui.text("lookupNo") == licence["number"] and ui.text("lookupHolderName") == "张*"
    tap(ui, "btnBack")
    ui.wait_page("home")
    open_lookup(ui)
    assert not ui.exists("lookupStatus") and ui.text("lookupMessage") == "", "a new visit shows nothing"


def test_another_persons_card_cannot_reprint(kiosk_ui, services, clock):
    ui = kiosk_ui
    licence = applied(services, clock)
    open_lookup(ui)
    query(ui, licence["number"])
    tap(ui, "btnReprint")
    ui.wait_until(lambda: ui.bridge.lookupPage.awaitingCard)
    assert "本人的身份证" in ui.text("lookupMessage")
    lay(ui, "elderly", "不是该申请人的")  # 李德明's card for 张伟's licence: refused
    assert "只有申请人本人的身份证可以补打" in ui.text("lookupMessage")
    ui.wait_until(lambda: not ui.bridge.busy)
    assert services.printer.jobs_printed == 1 and len(services.kiosk.queue.jobs()) == 1, "nothing printed"
    (refused,) = audit(services, "print.reprint_refused")
    assert refused["reason"] == "not_holder" and refused["holder"]["name"] == "张*"
    assert refused["holder"]["id"] == mask_id_number(demo_cards.load("adult").id_number)
    assert refused["card"] == mask_id_number(demo_cards.load("elderly").id_number)
    rows = json.dumps(services.store.audit_rows(), ensure_ascii=False)
    assert demo_cards.load("elderly").id_number not in rows and demo_cards.load("adult").id_number not in rows
    assert audit(services, "print.reprinted") == []


def test_the_holders_card_reprints_once_and_says_so_only_when_printed(kiosk_ui, services, clock):
    ui = kiosk_ui
    licence = applied(services, clock)
    printer = services.printer
    open_lookup(ui)
    query(ui, licence["number"])
    services.demo_action("paper_out")
    tap(ui, "btnReprint")
    ui.wait_until(lambda: ui.bridge.lookupPage.awaitingCard)
    lay(ui, "adult", "缺纸")
    message = ui.text("lookupMessage")
    assert "已补打" not in message and "加纸后会自动补打" in message and "交由工作人员处理" in message
    ui.bridge.tick()
    ui.wait_until(lambda: not ui.bridge.busy)
    assert "已补打" not in ui.text("lookupMessage") and printer.jobs_printed == 1
    services.demo_action("paper_in")  # staff load paper while the holder waits: the reprint comes out
    assert printer.wait_for_jobs(2, PRINT_WAIT)

    def said_printed() -> bool:
        ui.bridge.tick()
        return "已补打" in ui.text("lookupMessage")

    ui.wait_until(said_printed, what="已补打 after the printer confirmed")
    assert licence["number"] in ui.text("lookupMessage")
    assert printer.jobs_printed == 2 and printer.jobs[1].data == printer.jobs[0].data, "one copy, same slip"
    (reprinted,) = audit(services, "print.reprinted")
    assert reprinted["holder"] == {"name": "张*", "id": mask_id_number(demo_cards.load("adult").id_number)}
    assert reprinted["reason"] == "holder's own ID card matched" and reprinted["by"] == "lookup"
    tap(ui, "btnBack")
    ui.wait_page("home")
    ui.wait_until(lambda: not ui.bridge.busy)
    assert [job.state for job in services.kiosk.queue.jobs()] == ["done", "done"], "nothing left to hold"


def test_leaving_with_the_reprint_unprinted_hands_it_to_the_technician(kiosk_ui, services, clock):
    ui = kiosk_ui
    licence = applied(services, clock)
    printer = services.printer
    open_lookup(ui)
    query(ui, licence["number"])
    services.demo_action("paper_out")
    tap(ui, "btnReprint")
    lay(ui, "adult", "缺纸")
    clock.advance(services.lookup_desk.idle_seconds + 1)  # the holder walks away
    ui.bridge.tick()
    ui.wait_page("home")
    ui.wait_until(lambda: not ui.bridge.busy)
    copy = services.kiosk.queue.jobs()[-1]
    assert copy.state == "held" and "held for a technician" in copy.last_error
    services.demo_action("paper_in")  # the paper comes back during the next visit: nothing prints by itself
    tap(ui, "btnBusiness")
    ui.wait_page("catalog")
    assert services.kiosk.queue.get(copy.id).state == "held" and printer.jobs_printed == 1
    assert [row["event"] for row in services.store.audit_rows()][-1] == "print.held"
    tap(ui, "btnBack")
    ui.wait_page("home")
    unlock_technician_panel(ui)  # the technician sees it and sends it: it prints once
    assert [(job["id"], job["state"]) for job in ui.tech.techJobs] == [(copy.id, "held")]
    assert "待技术员处理" in ui.text(f"jobText_{copy.id}")
    tap(ui, f"jobReprint_{copy.id}")
    ui.wait_until(lambda: not ui.tech.techBusy, timeout=PRINT_WAIT, what="the technician's retry")
    assert printer.wait_for_jobs(2, PRINT_WAIT)
    assert "已打印" in ui.text("techResult") and services.kiosk.queue.get(copy.id).state == "done"
    assert printer.jobs_printed == 2 and ui.tech.techJobs == []


def test_a_burst_of_wrong_numbers_locks_the_lookup(kiosk_ui, services, clock):
    ui = kiosk_ui
    licence = applied(services, clock)
    open_lookup(ui)
    for n in range(POLICY.max_failures - 1):
        query(ui, f"500151-20200101-K01-{n:04d}")
        assert "没有找到" in ui.text("lookupMessage")
        clock.advance(10)
    query(ui, "500151-20200101-K01-0099")
    assert "查询已暂停" in ui.text("lookupMessage") and "5 分钟" in ui.text("lookupMessage")
    query(ui, licence["number"])  # even the right number waits out the lock
    assert "查询已暂停" in ui.text("lookupMessage") and not ui.exists("lookupStatus")
    (locked,) = audit(services, "lookup.locked")
    assert locked["failures"] == 5 and locked["lock_s"] == 300.0
    clock.advance(POLICY.lock_seconds + 1)
    query(ui, licence["number"])
    assert ui.exists("lookupStatus") and ui.text("lookupHolderName") == "张*"
    assert len(audit(services, "lookup.locked")) == 1


def test_a_failed_read_asks_for_the_card_again(kiosk_ui, services, clock):
    ui = kiosk_ui
    licence = applied(services, clock)
    open_lookup(ui)
    query(ui, licence["number"])
    tap(ui, "btnReprint")
    ui.wait_until(lambda: ui.bridge.lookupPage.awaitingCard)
    page = ui.bridge.lookupPage
    said: list[str] = []  # every line the page showed: a later "place the card" may follow at once
    page.changed.connect(lambda: said.append(page.message))
    services.simulator.inject_fault("bad_checksum", count=2, on="read")  # the reader's retry fails too
    services.demo_action("place_card", "adult")
    ui.wait_until(lambda: any("读卡失败，请重新放置身份证" in line for line in said), what="the read-failed line")
    assert services.printer.jobs_printed == 1 and audit(services, "print.reprint_refused") == []
    assert ui.bridge.lookupPage.awaitingCard, "still waiting for the card"
    lay(ui, "adult", "已补打")  # laid again: read this time
    assert services.printer.wait_for_jobs(2, PRINT_WAIT) and services.printer.jobs_printed == 2


def test_a_lookup_while_the_kiosk_is_still_starting_says_so(qtbot):
    from kiosk.ui.app import build_ui
    from kiosk.ui.driver import UiDriver

    built = build_ui(None, tick_interval=None)  # the start screen shows before the services have loaded
    ui = UiDriver(built, None, None, qtbot)
    try:
        open_lookup(ui)
        query(ui, "500151-20261121-K01-0001")
        assert ui.text("lookupMessage") == "查询暂时无法使用，请呼叫工作人员。"
        assert ui.item("btnLookupQuery").isEnabled() and not ui.exists("lookupStatus")
    finally:
        built.close()


def test_one_code_prints_for_the_legal_representatives_card(kiosk_ui, services, clock):
    """一码通行 at 扫码查询: 李德明's card prints his 悦来宾馆's code (audited with its job); a card that
    represents no business prints nothing."""
    ui = kiosk_ui
    open_lookup(ui)
    tap(ui, "btnOneCode")
    ui.wait_until(lambda: "法定代表人" in ui.text("lookupMessage"), what="the request for the card")
    lay(ui, "elderly", "已打印一码通行：铜梁区悦来宾馆")
    assert services.printer.wait_for_jobs(1, PRINT_WAIT)
    (printed,) = audit(services, "onecode.printed")
    assert printed["card"] == mask_id_number("500151194211030050") and printed["permits"] == 2
    ui.services.demo_action("lift_card")
    tap(ui, "btnOneCode")
    lay(ui, "minor", "没有查到")
    assert len(audit(services, "onecode.printed")) == 1


def test_a_scanned_business_code_shows_the_businesss_permits(kiosk_ui, services, clock, tmp_path):
    """一码通行 code scanned into 扫码查询 (a scanner types its text): not "not found" but the business and
    every permit the code vouches for, the expired one marked — as `kiosk verify` reads it; no wrong
    look-up counted. The same code with a flipped character is this hall's BAD_QR."""
    from kiosk.onecode import business_claims, printable_code

    ui = kiosk_ui
    kiosk = services.kiosk
    claims = business_claims(kiosk.registry, kiosk.store, HOTEL_USCC, today=clock.today(), kiosk_id="K01")
    code = printable_code(claims, kiosk.signing_key)
    open_lookup(ui)
    query(ui, code)
    assert "铜梁区悦来宾馆的全部许可" in ui.text("lookupMessage")
    assert ui.exists("lookupBusiness") and not ui.exists("lookupStatus")
    assert ui.text("lookupBusinessName") == "铜梁区悦来宾馆"
    shown = " ".join(page_texts(ui))
    for permit in claims.permits:
        assert permit.item in shown and permit.number in shown
    assert "（已过期）" in shown and len(ui.items("lookupPermit_1")) == 1
    ui.grab(str(Path(os.environ.get("KIOSK_SHOTS") or tmp_path) / "lookup-business-code.png"))
    for _ in range(POLICY.max_failures):  # a business code is no wrong look-up: scanning it never locks
        query(ui, code)
    assert "铜梁区悦来宾馆的全部许可" in ui.text("lookupMessage") and audit(services, "lookup.locked") == []

    query(ui, code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:])
    assert "不是本厅签发" in ui.text("lookupMessage") and not ui.exists("lookupBusiness")

"""A visit through the real QML app leaves nothing of the applicant behind (issue 17): after visits end
(finished and rated, cancelled), back on the start screen, no Python object the garbage collector
tracks holds an applicant's name (the scan of tests/integration/kiosk/test_session_memory.py), and no
item in the window's tree shows or keeps it in a `text` property.

Each applicant gets a name no other data has (codepoints assembled at run time); the name is on the
form (来自身份证) while the visit lasts, which the test checks first so the scan cannot pass vacuously.
"""

from __future__ import annotations

import dataclasses

import shiboken6
from integration.kiosk.test_session_memory import holders_of, visit_name
from PySide6.QtCore import QObject, QTimer

from idreader import demo_cards
from kiosk.ui.player import fill_health_form, open_service, to_result


def all_items(ui) -> list[QObject]:
    """Every item of the window's visual tree (hidden ones too) and every QObject child of the window."""
    items, pending = [], [ui.window.contentItem()]
    while pending:
        item = pending.pop()
        items.append(item)
        pending.extend(item.childItems())
    return items + ui.window.findChildren(QObject)


def texts_holding(ui, names: list[str]) -> list[str]:
    """objectName/class of every item in the window whose `text` property holds one of `names`."""
    found = []
    for item in all_items(ui):
        text = item.property("text")
        if isinstance(text, str) and any(name in text for name in names):
            found.append(f"{item.objectName() or type(item).__name__}: {text[:60]}")
    return found


def lay(ui, services, index: int) -> None:
    services.simulator.place_card(dataclasses.replace(demo_cards.load("adult"), name=visit_name(index)))
    ui.wait_page("form")


def to_home(ui, services, clock) -> None:
    """The thank-you screen's few seconds pass (the tick from the event loop, as the app's timer sends
    it); the card is taken off the reader."""
    clock.advance(10)
    QTimer.singleShot(0, ui.bridge.tick)
    ui.wait_page("home")
    services.demo_action("lift_card")
    ui.wait_until(lambda: not ui.bridge.view["card_present"], what="the card to be lifted")


def test_qml_visits_leave_no_name_behind(kiosk_ui, services, clock):
    ui = kiosk_ui
    names = [visit_name(index) for index in range(3)]
    for index in range(2):  # finished: approved, printed, rated
        open_service(ui)
        lay(ui, services, index)
        assert texts_holding(ui, [names[index]]), "the name shows on the form while the visit lasts"
        fill_health_form(ui)
        to_result(ui)
        ui.click("btnConfirm")
        ui.wait_page("rating", timeout=30)
        ui.click("face_5")
        ui.click("btnRate")
        ui.wait_page("thanks")
        to_home(ui, services, clock)
    open_service(ui)  # the third applicant cancels midway
    lay(ui, services, 2)
    ui.type_into("field_staff_count", "3")
    ui.click("btnHome")
    ui.wait_until(lambda: ui.bridge.page == "home" or ui.exists("cancelYes"), what="the confirmation")
    if ui.bridge.page != "home":
        ui.click("cancelYes")
    ui.wait_page("home")
    services.demo_action("lift_card")
    ui.wait_until(lambda: not ui.bridge.view["card_present"], what="the card to be lifted")
    services.documents()  # the PDFs written on their own thread are done
    ui.settle()
    ui.ui.engine.collectGarbage()  # what QML's JavaScript heap still refers to is let go
    assert texts_holding(ui, names) == []
    assert services.runner._issued == {} and services.runner.last_job is None
    assert holders_of(names) == []


def test_a_visits_javascript_garbage_goes_when_it_ends(kiosk_ui, services):
    """QML's JavaScript heap is collected only under allocation pressure: without the housekeeping at the
    visit's end (kiosk.ui.housekeeping) its garbage stayed for many visits and the soak's memory grew.
    An object owned by the JavaScript heap and no longer reachable from it goes once the visit ends."""
    ui = kiosk_ui
    open_service(ui)
    services.demo_action("place_card", "adult")
    ui.wait_page("form")
    ui.type_into("field_staff_count", "3")
    ui.click("btnHome")
    ui.wait_until(lambda: ui.bridge.page == "home" or ui.exists("cancelYes"), what="the confirmation")
    gone: list[bool] = []
    garbage = QObject()
    garbage.destroyed.connect(lambda: gone.append(True))
    ui.ui.engine.newQObject(garbage)  # owned by JavaScript; the value is dropped at once: garbage
    runs = ui.ui.housekeeping.runs
    if ui.bridge.page != "home":
        ui.click("cancelYes")
    ui.wait_page("home")
    ui.wait_until(lambda: ui.ui.housekeeping.runs == runs + 1, what="the housekeeping after the visit")
    ui.wait_until(lambda: bool(gone), what="the visit's JavaScript garbage to be collected")
    assert not shiboken6.isValid(garbage)
    services.demo_action("lift_card")

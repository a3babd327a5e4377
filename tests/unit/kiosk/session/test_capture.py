"""The capture screen over the materials step: open it for a material, confirm a page or go Back; the page
travels in the draft, replaces a promise, and is wiped with the visit."""

from __future__ import annotations

import pytest

from kiosk.session import (
    Back,
    Cancelled,
    CaptureOpened,
    CommitmentConfirmed,
    Confirmed,
    DeliveryChosen,
    MaterialPromised,
    MaterialsConfirmed,
    Next,
    PageCaptured,
    SaveApplication,
    Step,
    view_dict,
)
from kiosk.session.errors import InvalidEventError

PNG = b"\x89PNG\r\n\x1a\n-page-of-the-floor-plan"


def test_capture_opens_over_the_materials_step_and_back_closes_it(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(CaptureOpened("平面图"))
    state = kiosk.state
    assert (state.step, state.screen, state.capturing) == (Step.MATERIALS, "capture", "平面图")
    view = view_dict(state)
    assert view["page"] == "capture" and view["buttons"]["back"] is True and view["capturing"] == "平面图"
    kiosk.send(Back())
    assert (kiosk.state.screen, kiosk.state.capturing, kiosk.state.material_pages) == ("materials", None, ())


def test_a_confirmed_page_replaces_the_promise_and_reaches_the_draft(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(MaterialPromised("平面图"), CaptureOpened("平面图"))
    kiosk.send(PageCaptured("平面图", PNG, 1240, 1754))
    state = kiosk.state
    assert state.screen == "materials" and state.captured == ("平面图",)
    assert state.materials_promised == ()
    assert view_dict(state)["materials_captured"] == ["平面图"]
    kiosk.send(CaptureOpened("平面图"), PageCaptured("平面图", PNG + b"-retaken", 1240, 1754))
    assert [p.png for p in kiosk.state.material_pages] == [PNG + b"-retaken"]  # one page per material
    effects = kiosk.send(MaterialsConfirmed(()), CommitmentConfirmed("agree"), Next(), DeliveryChosen("pickup"),
                         Confirmed())
    draft = next(e for e in effects if isinstance(e, SaveApplication)).draft
    assert [(p.material, p.width, p.height) for p in draft.material_pages] == [("平面图", 1240, 1754)]
    assert "png" not in repr(draft.material_pages[0]).lower().replace("materialpage", "")


def test_the_page_is_wiped_with_the_visit(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(CaptureOpened("平面图"), PageCaptured("平面图", PNG, 10, 14))
    assert kiosk.state.has_personal_data
    kiosk.send(Back(), Back(), Back())  # materials -> prereview -> form -> card: the page is kept
    assert kiosk.state.material_pages
    kiosk.send(Cancelled())
    assert kiosk.state.material_pages == () and kiosk.state.capturing is None


def test_only_a_material_asked_for_can_be_photographed(kiosk):
    kiosk.to(Step.MATERIALS)
    with pytest.raises(InvalidEventError):
        kiosk.send(CaptureOpened("房产证"))
    kiosk.send(CaptureOpened("平面图"))
    with pytest.raises(InvalidEventError):
        kiosk.send(PageCaptured("授权委托书", PNG))
    with pytest.raises(InvalidEventError):
        kiosk.send(PageCaptured("平面图", b""))


def test_materials_confirmed_unphotographed_and_unmarked_count_as_promised_where_the_item_allows(clock):
    """A spec's camera_or_promise material the applicant neither photographed nor marked is promised
    (告知承诺) once the materials are confirmed: the screen shows it marked, as the application says."""
    from unit.kiosk.session.conftest import SETTINGS, Driver, MiniCatalog

    from kiosk.session import ApplicantSession

    catalog = MiniCatalog()
    catalog.rules_for("mini-permit").promised_unless_photographed = frozenset({"平面图"})
    kiosk = Driver(ApplicantSession(catalog, clock, SETTINGS), clock)
    kiosk.to(Step.MATERIALS)
    kiosk.send(MaterialsConfirmed(()))
    assert kiosk.state.materials_promised == ("平面图",)
    assert view_dict(kiosk.state)["materials_promised"] == ["平面图"]

    photographed = Driver(ApplicantSession(catalog, clock, SETTINGS), clock)
    photographed.to(Step.MATERIALS)
    photographed.send(CaptureOpened("平面图"), PageCaptured("平面图", PNG, 1240, 1754), MaterialsConfirmed(()))
    assert photographed.state.materials_promised == ()  # the photo stands instead

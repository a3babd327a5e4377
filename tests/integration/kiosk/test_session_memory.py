"""A visit leaves nothing behind in memory (issue 17): after N applicants, nothing reachable from the
running process holds an applicant's name — not the kiosk's listeners, not the effect runner's records of
what it saved, not its last print job — and no effect runner of a finished headless visit is alive.

Applicants get a name no other data has (codepoints assembled at run time, so this module's own
constants never hold it); the scan walks every object the garbage collector tracks and looks for a
string or bytes (GBK, as on the slip) that contains it.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import weakref
from pathlib import Path

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.effect_runner import EffectRunner
from kiosk.headless import HeadlessApplicant
from kiosk.services.app_services import AppServices
from kiosk.session import (
    AnswersChanged,
    CardRead,
    CommitmentConfirmed,
    Confirmed,
    MaterialsConfirmed,
    Next,
    Rated,
    ServiceChosen,
)

ROOT = Path(__file__).resolve().parents[3]
PP = "public-place-health-permit"
# 钱 and a given name built from codepoints per visit: 钱多N (N = 一, 二, ...).
SURNAME, GIVEN, ORDINALS = 0x94B1, 0x591A, (0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D)
VISITS = 6


def visit_name(index: int) -> str:
    return "".join(map(chr, (SURNAME, GIVEN, ORDINALS[index])))


def answers() -> dict:
    return json.loads((ROOT / "assets/demo/answers" / f"{PP}.json").read_text(encoding="utf-8"))


def card(index: int):
    return dataclasses.replace(demo_cards.load("adult"), name=visit_name(index))


def holders_of(needles: list[str]) -> list[str]:
    """What still holds any of `needles`: a description per container that references a string holding
    one (other than the needles themselves), or bytes holding its GBK or UTF-8 form. Dicts and tuples of
    atomic values, which the collector does not track, are looked into through their holders."""
    gc.collect()
    encoded = [form for needle in needles for form in (needle.encode("gbk"), needle.encode("utf-8"))]
    own = {id(needles), id(encoded), *map(id, needles), *map(id, encoded)}

    def holds(ref: object) -> bool:
        if id(ref) in own:
            return False
        if isinstance(ref, str):
            return any(needle in ref for needle in needles)
        if isinstance(ref, bytes | bytearray):
            return any(form in ref for form in encoded)
        return False

    found = []
    for container in gc.get_objects():
        if id(container) in own:
            continue
        for ref in gc.get_referents(container):
            inner = gc.get_referents(ref) if isinstance(ref, dict | tuple) and not gc.is_tracked(ref) else ()
            if holds(ref) or any(holds(item) for item in inner):
                found.append(f"{type(container).__name__}: {repr(ref)[:80]}")
    return found


def test_the_scan_finds_a_name_that_is_still_held() -> None:
    kept = card(0)
    assert holders_of([visit_name(0)]) != []
    del kept


def test_headless_visits_leave_no_runner_and_no_name(tmp_path: Path) -> None:
    given = answers()
    with Kiosk.build(demo_config(tmp_path / "data")) as kiosk:
        runners = []
        for index in range(VISITS):
            applicant = HeadlessApplicant(kiosk, pdfs=False, print_wait=5)
            result = applicant.apply(PP, card(index), given)
            assert result.decision == "approved" and result.print["status"] == "printed", result
            runners.append(weakref.ref(applicant.runner))
            del applicant, result
        gc.collect()
        assert [ref for ref in runners if ref() is not None] == []  # the kiosk kept none of them
        assert len(kiosk._print_listeners) == 0
        assert holders_of([visit_name(i) for i in range(VISITS)]) == []


def test_a_closed_runner_no_longer_listens(tmp_path: Path) -> None:
    with Kiosk.build(demo_config(tmp_path / "data")) as kiosk:
        runner = EffectRunner(kiosk)
        assert len(kiosk._print_listeners) == 1
        runner.close()
        assert len(kiosk._print_listeners) == 0


def touchscreen_visit(services: AppServices, session, index: int, given: dict) -> None:
    """One applicant through the touchscreen's services (AppServices.execute, as the UI's worker does),
    from the service chosen to the rating that ends the visit (WipePersonalData)."""
    def send(event) -> None:
        pending = [event]
        while pending:
            for effect in session.handle(pending.pop(0)):
                pending.extend(services.execute(effect))

    send(ServiceChosen(PP))
    send(CardRead(card(index)))
    send(AnswersChanged(tuple(given.items())))
    send(Next())
    if session.state.step == "prereview":
        send(Next())
    if session.state.step == "materials":
        send(MaterialsConfirmed(()))
        send(CommitmentConfirmed("agree"))
        send(Next())
    assert session.state.step == "result", session.state.step
    send(Confirmed())
    assert session.state.step == "rating", session.state.step
    send(Rated(5))
    assert session.state.step == "thanks", session.state.step


def test_touchscreen_sessions_release_the_applicant(tmp_path: Path) -> None:
    given = answers()
    services = AppServices(demo_config(tmp_path / "data"), print_timeout=10)
    try:
        for index in range(VISITS):
            session = services.kiosk.new_session()
            touchscreen_visit(services, session, index, given)
            del session
        services.documents()  # the PDFs written on their own thread are done
        assert services.runner._issued == {} and services.runner.last_job is None
        assert holders_of([visit_name(i) for i in range(VISITS)]) == []
    finally:
        services.close()

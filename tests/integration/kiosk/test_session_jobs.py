"""An applicant's print job belongs to the applicant's visit, against the printer emulator over real TCP.

The touchscreen's services (kiosk.services.app_services.AppServices, Qt-free) run a real session over the real
composition root: reader simulator, SQLite store, print queue polling the emulator for paper every
0.25 s (the demo's queue settings). When the visit ends with its slip unprinted (paper out), the job is
held for the technician: it does not print when the paper comes back, nor during the next applicant's
visit, nor after a restart; `kiosk jobs` lists it and `kiosk jobs retry` prints it exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator

import pytest

from idreader import demo_cards
from kiosk.cli import main as kiosk_main
from kiosk.config import DeviceSettings, demo_config
from kiosk.services.app_services import AppServices
from kiosk.session import (
    AnswersChanged,
    ApplicantSession,
    Cancelled,
    CardRead,
    CommitmentConfirmed,
    Confirmed,
    Event,
    FakeClock,
    MaterialsConfirmed,
    Next,
    PrintFailed,
    PrintFinished,
    RetryPrint,
    ServiceChosen,
    WatchPrint,
)
from printers.emulator import EmulatedPrinter, EmulatorServer

PP = "public-place-health-permit"
WAIT = 10.0


@pytest.fixture
def emulator() -> Iterator[tuple[EmulatedPrinter, str]]:
    printer = EmulatedPrinter(render_png=False)
    with EmulatorServer(printer) as server:
        yield printer, server.url


def kiosk_config(data_dir, printer_url):
    config = demo_config(data_dir)
    return config.model_copy(update={"devices": DeviceSettings(reader="sim://", printer=printer_url,
                                                                 camera="sim://")})


class Visit:
    """One applicant at the touchscreen: session events in, effects run by the services (as the bridge
    does, without Qt)."""

    def __init__(self, services: AppServices, clock: FakeClock) -> None:
        self.services = services
        self.session = ApplicantSession(services.directory, clock)
        self.events: list[Event] = []

    def send(self, event: Event) -> None:
        pending = [event]
        while pending:
            for effect in self.session.handle(pending.pop(0)):
                if isinstance(effect, WatchPrint):  # the touchscreen waits for it on its own thread
                    continue
                produced = self.services.execute(effect)
                self.events.extend(produced)
                pending.extend(produced)

    def apply(self, card: str = "adult") -> Event:
        """Walk the health permit to the printed slip; the print's outcome (PrintFinished / PrintFailed)."""
        today = self.session.today()
        self.send(ServiceChosen(PP))
        self.send(CardRead(demo_cards.load(card)))
        self.send(AnswersChanged(tuple({
            "staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
            "has_central_ac": "否", "hygiene_report_date": (today - dt.timedelta(days=50)).isoformat(),
            "hygiene_report_result": "合格"}.items())))
        self.send(Next())
        self.send(Next())
        spec = self.services.catalog[PP]
        promised = tuple(m.name for m in spec.materials
                         if m.name in self.session.state.materials and m.how in ("promise", "camera_or_promise"))
        self.send(MaterialsConfirmed(promised))
        self.send(CommitmentConfirmed("agree"))  # the last act of the materials screen: on to the result
        assert self.session.state.step == "result", self.session.state.step
        self.send(Confirmed())
        return [event for event in self.events if isinstance(event, PrintFinished | PrintFailed)][-1]


def jobs_json(data_dir, capsys) -> list[dict]:
    capsys.readouterr()
    assert kiosk_main(["jobs", "--data-dir", str(data_dir), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_visit_ending_unprinted_hands_its_slip_to_the_technician(tmp_path, emulator, capsys, today,
                                                                  kiosk_calendar):
    printer, url = emulator
    data = tmp_path / "data"
    clock = FakeClock(today)
    services = AppServices(kiosk_config(data, url), print_timeout=WAIT, **kiosk_calendar(clock))
    try:
        printer.set_paper_out(True)
        first = Visit(services, clock)
        outcome = first.apply()
        assert isinstance(outcome, PrintFailed) and outcome.kind == "paper_out"
        (job,) = services.kiosk.queue.jobs()
        assert job.state == "queued"
        first.send(Cancelled())  # the applicant walks away from the paper-out screen: the visit is wiped
        held = services.kiosk.queue.get(job.id)
        assert held.state == "held" and "visit ended" in held.last_error
        first_payload = services.kiosk.queue.payload(job.id)

        printer.load_paper()  # the queue polls the printer every 0.25 s: it sees the paper come back
        second = Visit(services, clock)
        assert isinstance(second.apply(), PrintFinished), "the next applicant's slip prints"
        assert printer.wait_for_jobs(1, WAIT)
        second_job = services.kiosk.queue.jobs()[-1]
        assert [j.data for j in printer.jobs] == [services.kiosk.queue.payload(second_job.id)]
        assert services.kiosk.queue.get(job.id).state == "held", "never printed into the next visit"
        events = [(row["event"], row["subject"]) for row in services.store.audit_rows()]
        assert ("print.held", job.reference) in events
    finally:
        services.close()

    listing = {entry["id"]: entry for entry in jobs_json(data, capsys)}
    assert listing[job.id]["state"] == "held"
    assert f"kiosk jobs retry {job.id}" in listing[job.id]["attention"]
    assert listing[second_job.id]["attention"] is None
    assert printer.jobs_printed == 1

    assert kiosk_main(["jobs", "retry", str(job.id), "--data-dir", str(data), "--wait", str(WAIT)]) == 0
    assert printer.wait_for_jobs(2, WAIT)
    assert printer.jobs_printed == 2
    assert printer.jobs[1].data == first_payload, "the held slip itself, once"
    listing = {entry["id"]: entry for entry in jobs_json(data, capsys)}
    assert listing[job.id]["state"] == "done" and all(entry["attention"] is None for entry in listing.values())


def test_jobs_left_queued_by_an_earlier_run_are_held_at_start(tmp_path, emulator, today, kiosk_calendar):
    printer, url = emulator
    data = tmp_path / "data"
    clock = FakeClock(today)
    printer.set_paper_out(True)
    services = AppServices(kiosk_config(data, url), print_timeout=WAIT, **kiosk_calendar(clock))
    try:
        outcome = Visit(services, clock).apply()  # the kiosk is stopped before the paper comes back
        assert isinstance(outcome, PrintFailed)
    finally:
        services.close()
    printer.load_paper()
    restarted = AppServices(kiosk_config(data, url), print_timeout=WAIT, **kiosk_calendar(clock))
    try:
        (left,) = restarted.kiosk.queue.jobs()
        assert left.state == "held" and "restarted" in left.last_error
        assert isinstance(Visit(restarted, clock).apply(), PrintFinished)
        assert printer.wait_for_jobs(1, WAIT)
        assert printer.jobs_printed == 1 and restarted.kiosk.queue.get(left.id).state == "held"
    finally:
        restarted.close()


def test_a_watched_slip_reports_when_it_prints_and_a_wiped_visit_stops_the_watch(tmp_path, emulator, today,
                                                                                 kiosk_calendar):
    """WatchPrint (the touchscreen runs it on its own thread after paper-out was told): PrintFinished once
    the waiting slip printed; nothing once the visit ended and the slip was held."""
    printer, url = emulator
    clock = FakeClock(today)
    services = AppServices(kiosk_config(tmp_path / "data", url), print_timeout=WAIT, **kiosk_calendar(clock))
    try:
        printer.set_paper_out(True)
        visit = Visit(services, clock)
        assert isinstance(visit.apply(), PrintFailed)
        job = services.kiosk.queue.jobs()[-1]
        watched: list[list[Event]] = []
        watcher = threading.Thread(target=lambda: watched.append(services.execute(WatchPrint(job.id))))
        watcher.start()
        printer.load_paper()  # staff load paper: the queue sees it and prints the slip once
        watcher.join(WAIT)
        assert watched and [type(event) for event in watched[0]] == [PrintFinished]
        assert printer.wait_for_jobs(1, WAIT) and printer.jobs_printed == 1
        visit.send(watched[0][0])
        assert visit.session.state.step == "rating" and visit.session.state.printed_late

        printer.set_paper_out(True)
        second = Visit(services, clock)
        assert isinstance(second.apply(), PrintFailed)
        waiting = services.kiosk.queue.jobs()[-1]
        watched.clear()
        watcher = threading.Thread(target=lambda: watched.append(services.execute(WatchPrint(waiting.id))))
        watcher.start()
        second.send(Cancelled())  # the applicant leaves: the slip is held, and the watch ends with it
        watcher.join(WAIT)
        assert watched == [[]] and services.kiosk.queue.get(waiting.id).state == "held"
    finally:
        services.close()


def test_retry_while_the_paper_is_still_out_says_paper_out_at_once(tmp_path, emulator, today, kiosk_calendar):
    """重新打印 tapped before staff loaded paper: the printer still has none, and the applicant is told
    so again at once (not "the printer did not answer" after the whole print timeout)."""
    printer, url = emulator
    clock = FakeClock(today)
    services = AppServices(kiosk_config(tmp_path / "data", url), print_timeout=60.0, **kiosk_calendar(clock))
    try:
        printer.set_paper_out(True)
        visit = Visit(services, clock)
        assert isinstance(visit.apply(), PrintFailed)
        visit.events.clear()
        visit.send(RetryPrint())
        (outcome,) = [event for event in visit.events if isinstance(event, PrintFailed | PrintFinished)]
        assert isinstance(outcome, PrintFailed) and outcome.kind == "paper_out", outcome
        assert visit.session.state.step == "print_failed"
        printer.load_paper()  # then staff load paper: the same slip prints, once
        visit.events.clear()
        visit.send(RetryPrint())
        assert [type(event) for event in visit.events if isinstance(event, PrintFailed | PrintFinished)] \
            == [PrintFinished]
        assert printer.wait_for_jobs(1, WAIT) and printer.jobs_printed == 1
    finally:
        services.close()

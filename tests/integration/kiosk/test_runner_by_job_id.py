"""The effect runner prints the job a SubmitPrint names, through the print queue, against the printer
emulator over real TCP: a runner that did not make the save (a new visit's runner, or one built after a
restart) prints the named job exactly once, and the keyed audit stays whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.app import Kiosk
from kiosk.config import DeviceSettings, demo_config
from kiosk.effect_runner import EffectRunner
from kiosk.session import PrintFinished, SubmitPrint
from printers.emulator import EmulatedPrinter, EmulatorServer
from printers.vocabulary import JobState

WAIT = 10.0  # seconds a healthy printer may take; never reached when it works
SLIP = b"\x1b@slip for R-1\n"


@pytest.fixture
def emulator() -> Iterator[tuple[EmulatedPrinter, str]]:
    printer = EmulatedPrinter(render_png=False)
    with EmulatorServer(printer) as server:
        yield printer, server.url


@pytest.fixture
def kiosk(tmp_path, emulator) -> Iterator[Kiosk]:
    config = demo_config(tmp_path / "data")
    config = config.model_copy(update={"devices": DeviceSettings(reader="sim://", printer=emulator[1],
                                                                 camera="sim://")})
    with Kiosk.build(config) as built:
        yield built


def test_a_runner_prints_the_job_the_effect_names(kiosk, emulator):
    printer, url = emulator
    job_id = kiosk.store.enqueue_print_job(url, "R-1", "receipt", SLIP)  # as the save's commit queues it
    runner = EffectRunner(kiosk, print_timeout=WAIT)  # it did not save this application
    events = runner.execute(SubmitPrint("app-7", "R-1", None, "accepted", attempt=1, job_id=job_id))
    assert events == [PrintFinished(str(job_id))]
    assert kiosk.queue.get(job_id).state == JobState.DONE
    assert printer.wait_for_jobs(1, WAIT) and [job.data for job in printer.jobs] == [SLIP]
    again = runner.execute(SubmitPrint("app-7", "R-1", None, "accepted", attempt=2, job_id=job_id))
    assert again == [PrintFinished(str(job_id))] and printer.jobs_printed == 1  # never a second copy
    report = kiosk.store.verify_audit()
    assert report.ok and report.print_jobs_checked == 1, report.reason

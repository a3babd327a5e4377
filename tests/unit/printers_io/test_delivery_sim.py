"""deliver() and probe_status() against the in-process emulator (sim://): phases of a fault."""

import pytest

from printers.emulator import EmulatedPrinter
from printers.errors import CoverOpen, DeliveryFailed, PaperOut, PrinterConnectionLost
from printers.queue import QueueSettings
from printers.transports import TransportTimeouts, deliver, open_transport, probe_status

JOB = b"\x1b@\x1c&" + "受理回执：张三".encode("gbk") + b"\n" * 3 + b"\x1dV\x00"


@pytest.fixture
def printer():
    return EmulatedPrinter(capture_dir=None, render_png=False)


@pytest.fixture
def transport(printer):
    return open_transport("sim://", TransportTimeouts(status=0.05, write=0.05), sim_printer=printer)


def test_a_job_arrives_intact_without_the_status_queries(printer, transport):
    result = deliver(transport, JOB)
    assert result.bytes_sent == len(JOB)
    assert result.status_before.ready and result.status_after.ready
    assert [job.data for job in printer.jobs] == [JOB]
    assert printer.queries_answered == 6  # DLE EOT 1, 2, 4 before and after


@pytest.mark.parametrize(("fault", "cause"), [("set_paper_out", PaperOut), ("set_cover_open", CoverOpen)])
def test_not_ready_before_the_job_sends_nothing(printer, transport, fault, cause):
    getattr(printer, fault)(True)
    with pytest.raises(DeliveryFailed) as caught:
        deliver(transport, JOB)
    assert caught.value.phase == "before"
    assert isinstance(caught.value.cause, cause)
    assert printer.jobs == []


def test_a_drop_mid_job_is_phase_during(printer, transport):
    printer.drop_next_job(after_bytes=5)
    with pytest.raises(DeliveryFailed) as caught:
        deliver(transport, JOB)
    assert caught.value.phase == "during"
    assert isinstance(caught.value.cause, PrinterConnectionLost) and caught.value.cause.reset
    assert printer.jobs == [] and printer.dropped_jobs == 1


def test_a_stall_after_the_bytes_is_phase_after(printer, transport):
    printer.stall_next_job(after_bytes=len(JOB))
    with pytest.raises(DeliveryFailed, match="did not answer") as caught:
        deliver(transport, JOB)
    assert caught.value.phase == "after"


def test_probe_status_words(printer, transport):
    assert probe_status(transport).code == "ready"
    printer.set_paper_near_end(True)
    assert probe_status(transport).code == "paper-near-end"
    printer.set_stalled(True)
    status = probe_status(transport)
    assert status.code == "no-answer" and not status.ready


def test_file_and_cups_cannot_report_status(tmp_path):
    assert probe_status(open_transport(f"file://{tmp_path}/out.bin")).code == "no-answer"
    assert "cannot report" in probe_status(open_transport("cups://receipt")).describe_en()


def test_backoff_grows_and_is_capped():
    settings = QueueSettings(backoff_initial=1.0, backoff_factor=3.0, backoff_max=10.0)
    assert [settings.backoff(n) for n in (1, 2, 3, 4)] == [1.0, 3.0, 9.0, 10.0]

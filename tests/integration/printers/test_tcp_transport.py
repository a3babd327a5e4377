"""tcp:// against the emulator over real sockets: bytes intact, status words, faults, silent peers."""

import socket

import pytest

from printers.errors import DeliveryFailed, PrinterConnectionLost, PrinterTimeout, PrinterUnreachable
from printers.escpos_interpreter import decode_text
from printers.transports import TransportTimeouts, deliver, open_transport, probe_status

TIMEOUTS = TransportTimeouts(connect=1.0, status=0.3, write=2.0)


@pytest.mark.parametrize("variant", ["test_page_bytes", "raster_bytes"])
def test_bytes_arrive_intact(server, printer, variant, request):
    data = request.getfixturevalue(variant)
    result = deliver(open_transport(server.url, TIMEOUTS), data)
    assert result.status_after.ready
    assert printer.wait_for_jobs(1, timeout=5)
    job = printer.jobs[0]
    assert job.data == data  # the status queries around the job are not part of it
    assert job.bin_path.read_bytes() == data
    if variant == "test_page_bytes":
        assert any("政务服务" in line for line in decode_text(job.data))


def test_status_words_for_each_fault(server, printer):
    transport = open_transport(server.url, TIMEOUTS)
    assert probe_status(transport).describe_zh() == "打印机就绪"
    printer.set_paper_near_end(True)
    assert probe_status(transport).code == "paper-near-end"
    printer.set_paper_out(True)
    assert probe_status(transport).code == "paper-out"
    printer.load_paper()
    printer.set_cover_open(True)
    status = probe_status(transport)
    assert (status.code, status.ready) == ("cover-open", False)
    assert "机盖" in status.describe_zh()
    printer.set_cover_open(False)
    assert probe_status(transport).ready


def test_a_drop_mid_job_is_reported_as_during(server, printer, test_page_bytes):
    printer.drop_next_job(after_bytes=20)
    with pytest.raises(DeliveryFailed) as caught:
        deliver(open_transport(server.url, TIMEOUTS), test_page_bytes)
    assert caught.value.phase == "during"
    assert isinstance(caught.value.cause, PrinterConnectionLost)
    assert printer.dropped_jobs == 1 and printer.jobs == []


def test_a_stalled_printer_times_out_before_sending(server, printer, test_page_bytes):
    printer.set_stalled(True)
    with pytest.raises(DeliveryFailed) as caught:
        deliver(open_transport(server.url, TIMEOUTS), test_page_bytes)
    assert caught.value.phase == "before"  # ended by the 0.3 s status timeout (named below), not measured
    assert isinstance(caught.value.cause, PrinterTimeout)
    assert "did not answer status query 10 04 01 within 0.3 s" in str(caught.value)


def test_a_silent_listener_is_an_error_not_paper_ok():
    with socket.create_server(("127.0.0.1", 0)) as listener:  # accepts (backlog) but never answers
        port = listener.getsockname()[1]
        status = probe_status(open_transport(f"tcp://127.0.0.1:{port}", TIMEOUTS))
    assert status.code == "no-answer" and not status.ready
    assert f"within {TIMEOUTS.status:g} s" in status.fault  # ended by the status timeout, not measured


def test_nothing_listening_is_unreachable():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
    with pytest.raises(DeliveryFailed) as caught:
        deliver(open_transport(f"tcp://127.0.0.1:{port}", TIMEOUTS), b"\x1b@x")
    assert caught.value.phase == "before" and isinstance(caught.value.cause, PrinterUnreachable)

"""serial:// through a real pseudo-terminal: the same transport code a USB-serial printer uses."""

import os

import pytest

from printers.emulator import EmulatedPrinter, SerialLink
from printers.errors import DeliveryFailed, PaperOut
from printers.transports import TransportTimeouts, deliver, open_transport, probe_status


@pytest.fixture
def pty_printer():
    master, slave = os.openpty()
    printer = EmulatedPrinter(384, render_png=False)
    link = SerialLink(printer, master)
    link.start()
    yield printer, os.ttyname(slave)
    printer.close()
    link.stop()
    os.close(slave)
    os.close(master)


def test_a_job_over_a_pty(pty_printer, test_page_bytes):
    printer, port = pty_printer
    transport = open_transport(f"serial://{port}?baudrate=115200", TransportTimeouts(status=1.0))
    result = deliver(transport, test_page_bytes)
    assert result.status_after.ready
    assert printer.wait_for_jobs(1, timeout=5)
    assert printer.jobs[0].data == test_page_bytes  # binary-clean: no newline translation on the line
    assert printer.jobs[0].ended_by == "cut"


def test_status_and_paper_out_over_a_pty(pty_printer):
    printer, port = pty_printer
    transport = open_transport(f"serial://{port}", TransportTimeouts(status=1.0))
    assert probe_status(transport).code == "ready"
    printer.set_paper_out(True)
    assert probe_status(transport).code == "paper-out"
    with pytest.raises(DeliveryFailed) as caught:
        deliver(transport, b"\x1b@x\x1dV\x00")
    assert isinstance(caught.value.cause, PaperOut)


def test_a_missing_serial_port_is_unreachable(tmp_path):
    status = probe_status(open_transport(f"serial://{tmp_path}/ttyNONE"))
    assert status.code == "no-answer"
    assert "cannot open serial printer" in status.fault

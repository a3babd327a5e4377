"""file:// writes raw bytes to a file; cups:// without `lp` fails with a clear reason."""

import pytest

from printers.errors import DeliveryFailed
from printers.transports import TransportTimeouts, deliver, open_transport
from printers.transports.cups import CupsTransport
from printers.url import parse_printer_url


def test_file_transport_appends_each_job(tmp_path, print_queue):
    target = tmp_path / "lp0"
    first = print_queue.submit(f"file://{target}", b"\x1b@one\n")
    second = print_queue.submit(f"file://{target}", b"\x1b@two\n")
    assert print_queue.wait(first, timeout=5).state == "done"
    assert print_queue.wait(second, timeout=5).state == "done"
    assert target.read_bytes() == b"\x1b@one\n\x1b@two\n"


def test_file_transport_missing_directory_fails(tmp_path, print_queue):
    job = print_queue.wait(print_queue.submit(f"file://{tmp_path}/no/such/dir/lp0", b"x"), timeout=5)
    assert job.state == "failed" and "cannot open printer device" in job.last_error


def test_cups_without_lp_is_unreachable():
    transport = CupsTransport(parse_printer_url("cups://receipt"), TransportTimeouts(),
                              lp_command="lp-command-that-does-not-exist")
    with pytest.raises(DeliveryFailed, match="install the cups-client package") as caught:
        deliver(transport, b"x")
    assert caught.value.phase == "before"
    assert open_transport("cups://receipt").can_read_status is False

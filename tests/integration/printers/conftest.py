"""Fixtures for printer integration tests: a real TCP emulator, a queue on a real SQLite file."""

import queue as queue_module

import pytest

from printers.emulator import EmulatedPrinter, EmulatorServer
from printers.escpos_render import render_escpos
from printers.layouts import test_page
from printers.profiles import get_profile
from printers.queue import PrintQueue, QueueSettings, open_database
from printers.transports import TransportTimeouts

FAST = QueueSettings(max_attempts=3, backoff_initial=0.01, backoff_max=0.05, paper_poll_interval=60.0,
                     stop_timeout=5.0, timeouts=TransportTimeouts(connect=1.0, status=0.3, write=2.0))


@pytest.fixture
def printer(tmp_path):
    printer = EmulatedPrinter(576, tmp_path / "capture", render_png=False)
    yield printer
    printer.close()


@pytest.fixture
def server(printer):
    server = EmulatorServer(printer, "127.0.0.1", 0)
    server.start()
    yield server
    printer.close()
    server.stop()


@pytest.fixture
def events():
    return queue_module.Queue()


@pytest.fixture
def print_queue(tmp_path, events):
    db = open_database(tmp_path / "kiosk.db")
    print_queue = PrintQueue(db, settings=FAST, on_event=events.put)
    print_queue.start()
    yield print_queue
    print_queue.stop()
    db.conn.close()


@pytest.fixture(scope="session")
def test_page_bytes():
    profile = get_profile("generic-80")
    return render_escpos(test_page(profile), profile, "text")


@pytest.fixture(scope="session")
def raster_bytes():
    profile = get_profile("generic-80")
    return render_escpos(test_page(profile), profile, "raster")


@pytest.fixture
def fast_settings():
    return FAST


@pytest.fixture
def next_event(events):
    def next_event(job_id, predicate, timeout=5.0):
        """The next JobEvent for job_id that satisfies predicate (waits on the queue, never sleeps)."""
        while True:
            event = events.get(timeout=timeout)
            if event.job.id == job_id and predicate(event):
                return event

    return next_event

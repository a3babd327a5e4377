"""The real driver against the simulator through a real pty and through socket://."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from idreader import demo_cards
from idreader.errors import ReaderTimeout
from idreader.ports import open_reader_port
from idreader.protocol import Sw3
from idreader.reader import (
    CardDetected,
    CardRead,
    CardReader,
    CardRemoved,
    ReaderEvent,
    ReaderFault,
    ReaderLink,
    ReaderReady,
    ReaderSettings,
    read_one_card,
)
from idreader.simulator import PtyServer, SimulatedReader, TcpServer

# Real protocol timing, shortened so fault tests stay quick (a read takes ~0.12 s at 115200), with
# room for a loaded 2-core machine: the simulator thread may wait its turn for a few hundred ms.
FAST = ReaderSettings(short_timeout=0.6, read_timeout=1.2, poll_interval=0.3,
                      reopen_backoff_initial=0.1, reopen_backoff_max=0.4, stop_timeout=2.0)
EVENT_TIMEOUT = 6.0


class Served:
    def __init__(self, sim: SimulatedReader, server: PtyServer | TcpServer, transport: str) -> None:
        self.transport = transport
        self.sim = sim
        self.server = server
        self.url = server.url


def serve(transport: str, sim: SimulatedReader) -> PtyServer | TcpServer:
    return (PtyServer(sim) if transport == "pty" else TcpServer(sim)).start()


@pytest.fixture(params=["pty", "tcp"])
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    sim = SimulatedReader()
    server = serve(request.param, sim)
    yield Served(sim, server, request.param)
    server.stop()


@pytest.fixture
def pty_served() -> Iterator[Served]:
    sim = SimulatedReader()
    server = serve("pty", sim)
    yield Served(sim, server, "pty")
    server.stop()


@pytest.fixture
def tcp_served() -> Iterator[Served]:
    sim = SimulatedReader()
    server = serve("tcp", sim)
    yield Served(sim, server, "tcp")
    server.stop()


@pytest.fixture
def start_reader() -> Iterator:
    readers: list[CardReader] = []

    def start(url: str, settings: ReaderSettings = FAST) -> CardReader:
        reader = CardReader(url, settings=settings).start()
        readers.append(reader)
        return reader

    yield start
    for reader in readers:
        assert reader.stop(), "the reader thread did not stop in time"


def next_event(reader: CardReader, kind: type, timeout: float = EVENT_TIMEOUT) -> ReaderEvent:
    """The next event of `kind`; fails on timeout and on any unexpected event type in between."""
    return take_until(reader, kind, timeout)[-1]


def take_until(reader: CardReader, kind: type, timeout: float = EVENT_TIMEOUT) -> list[ReaderEvent]:
    """Events up to and including the first of `kind` (fails if none comes within `timeout`)."""
    seen: list[ReaderEvent] = []
    while True:
        try:
            event = reader.events.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no {kind.__name__} within {timeout} s; saw {seen}")
        seen.append(event)
        if isinstance(event, kind):
            return seen



def drain(reader: CardReader) -> list[ReaderEvent]:
    """The events already queued (without waiting)."""
    seen: list[ReaderEvent] = []
    while not reader.events.empty():
        seen.append(reader.events.get_nowait())
    return seen


def assert_same_card(event: CardRead, name: str) -> None:
    assert event.card.without_photo() == demo_cards.get(name)
    assert event.card.photo_wlt[:3] == b"WLf" and len(event.card.photo_wlt) == 1024


def test_every_demo_card_round_trips(served, start_reader):
    reader = start_reader(served.url)
    ready = next_event(reader, ReaderReady)
    assert ready.sam_id == "05.01-20101009-0000012345-1234567890"
    # every card through the pty; over TCP the same driver code, so three cards suffice
    names = demo_cards.names() if served.transport == "pty" else ("adult", "hmt", "foreign2023")
    for index, name in enumerate(names):
        served.sim.place_card(name)  # swapping cards: the old one leaves, the new one arrives
        events = take_until(reader, CardRead)
        assert_same_card(events[-1], name)
        # 正在读取 can show before the read: CardDetected comes first, once per card
        assert [type(e) for e in events[:-1]] == ([CardRemoved] if index else []) + [CardDetected]
        assert 0 < events[-1].seconds < FAST.read_timeout  # lay to read, measured by the driver
    served.sim.remove_card()
    next_event(reader, CardRemoved)


def test_a_card_left_on_the_reader_is_reported_once(tcp_served, start_reader):
    served = tcp_served
    served.sim.place_card("adult")
    reader = start_reader(served.url)
    assert_same_card(next_event(reader, CardRead), "adult")
    seen = served.sim.requests_seen
    assert served.sim.wait_for_requests(seen + 4, timeout=5)  # two more polls (find + select)
    assert reader.events.empty()
    served.sim.remove_card()
    next_event(reader, CardRemoved)
    served.sim.place_card("adult")
    assert_same_card(next_event(reader, CardRead), "adult")


def test_one_silent_poll_is_asked_again_without_a_fault(tcp_served, start_reader):
    served = tcp_served
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault("silence", on="find")  # one reply lost on a busy line (the soak's visit 116)
    served.sim.place_card("adult")
    events = take_until(reader, CardRead)
    assert not any(isinstance(e, ReaderFault) for e in events), events
    assert served.sim.armed_faults == []  # the silence was served: the card was found by the poll after it


def test_silence_that_lasts_gives_a_fault_and_the_driver_recovers(tcp_served, start_reader):
    served = tcp_served
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault("silence", count=2, on="find")
    fault = next_event(reader, ReaderFault)
    assert (fault.kind, fault.recoverable) == ("no_response", True)
    assert "no reply" in fault.detail and fault.message_zh
    next_event(reader, ReaderReady)
    served.sim.place_card("minor")
    assert_same_card(next_event(reader, CardRead), "minor")


def test_garbage_before_the_header_is_skipped(served, start_reader):
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault("garbage", on="read")
    served.sim.place_card("elderly")
    events = take_until(reader, CardRead)
    assert_same_card(events[-1], "elderly")
    assert not any(isinstance(e, ReaderFault) for e in events)


@pytest.mark.parametrize("fault", ["bad_checksum", "truncated", "silence"])
def test_one_spoilt_read_is_read_again_without_a_fault(served, start_reader, fault):
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault(fault, on="read")
    served.sim.place_card("expired")
    events = take_until(reader, CardRead)
    assert_same_card(events[-1], "expired")
    assert served.sim.armed_faults == []  # the spoilt reply was sent, and the card read after it
    assert [type(e) for e in events] == [CardDetected, CardRead]  # no fault, no "card removed" on the way


@pytest.mark.parametrize("fault", ["bad_checksum", "truncated"])
def test_a_read_that_stays_spoilt_is_a_reader_fault(served, start_reader, fault):
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault(fault, count=2, on="read")
    served.sim.place_card("expired")
    events = take_until(reader, ReaderFault)
    assert [type(e) for e in events] == [CardDetected, ReaderFault]
    fault_event = events[-1]
    assert (fault_event.kind, fault_event.recoverable) == ("read_failed", True)
    assert fault_event.message_zh.startswith("读卡失败，请重新放置")
    assert fault_event.detail.startswith("reader fault: 2 reads of the card in place failed")
    assert served.sim.current_card is not None  # the card stayed: not reported as removed
    seen = served.sim.requests_seen
    assert served.sim.wait_for_requests(seen + 4, timeout=5)  # two more polls: nothing new to report
    assert all(isinstance(e, ReaderReady) for e in drain(reader))
    served.sim.remove_card()
    next_event(reader, CardRemoved)
    served.sim.place_card("expired")
    assert_same_card(next_event(reader, CardRead), "expired")


def test_card_lifted_mid_read(served, start_reader):
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault("lift_mid_read")
    served.sim.place_card("hmt")
    events = take_until(reader, CardRemoved)
    assert [type(e) for e in events] == [CardDetected, ReaderFault, CardRemoved]
    fault = events[1]
    assert (fault.kind, fault.recoverable) == ("card_lifted", True)
    assert "请放回证件" in fault.message_zh and "读卡失败" not in fault.message_zh
    served.sim.place_card("hmt")
    assert_same_card(next_event(reader, CardRead), "hmt")


def test_one_corrupted_find_reply_is_asked_again_two_are_a_fault(tcp_served, start_reader):
    served = tcp_served
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault("bad_checksum", on="find")
    seen = served.sim.requests_seen
    assert served.sim.wait_for_requests(seen + 3, timeout=5)
    assert served.sim.armed_faults == [] and reader.events.empty()
    served.sim.inject_fault("bad_checksum", count=2, on="find")
    fault = next_event(reader, ReaderFault)
    assert fault.kind == "bad_frame" and "checksum" in fault.detail
    next_event(reader, ReaderReady)
    served.sim.place_card("adult")
    assert_same_card(next_event(reader, CardRead), "adult")


def test_sam_self_test_failure_needs_staff_then_recovers(tcp_served, start_reader):
    served = tcp_served
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault("sam_failure")
    fault = next_event(reader, ReaderFault)
    assert (fault.kind, fault.recoverable) == ("sam_failure", False)
    assert "0x60" in fault.detail
    served.sim.clear_faults()
    next_event(reader, ReaderReady)
    served.sim.place_card("foreign2017")
    assert_same_card(next_event(reader, CardRead), "foreign2017")


def test_sam_failure_at_start(tcp_served, start_reader):
    tcp_served.sim.inject_fault("sam_failure")
    reader = start_reader(tcp_served.url)
    assert next_event(reader, ReaderFault).kind == "sam_failure"
    tcp_served.sim.clear_faults()
    next_event(reader, ReaderReady)


def test_lost_connection_is_reopened_and_reported(tcp_served, start_reader):
    served = tcp_served
    reader = start_reader(served.url)
    next_event(reader, ReaderReady)
    served.sim.inject_fault("disconnect", on="find")
    fault = next_event(reader, ReaderFault)
    assert (fault.kind, fault.recoverable) == ("port_lost", True)
    next_event(reader, ReaderReady)
    assert served.server.connections == 2
    served.sim.place_card("foreign2023")
    assert_same_card(next_event(reader, CardRead), "foreign2023")


def test_unreachable_port_is_reported_and_stop_interrupts_the_backoff(start_reader, tcp_served):
    url = tcp_served.url
    tcp_served.server.stop()  # nothing listens there any more
    # the reader waits 10 minutes before reopening: stop() ends it at once, long before its own stop_timeout
    reader = start_reader(url, replace(FAST, reopen_backoff_initial=600.0, reopen_backoff_max=600.0,
                                       stop_timeout=30.0))
    fault = next_event(reader, ReaderFault)
    assert fault.kind == "port_unavailable" and fault.recoverable
    assert reader.stop(), "the reader thread ended within stop_timeout, not after the 600 s backoff"


def test_stop_does_not_hang_on_a_silent_reader(served):
    served.sim.inject_fault("silence", count=1000)
    # every reply is awaited 10 minutes: stop() must cut the wait short, not wait it out
    reader = CardReader(served.url, settings=ReaderSettings(read_timeout=600.0, short_timeout=600.0,
                                                            stop_timeout=30.0)).start()
    assert served.sim.wait_for_requests(1, timeout=5)
    assert reader.stop(), "the reader thread ended within stop_timeout, not after the 600 s reply timeout"


def test_events_reach_the_callback_on_the_reader_thread(served):
    seen: queue.Queue = queue.Queue()
    reader = CardReader(served.url, settings=FAST,
                        on_event=lambda event: seen.put((event, threading.current_thread().name)))
    reader.start()
    try:
        served.sim.place_card("adult")
        while True:
            event, thread = seen.get(timeout=5)
            assert thread.startswith("idreader ")
            if isinstance(event, CardRead):
                break
    finally:
        assert reader.stop()


def test_sim_url_reader_with_controls_and_diagnostics(start_reader):
    reader = start_reader("sim://?card=rare_char")
    assert_same_card(next_event(reader, CardRead), "rare_char")
    assert reader.diagnose() == {"sam_status": "0x90", "sam_id": "05.01-20101009-0000012345-1234567890"}
    reader.simulator.place_card(demo_cards.get("longterm"))
    read = next_event(reader, CardRead)
    assert read.card.valid_to is None
    assert reader.simulator.current_card.name == "王秀兰"


def test_read_one_card_blocking_helper():
    card = read_one_card("sim://?card=foreign2023", timeout=5)
    assert card.without_photo() == demo_cards.get("foreign2023")
    assert card.name_en == "KHAN MUHAMMAD ALI ABDULLAH RAHMAN SIDDIQUI"


def test_read_one_card_times_out_with_no_card():
    with pytest.raises(ReaderTimeout, match="no card"):
        read_one_card("sim://", timeout=0.8)


def test_status_code_of_a_healthy_sam():
    opened = open_reader_port("sim://")
    try:
        link = ReaderLink(opened.port)
        assert link.sam_status() == Sw3.SUCCESS
        assert link.reset_sam() == Sw3.SUCCESS
        assert not link.find()
    finally:
        opened.close()


def test_a_reply_that_stops_is_cut_at_once_not_after_the_read_timeout(served, start_reader):
    """A card lifted mid-read stops the reply; with a read timeout far longer than the event wait, the
    lift can only be told in time because the stopped reply is cut after `reply_gap`."""
    reader = start_reader(served.url, replace(FAST, read_timeout=60.0, reply_gap=0.25))
    next_event(reader, ReaderReady)
    served.sim.inject_fault("lift_mid_read")
    served.sim.place_card("adult")
    events = take_until(reader, CardRemoved, timeout=EVENT_TIMEOUT)
    assert [type(e) for e in events] == [CardDetected, ReaderFault, CardRemoved]
    assert events[1].kind == "card_lifted"


def test_reader_settings_are_checked():
    with pytest.raises(ValueError, match="reply_gap"):
        ReaderSettings(reply_gap=0)
    with pytest.raises(ValueError, match="poll_interval"):
        ReaderSettings(poll_interval=0.05)
    with pytest.raises(ValueError, match="silences_before_fault"):
        ReaderSettings(silences_before_fault=0)
    with pytest.raises(ValueError, match="silences_before_fault"):
        ReaderSettings(silences_before_fault=4, timeouts_before_reopen=3)

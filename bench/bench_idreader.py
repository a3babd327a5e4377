"""Benchmarks of the ID-card reader path; run `.venv/bin/python bench/bench_idreader.py`.

1. Decode latency: from the last byte of a 30 01 read reply reaching the FrameDecoder to the decoded
   IdCard (goal: median <= 2 ms).
2. Full find + select + read through the simulator on a real pty (and socket://) at 115200 bps,
   divided by the wire time of every byte exchanged (goal: <= 1.25). Also once at 9600 bps.
"""

from __future__ import annotations

import statistics
import time

import serial
from figures import report

from idreader import demo_cards
from idreader.cards import decode_read_reply, encode_text_block
from idreader.photo import placeholder_wlt
from idreader.protocol import Command, FrameDecoder, encode_read_response, request
from idreader.reader import ReaderLink, ReaderSettings
from idreader.simulator import PtyServer, SimulatedReader, TcpServer, wire_seconds

DECODE_RUNS = 3000
SEQUENCE_RUNS = 15


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_decode() -> None:
    reply = encode_read_response(encode_text_block(demo_cards.get("foreign2023")), placeholder_wlt())
    samples = []
    for _ in range(DECODE_RUNS):
        decoder = FrameDecoder()
        decoder.feed(reply[:-1])
        assert decoder.next_frame() is None
        started = time.perf_counter()
        decoder.feed(reply[-1:])
        card = decode_read_reply(decoder.next_frame())
        samples.append(time.perf_counter() - started)
    assert card.name == "阿里"
    ms = [s * 1000 for s in samples]
    print(
        f"decode last byte -> IdCard: median {statistics.median(ms):.3f} ms,"
        f" p95 {percentile(ms, 0.95):.3f} ms, max {max(ms):.3f} ms over {DECODE_RUNS} runs"
        " (goal median <= 2 ms)"
    )
    report("card decode, last byte -> IdCard", statistics.median(ms), "ms", goal="<= 2 ms")


def exchanged_bytes() -> int:
    find = len(request(Command.FIND_CARD)) + 15
    select = len(request(Command.SELECT_CARD)) + 19
    read = len(request(Command.READ_TEXT_PHOTO)) + 1295
    return find + select + read


def bench_sequence(transport: str, baudrate: int, runs: int) -> None:
    sim = SimulatedReader(baudrate=baudrate)
    server = (PtyServer(sim) if transport == "pty" else TcpServer(sim)).start()
    port = serial.serial_for_url(server.url, baudrate=baudrate, timeout=0.05)
    link = ReaderLink(port, ReaderSettings(read_timeout=5.0, short_timeout=1.0))
    wire = wire_seconds(exchanged_bytes(), baudrate)
    ratios, latencies = [], []
    try:
        for _ in range(runs):
            sim.place_card("adult")
            started = time.perf_counter()
            assert link.find()
            assert link.select()
            card = link.read_card()
            done = time.perf_counter()
            ratios.append((done - started) / wire)
            latencies.append((time.monotonic() - link.last_reply_at) * 1000)
            assert card.name == "张伟"
    finally:
        port.close()
        server.stop()
    print(
        f"find+select+read over {transport} at {baudrate}: wire {wire * 1000:.1f} ms"
        f" for {exchanged_bytes()} B; wall/wire median {statistics.median(ratios):.3f},"
        f" max {max(ratios):.3f} over {runs} runs (goal <= 1.25);"
        f" last reply byte -> IdCard in driver median {statistics.median(latencies):.3f} ms"
    )
    wall = statistics.median(ratios) * wire
    report(f"card read find+select+read, {transport} {baudrate} baud", wall * 1000, "ms", goal="<= 1.25 x",
           ratio=statistics.median(ratios), ratio_to="wire time")


def main() -> None:
    bench_decode()
    bench_sequence("pty", 115200, SEQUENCE_RUNS)
    bench_sequence("tcp", 115200, SEQUENCE_RUNS)
    bench_sequence("pty", 9600, 2)


if __name__ == "__main__":
    main()

"""Benchmark printer I/O: job delivery and status over real TCP to the emulator, the persistent queue,
serial over a pty, and the emulator's stream scanner.

Prints median / p90 (ms) of: probe_status (DLE EOT 1,2,4 on a fresh connection); deliver() of the
test page in text and raster mode (status before, bytes, status after); PrintQueue.submit() as the
caller sees it (SQLite commit, worker woken) and submit -> done; the same job over serial:// through a
pty (a pty does not throttle to the baud rate: this is protocol overhead, not line time); and the
scanner's throughput on the raster job.

Run: .venv/bin/python bench/bench_printer_io.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from figures import report as record

from printers.emulator import EmulatedPrinter, EmulatorServer, EscPosScanner, SerialLink
from printers.escpos_render import render_escpos
from printers.layouts import test_page
from printers.profiles import get_profile
from printers.queue import PrintQueue, open_database
from printers.transports import deliver, open_transport, probe_status


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    print(f"{label:<48} median {statistics.median(ordered):7.2f} ms   p90 {p90:7.2f} ms   n={len(ordered)}")
    record(label, statistics.median(ordered), "ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_args().repeat
    profile = get_profile("generic-80")
    text_job = render_escpos(test_page(profile), profile, "text")
    raster_job = render_escpos(test_page(profile), profile, "raster")
    print(f"test page: text {len(text_job)} B, raster {len(raster_job)} B")

    printer = EmulatedPrinter(576, render_png=False)
    with EmulatorServer(printer) as server:
        transport = open_transport(server.url)
        report("tcp probe_status (DLE EOT 1,2,4)", timed(lambda: probe_status(transport), repeat))
        report(
            f"tcp deliver text job ({len(text_job)} B)", timed(lambda: deliver(transport, text_job), repeat)
        )
        report(
            f"tcp deliver raster job ({len(raster_job)} B)",
            timed(lambda: deliver(transport, raster_job), repeat),
        )

        with tempfile.TemporaryDirectory() as tmp:
            db = open_database(Path(tmp) / "queue.db")
            queue = PrintQueue(db)
            queue.start()
            submit_ms, done_ms = [], []
            for _ in range(repeat):
                started = time.perf_counter()
                job_id = queue.submit(server.url, text_job)
                submit_ms.append((time.perf_counter() - started) * 1000)
                queue.wait(job_id, timeout=10)
                done_ms.append((time.perf_counter() - started) * 1000)
            queue.stop()
            db.conn.close()
        report("queue submit() (caller blocked)", submit_ms)
        report("queue submit -> done (SQLite file, TCP)", done_ms)
        printer.close()

    master, slave = os.openpty()
    serial_printer = EmulatedPrinter(576, render_png=False)
    with SerialLink(serial_printer, master):
        transport = open_transport(f"serial://{os.ttyname(slave)}?baudrate=115200")
        report(
            f"serial pty deliver text job ({len(text_job)} B)",
            timed(lambda: deliver(transport, text_job), max(repeat // 2, 5)),
        )
        serial_printer.close()
    os.close(slave)
    os.close(master)
    for baud in (9600, 115200):
        for name, job in (("text", text_job), ("raster", raster_job)):
            print(f"nominal line time at {baud:>6} baud, {name:<6}: {len(job) * 10 / baud * 1000:9.1f} ms")

    for name, job in (("text", text_job * 100), ("raster", raster_job * 20)):
        samples = timed(lambda job=job: EscPosScanner().feed(job), 10)
        print(
            f"scanner on {name} jobs: {len(job) / 1e6 / (statistics.median(samples) / 1000):.1f} MB/s "
            f"({len(job)} B in {statistics.median(samples):.2f} ms median)"
        )


if __name__ == "__main__":
    main()

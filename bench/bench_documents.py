"""Benchmark: median time to generate each PDF document (goal <= 80 ms median per document).

Run: .venv/bin/python bench/bench_documents.py [--rounds N]
Prints the one-off font registration cost, then per document the median, p90 and min generation time
(rendering to bytes, as the kiosk does before writing) and the PDF size. Also the 10,000-character
worst case. Uses the demo contexts of `forms.documents.demo`.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time

from figures import report

from assets import qrcodes
from forms.documents import DocumentKind, FieldLine, render_document
from forms.documents.demo import DEMO_QR_TEXT, demo_accepted_context, demo_bundle_context, demo_context
from forms.documents.fonts import cjk_font
from forms.documents.qr import qr_matrix

GOAL_MS = 80.0


def measure(kind: DocumentKind, ctx, rounds: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds per render (CPU time is steadier on a shared, busy machine)."""
    size = len(render_document(kind, ctx))  # warm-up (style cache, glyph widths)
    wall, cpu = [], []
    for _ in range(rounds):
        qr_matrix.cache_clear()
        qrcodes.make.cache_clear()  # measure the cold case: a new application's QR is encoded once
        start, start_cpu = time.perf_counter(), time.process_time()
        render_document(kind, ctx)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    start = time.perf_counter()
    cjk_font()
    print(f"font registration (once per process): {(time.perf_counter() - start) * 1000:.0f} ms")

    qr_times = []
    for _ in range(args.rounds):
        qr_matrix.cache_clear()
        qrcodes.make.cache_clear()
        start = time.perf_counter()
        qr_matrix(DEMO_QR_TEXT)
        qr_times.append((time.perf_counter() - start) * 1000)
    qr_median = statistics.median(qr_times)
    print(f"QR matrix of a {len(DEMO_QR_TEXT)}-char MB1 text (zxing-cpp): {qr_median:.1f} ms median")
    report("QR matrix of the demo licence text", qr_median, "ms")

    approved = demo_context()
    cases = [
        ("申请表 application", DocumentKind.APPLICATION, approved),
        ("许可证 licence", DocumentKind.LICENCE, approved),
        ("受理回执 receipt", DocumentKind.RECEIPT, demo_accepted_context()),
        ("备案回执 filing_receipt", DocumentKind.FILING_RECEIPT, demo_context(filing_no="JY35001510012345")),
        ("结果告知单 result_notice (出生一件事)", DocumentKind.RESULT_NOTICE, demo_bundle_context()),
        ("卫生管理制度 hygiene_rules", DocumentKind.HYGIENE_RULES, approved),
    ]
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores, {args.rounds} rounds each")
    print(
        f"{'document':36} {'median':>8} {'p90':>8} {'min':>8} {'cpu med':>8} {'size':>9}  "
        f"goal<= {GOAL_MS:.0f} ms"
    )
    for label, kind, ctx in cases:
        wall, cpu, size = measure(kind, ctx, args.rounds)
        median = statistics.median(wall)
        p90 = statistics.quantiles(wall, n=10)[-1]
        verdict = "ok" if median <= GOAL_MS else "OVER"
        print(
            f"{label:36} {median:7.1f}ms {p90:7.1f}ms {min(wall):7.1f}ms {statistics.median(cpu):7.1f}ms "
            f"{size:8d}B  {verdict}"
        )
        report(f"PDF {label}", median, "ms", goal=f"<= {GOAL_MS:g} ms")

    long_value = ("超长经营范围<i>&" * 1000)[:10_000]
    worst = dataclasses.replace(approved, fields=(*approved.fields, FieldLine("经营范围", long_value)))
    wall, cpu, size = measure(DocumentKind.APPLICATION, worst, max(3, args.rounds // 10))
    print(
        f"{'申请表 + a 10,000-char value':36} {statistics.median(wall):7.1f}ms {'':>8} {min(wall):7.1f}ms "
        f"{statistics.median(cpu):7.1f}ms {size:8d}B  (worst case, not a goal)"
    )


if __name__ == "__main__":
    main()

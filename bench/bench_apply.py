"""Benchmarks of one whole application headless; prints figures (not a test).

    .venv/bin/python bench/bench_apply.py [--runs 40] [--decisions 300] [--rows 1000000] [--dir /tmp]

1. `kiosk apply` for the health permit (张伟, approved) end to end in-process: HeadlessApplicant over one
   built Kiosk reused (demo config, sim:// printer that renders each slip to PNG like the demo), i.e.
   session walk + pre-review + decision commit (numbers, row, QR, print job) + print + PDFs.
   Reported with the PDFs and without them. Goal <= 300 ms median (interpreter start excluded).
   Also: Kiosk.save alone (record_decision: numbers, row, signed QR, slip rendered to ESC/POS, job).
2. Allocation + commit, and 3. lookup by number among --rows applications: bench/bench_store.py's own
   functions (bench_decisions, build_big, bench_lookup), reused, not duplicated. Goals <= 5 ms, <= 2 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.headless import HeadlessApplicant

SERVICE = "public-place-health-permit"


def load_bench_store() -> ModuleType:
    path = Path(__file__).with_name("bench_store.py")
    spec = importlib.util.spec_from_file_location("bench_store", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answers() -> dict[str, object]:
    report = (dt.date.today() - dt.timedelta(days=50)).isoformat()
    return {"staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
            "has_central_ac": "否", "hygiene_report_date": report, "hygiene_report_result": "合格"}


class TimedKiosk(Kiosk):
    """The kiosk, with the time of each save (the decision transaction and what it renders) recorded."""

    save_seconds: list[float]

    def save(self, draft, printer=None):
        start = time.perf_counter()
        try:
            return super().save(draft, printer)
        finally:
            self.save_seconds.append(time.perf_counter() - start)


def bench_apply(work: Path, runs: int, figures) -> None:
    card = demo_cards.load("adult")
    given = answers()
    with TimedKiosk.build(demo_config(work / "apply")) as kiosk:
        kiosk.save_seconds = []
        HeadlessApplicant(kiosk).apply(SERVICE, card, given)  # warm: fonts, rule compilation, caches
        for pdfs in (True, False):
            kiosk.save_seconds = []
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                result = HeadlessApplicant(kiosk, pdfs=pdfs).apply(SERVICE, card, given)
                samples.append(time.perf_counter() - start)
                assert result.decision == "approved" and result.print["status"] == "printed", result
            label = "with the 3 PDFs" if pdfs else "without PDFs"
            figures(f"kiosk apply in-process, health permit approved, {label}", samples, goal_ms=300)
            figures("  of which Kiosk.save (numbers, row, QR, slip ESC/POS, job: one commit)", kiosk.save_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--decisions", type=int, default=300)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=5000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    store_bench = load_bench_store()
    work = Path(tempfile.mkdtemp(prefix="bench-apply-", dir=args.dir))
    try:
        print(f"python {sys.version.split()[0]}, work dir {work}")
        bench_apply(work, args.runs, store_bench._figures)
        store_bench.bench_decisions(work, args.decisions)
        with store_bench.build_big(work, args.rows) as store:
            store_bench.bench_lookup(store, args.rows, args.lookups)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

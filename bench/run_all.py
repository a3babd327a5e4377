"""Run every benchmark under bench/ as a process and print one table of their figures (issue 16).

    .venv/bin/python bench/run_all.py [--runs 3] [--quick] [--only PATTERN] [--out FILE]

Each bench runs --runs times, one after another, as `python bench/NAME.py ARGS` with
KIOSK_BENCH_FIGURES set: the figures it hands to `bench/figures.report` are collected, and the table
shows for each figure its goal, the median of the runs, the ratio to its bare baseline where the
goal is a ratio, and whether the median meets the goal. Nothing asserts: the table is the report.
--quick uses the smaller sizes below (the table's header names the sizes every bench ran with);
--only runs the benches whose name contains PATTERN (comma-separated patterns allowed).
Each run's own output is kept in build/bench-logs/; the table is also written to --out
(default build/bench-table.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import ENV, goal_met

ROOT = Path(__file__).resolve().parent.parent

# name: (full-size arguments, --quick arguments, runs cap: 1 for the long ones that median inside)
BENCHES: dict[str, tuple[list[str], list[str], int | None]] = {
    "bench_start": ([], ["--runs", "3"], None),
    "bench_ui": ([], ["--runs", "3"], None),
    "bench_card_to_form": ([], ["--runs", "3"], None),
    "bench_apply": ([], ["--runs", "10", "--decisions", "100", "--rows", "50000", "--lookups", "1000"], None),
    "bench_store": ([], ["--rows", "50000", "--decisions", "100", "--lookups", "1000", "--qr-images", "30"], None),
    "bench_forms": ([], [], None),
    "bench_catalog": ([], ["--runs", "3"], None),
    "bench_documents": ([], ["--rounds", "10"], None),
    "bench_printers": ([], ["--repeat", "10"], None),
    "bench_printer_io": ([], ["--repeat", "20"], None),
    "bench_idreader": ([], [], None),
    "bench_camera": ([], ["--frames", "10", "--runs", "3"], None),
    "bench_onecode": ([], [], None),
    "bench_stats": ([], ["--applications", "100000", "--runs", "3"], None),
    "bench_sync": ([], ["--backlog", "1000", "--calls", "5"], None),
    "bench_hall_ingest": ([], ["--kiosks", "40", "--seconds", "5", "--backlog", "1000"], None),
    "bench_hall_console": ([], ["--rows", "50000", "--runs", "10", "--calls", "5"], None),
    "bench_memory": (["--arena", "both"], ["--sessions", "120", "--minutes", "4", "--report", "50,120",
                                          "--arena", "default"], 1),
    "soak": ([], ["--sessions", "20", "--headless-sessions", "200"], 1),
}


def run_bench(name: str, args: list[str], runs: int, logs: Path, timeout: float) -> tuple[list[dict], list[str]]:
    """Run one bench `runs` times; its figures (one dict per report call per run) and any failures."""
    figures: list[dict] = []
    failures: list[str] = []
    env = dict(os.environ)
    for run in range(1, runs + 1):
        with tempfile.NamedTemporaryFile("r", suffix=".jsonl", encoding="utf-8") as sink:
            env[ENV] = sink.name
            log = logs / f"{name}-{run}.log"
            started = time.perf_counter()
            with open(log, "w", encoding="utf-8") as out:
                try:
                    done = subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), *args], cwd=ROOT,
                                          env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
                    code = done.returncode
                except subprocess.TimeoutExpired:
                    code = "timeout"
            took = time.perf_counter() - started
            print(f"  {name} run {run}/{runs}: {took:.0f} s, exit {code}  ({log.relative_to(ROOT)})", flush=True)
            if code != 0:
                failures.append(f"run {run}: exit {code} (see {log.relative_to(ROOT)})")
            for line in sink.read().splitlines():
                figure = json.loads(line)
                figure["run"] = run
                figures.append(figure)
    return figures, failures


def fmt(value: float | None) -> str:
    if value is None:
        return ""
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def table(results: dict[str, tuple[list[dict], list[str]]]) -> list[str]:
    rows = ["| bench | figure | goal | median | runs | ratio | met |", "|---|---|---|---|---|---|---|"]
    for bench, (figures, failures) in results.items():
        order: dict[str, list[dict]] = {}
        for figure in figures:
            order.setdefault(figure["name"], []).append(figure)
        for name, samples in order.items():
            value = statistics.median(sample["value"] for sample in samples)
            ratios = [sample["ratio"] for sample in samples if sample["ratio"] is not None]
            ratio = statistics.median(ratios) if ratios else None
            first = samples[0]
            ratio_text = f"{ratio:.2f} × {first['ratio_to']}" if ratio is not None else ""
            met = goal_met(first["goal"], value, ratio)
            verdict = "" if met is None else ("yes" if met else "**no**")
            rows.append(f"| {bench} | {name} | {first['goal'] or ''} | {fmt(value)} {first['unit']} | "
                        f"{len(samples)} | {ratio_text} | {verdict} |")
        for failure in failures:
            rows.append(f"| {bench} | FAILED {failure} | | | | | |")
        if not figures and not failures:
            rows.append(f"| {bench} | (no figures reported) | | | | | |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each bench (median over them)")
    parser.add_argument("--quick", action="store_true", help="the smaller sizes (see BENCHES)")
    parser.add_argument("--only", help="run only benches whose name contains one of these comma-separated words")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-table.md")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a bench run is stopped")
    args = parser.parse_args()
    chosen = [name for name in BENCHES
              if not args.only or any(word.strip() in name for word in args.only.split(","))]
    logs = ROOT / "build" / "bench-logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    results: dict[str, tuple[list[dict], list[str]]] = {}
    sizes: list[str] = []
    for name in chosen:
        full, quick, cap = BENCHES[name]
        bench_args = quick if args.quick else full
        runs = min(args.runs, cap) if cap else args.runs
        sizes.append(f"{name} {' '.join(bench_args) or '(defaults)'} ×{runs}")
        results[name] = run_bench(name, bench_args, runs, logs, args.timeout)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    header = [f"# Benchmarks, {started:%Y-%m-%d %H:%M} UTC", "",
              f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average at the end {load}; "
              f"{'quick' if args.quick else 'full'} sizes; median of the runs shown.", "",
              "Sizes: " + "; ".join(f"`{size}`" for size in sizes), ""]
    text = "\n".join([*header, *table(results)]) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"(written to {args.out})")


if __name__ == "__main__":
    main()

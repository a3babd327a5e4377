"""The compiled catalog cache, timed as processes (issue 15 part B / issue 17). Run:

    .venv/bin/python bench/bench_catalog.py [--runs 5]

Each row is the median of --runs fresh processes, interleaved with a bare baseline (`python -c pass`):
1. load the catalog (41 specs) and its search index, then compile one rule condition — COLD: an empty
   cache folder (YAML parsed, pydantic validation, pypinyin for the index, PLY generating rule-engine's
   tables; the caches are written) against WARM: the caches from the run before (forms.compiled).
   The child prints its own in-process figures: `load_catalog` + `catalog_entries` (goal <= 50 ms), and
   the first condition compile (rule-engine import included).
2. The same in-process figures for the catalog loaded with no cache (as `kiosk services check` does).
3. Search precision over kiosk/services/search_queries.yaml (precision@1 / @3).
CPU time (user + system) of each process is printed too (steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import report

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import json, sys, time
started = time.perf_counter()
from forms.loader import load_catalog
from kiosk.services.catalog_search import catalog_entries
imported = time.perf_counter()
catalog = load_catalog(cache_dir=sys.argv[1] if sys.argv[1] != "-" else None)
entries = catalog_entries(catalog)
loaded = time.perf_counter()
from forms.conditions import compile_condition
compile_condition("applicant_age >= 18 and business_name != ''")
compiled = time.perf_counter()
print(json.dumps({"items": len(entries), "imports_ms": (imported - started) * 1000,
                  "load_ms": (loaded - imported) * 1000, "first_rule_ms": (compiled - loaded) * 1000,
                  "pypinyin": "pypinyin" in sys.modules}))
"""


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, dict]:
    """Wall and CPU seconds of one child, and what it printed (JSON)."""
    started = time.monotonic()
    before = os.times()
    result = subprocess.run(argv, capture_output=True, env=env, cwd=ROOT)
    after = os.times()
    if result.returncode:
        raise RuntimeError(result.stderr.decode(errors="replace"))
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    text = result.stdout.decode().strip()
    return time.monotonic() - started, cpu, json.loads(text) if text else {}


def row(label: str, values: list[float], unit: str = "ms", goal: str = "") -> None:
    print(f"{label:<62} median {statistics.median(values):8.1f} {unit}  (min {min(values):.1f}, "
          f"max {max(values):.1f}, n={len(values)}){'  goal ' + goal if goal else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    bare = [sys.executable, "-c", "pass"]
    figures: dict[str, list[float]] = {}

    def note(key: str, value: float) -> None:
        figures.setdefault(key, []).append(value)

    with tempfile.TemporaryDirectory(prefix="bench-catalog-") as scratch:
        for index in range(args.runs + 1):  # the first round only warms the bytecode caches
            cache = Path(scratch) / f"cold{index}"
            child_env = {**env, "KIOSK_CACHE_DIR": str(cache)}
            argv = [sys.executable, "-c", CHILD, str(cache / "catalog")]
            cold = timed(argv, child_env)
            warm = timed(argv, child_env)
            source = timed([sys.executable, "-c", CHILD, "-"], child_env)
            base = timed(bare, env)
            if index == 0:
                continue
            for name, (wall, cpu, out) in (("cold", cold), ("warm", warm), ("source", source)):
                note(f"{name} wall", wall * 1000)
                note(f"{name} cpu", cpu * 1000)
                for key in ("imports_ms", "load_ms", "first_rule_ms"):
                    note(f"{name} {key}", out[key])
                note(f"{name} pypinyin", float(out["pypinyin"]))
            note("bare wall", base[0] * 1000)
            note("bare cpu", base[1] * 1000)
            items = int(cold[2]["items"])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; catalog of {items} items")
    row("python -c pass (bare baseline): wall", figures["bare wall"])
    for name, label in (("cold", "COLD (empty cache folder)"), ("warm", "WARM (compiled cache)"),
                        ("source", "no cache (as `kiosk services check`)")):
        print(label)
        row("  process wall", figures[f"{name} wall"])
        row("  process CPU (user + system)", figures[f"{name} cpu"])
        row("  in process: imports (forms.loader, catalog_search)", figures[f"{name} imports_ms"])
        row("  in process: load_catalog + catalog_entries", figures[f"{name} load_ms"],
            goal="<= 50 ms" if name == "warm" else "")
        row("  in process: first rule compile (rule-engine import + PLY)", figures[f"{name} first_rule_ms"])
        print(f"  pypinyin imported: {sum(figures[f'{name} pypinyin']):.0f} of {len(figures[f'{name} pypinyin'])} runs")
    print(f"{'  ratio warm / bare process wall':<62} "
          f"{statistics.median(figures['warm wall']) / statistics.median(figures['bare wall']):.2f} x")
    print(f"{'  ratio cold / warm process CPU':<62} "
          f"{statistics.median(figures['cold cpu']) / statistics.median(figures['warm cpu']):.2f} x")
    bare_wall = statistics.median(figures["bare wall"])
    for name in ("warm", "cold"):
        wall = statistics.median(figures[f"{name} wall"])
        report(f"catalog load process wall, {name} cache", wall, "ms", ratio=wall / bare_wall,
               ratio_to="python -c pass")
    report("load_catalog + catalog_entries in process, warm", statistics.median(figures["warm load_ms"]), "ms",
           goal="<= 50 ms")
    from forms.loader import load_catalog
    from kiosk.services.catalog_search import CatalogEntry
    from kiosk.services.search_eval import evaluate, load_queries

    result = evaluate([CatalogEntry.from_spec(s) for s in load_catalog().values()], load_queries())
    print(f"search: {result.queries} queries, precision@1 {result.precision_at_1:.3f}, "
          f"precision@3 {result.precision_at_3:.3f}")
    report("search precision@1", result.precision_at_1, "")
    report("search precision@3", result.precision_at_3, "")


if __name__ == "__main__":
    main()

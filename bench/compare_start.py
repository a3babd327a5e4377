"""Before/after start-up figures in one interleaved run: this checkout's kiosk against another's (issue 17).

    .venv/bin/python bench/compare_start.py --tree DIR [--runs 7]

On a shared, busy machine two bench_start.py runs minutes apart are not comparable; here every round
times, back to back, a bare PySide6 window, `python -c pass`, and for each checkout `kiosk demo
--startup-probe`, `kiosk apply` (health permit, 3 PDFs) and `kiosk --help` as processes (the same
commands and timing as bench/bench_start.py). DIR's kiosk runs with DIR/.venv/bin/python in DIR, its
bytecode and compiled caches in folders of its own (so neither checkout rebuilds the other's caches).
Printed: medians of wall and CPU time per checkout, and the ratios to the bare window / the interpreter;
the CPU time to the start screen is read from /proc as its line arrives (bench_start.cpu_so_far).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import bench_start
from bench_start import ANSWERS, BARE_QML, BARE_SCRIPT, ROOT, child_env, timed_lines


def _kiosk(tree: Path) -> list[str]:
    return [str(tree / ".venv" / "bin" / "python"), "-m", "kiosk"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, required=True, metavar="DIR", help="the other checkout (before)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    temp = Path(tempfile.gettempdir())
    other_env = {**child_env(), "PYTHONPYCACHEPREFIX": str(temp / "bench-start-pycache"),
                 "KIOSK_CACHE_DIR": str(temp / "bench-start-cache")}
    other_env.pop("PYTHONPATH", None)
    trees = {"before": (args.tree.resolve(), other_env), "after": (ROOT, child_env())}
    samples: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        samples.setdefault(key, []).append(value)

    with tempfile.TemporaryDirectory(prefix="compare-start-") as scratch:
        work = Path(scratch)
        (work / "bare.qml").write_bytes(BARE_QML)
        (work / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
        bare_argv = [sys.executable, str(work / "bare.py"), str(work / "bare.qml")]

        def commands(name: str, index: int) -> dict[str, list[str]]:
            kiosk = _kiosk(trees[name][0])
            return {"demo": [*kiosk, "demo", "--startup-probe", "--data-dir", str(work / f"demo-{name}")],
                    "apply": [*kiosk, "apply", "--data-dir", str(work / f"apply-{name}"), "--service",
                              "public-place-health-permit", "--card", "adult", "--answers", str(ANSWERS),
                              "--out", str(work / f"out-{name}-{index}"), "--json"],
                    "help": [*kiosk, "--help"]}

        def run(name: str, argv: list[str]) -> dict[str, float]:
            bench_start.CWD[0] = trees[name][0]
            return timed_lines(argv, trees[name][1])

        for name in trees:  # warm: bytecode, data dirs, compiled caches
            for argv in commands(name, -1).values():
                run(name, argv)
        timed_lines(bare_argv, child_env())
        for index in range(args.runs):
            bare = timed_lines(bare_argv, child_env())
            add("bare", bare["start-screen"])
            add("bare cpu", bare["cpu"])
            add("bare frame cpu", bare.get("start-screen cpu", bare["cpu"]))
            python = timed_lines([sys.executable, "-c", "pass"], child_env())
            add("python", python["exit"])
            add("python cpu", python["cpu"])
            for name in trees:
                argv = commands(name, index)
                demo = run(name, argv["demo"])
                add(f"{name} start-screen", demo["start-screen"])
                add(f"{name} services-ready", demo["services-ready"])
                add(f"{name} ready after screen", demo["services-ready"] - demo["start-screen"])
                add(f"{name} demo cpu", demo["cpu"])
                add(f"{name} frame cpu", demo.get("start-screen cpu", float("nan")))
                for key in ("apply", "help"):
                    lines = run(name, argv[key])
                    add(f"{name} {key}", lines["exit"])
                    add(f"{name} {key} cpu", lines["cpu"])
    med = {key: statistics.median(values) * 1000 for key, values in samples.items()}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, {args.runs} interleaved rounds, medians in ms")
    print(f"bare PySide6 window first frame {med['bare']:.0f} (CPU {med['bare frame cpu']:.0f} to it, "
          f"{med['bare cpu']:.0f} in all); "
          f"python -c pass {med['python']:.0f} (CPU {med['python cpu']:.0f})")
    print(f"{'':44}{'before':>10}{'after':>10}")
    rows = [("kiosk demo: start-screen", "start-screen", "bare"),
            ("kiosk demo CPU to the start screen", "frame cpu", "bare frame cpu"),
            ("kiosk demo: services-ready (from start)", "services-ready", None),
            ("  services-ready after the start screen", "ready after screen", None),
            ("kiosk demo CPU (to services-ready)", "demo cpu", "bare cpu"),
            ("kiosk apply (health permit, 3 PDFs)", "apply", "python"),
            ("kiosk apply CPU", "apply cpu", "python cpu"),
            ("kiosk --help", "help", "python"),
            ("kiosk --help CPU", "help cpu", "python cpu")]
    for label, key, base in rows:
        before, after = med[f"before {key}"], med[f"after {key}"]
        print(f"{label:<44}{before:>10.0f}{after:>10.0f}")
        if base:
            print(f"{'  ratio to ' + ('the bare window' if 'bare' in base else 'python -c pass'):<44}"
                  f"{before / med[base]:>9.2f}x{after / med[base]:>9.2f}x")


if __name__ == "__main__":
    main()

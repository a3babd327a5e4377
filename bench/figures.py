"""One place where a benchmark hands over a figure for the table (`bench/run_all.py`).

A bench keeps printing its own lines; beside each headline figure it calls

    report("kiosk apply in-process", 0.212, "s", goal="<= 0.3 s")
    report("start screen", 0.61, "s", goal="<= 1.5 x", ratio=0.61 / 0.35, ratio_to="bare QML window")

`report` prints nothing. When the runner sets `KIOSK_BENCH_FIGURES=FILE`, it appends one JSON line per
figure to FILE; run alone, a bench behaves as before. `goal` is shown as given; when it reads
`<= N` / `>= N` (a trailing `x` means the ratio), the runner tells whether the median meets it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ENV = "KIOSK_BENCH_FIGURES"
GOAL = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*([0-9.,]+)\s*(.*)$")


def report(name: str, value: float, unit: str = "", *, goal: str | None = None,
           ratio: float | None = None, ratio_to: str | None = None) -> None:
    """Record one figure for the runner's table (nothing happens when the runner is not running)."""
    target = os.environ.get(ENV)
    if not target:
        return
    bench = Path(sys.argv[0]).stem
    line = {"bench": bench, "name": name, "value": float(value), "unit": unit, "goal": goal,
            "ratio": None if ratio is None else float(ratio), "ratio_to": ratio_to}
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


def goal_met(goal: str | None, value: float | None, ratio: float | None) -> bool | None:
    """Whether `value` (or `ratio`, for a goal ending in x) meets `goal`; None when it cannot be told."""
    if not goal:
        return None
    found = GOAL.match(goal)
    if not found:
        return None
    op, number, unit = found.group(1), float(found.group(2).replace(",", "")), found.group(3).strip()
    figure = ratio if unit in ("x", "×") and ratio is not None else value
    if figure is None:
        return None
    return {"<=": figure <= number, "≤": figure <= number, "<": figure < number,
            ">=": figure >= number, "≥": figure >= number, ">": figure > number}[op]

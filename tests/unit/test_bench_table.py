"""The benchmark table's plumbing (bench/figures.py, bench/run_all.py) and the soak's curve and growth
(bench/soak.py): a figure reported by a bench process reaches the table with its median, ratio and
verdict; run alone a bench writes nothing; the memory curve is well-formed SVG."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name: str):
    sys.path.insert(0, str(BENCH))  # the benches import `figures` as their sibling
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


@pytest.mark.parametrize(("goal", "value", "ratio", "met"), [
    ("<= 300 ms", 212.0, None, True), ("<= 300 ms", 301.0, None, False), ("<= 1.5 x", 0.6, 1.7, False),
    ("<= 1.5 x", 0.6, 1.2, True), (">= 2,000 events/s", 2500.0, None, True), ("<= 0", 1.0, None, False),
    (None, 1.0, None, None), ("fast", 1.0, None, None),
])
def test_goal_verdicts(goal, value, ratio, met):
    assert load("figures").goal_met(goal, value, ratio) is met


def test_a_bench_process_reports_to_the_runner_and_nothing_alone(tmp_path):
    script = tmp_path / "bench_probe.py"
    script.write_text("from figures import report\nreport('probe', 2.5, 's', goal='<= 1.5 x', ratio=1.2, "
                      "ratio_to='bare')\n", encoding="utf-8")
    sink = tmp_path / "figures.jsonl"
    env = {"PYTHONPATH": str(BENCH), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, str(script)], env=env, check=True)
    assert not sink.exists()
    subprocess.run([sys.executable, str(script)], env={**env, "KIOSK_BENCH_FIGURES": str(sink)}, check=True)
    line = json.loads(sink.read_text(encoding="utf-8"))
    assert line == {"bench": "bench_probe", "name": "probe", "value": 2.5, "unit": "s", "goal": "<= 1.5 x",
                    "ratio": 1.2, "ratio_to": "bare"}


def test_the_table_takes_medians_and_tells_the_goal():
    run_all = load("run_all")
    figures = [{"name": "start", "value": v, "unit": "s", "goal": "<= 1.5 x", "ratio": r, "ratio_to": "bare"}
               for v, r in ((0.5, 1.4), (0.7, 1.9), (0.6, 1.6))]
    rows = run_all.table({"bench_start": (figures, ["run 4: exit 1 (see x.log)"])})
    assert rows[2] == "| bench_start | start | <= 1.5 x | 0.600 s | 3 | 1.60 × bare | **no** |"
    assert rows[3].startswith("| bench_start | FAILED run 4: exit 1")


def test_the_soak_curve_is_svg_and_growth_starts_after_the_warm_up(tmp_path):
    soak = load("soak")
    points = [{"session": s, "rss_mb": 200 + min(s, 50) + s * 0.01, "threads": 13, "fds": 23}
              for s in range(0, 1001, 10)]
    figures = soak.growth(points)
    assert figures["base_session"] == 50 and figures["end_session"] == 1000
    # the mean of the samples at 50-70 (after the warm-up) against the mean of the last three
    assert figures["growth"] == pytest.approx(259.9 - 250.6)
    assert figures["growth_single"] == pytest.approx(9.5) and figures["kb_per_session"] == pytest.approx(10.24)
    points[-1] = {**points[-1], "rss_mb": points[-1]["rss_mb"] + 9}  # one sample swings (a heap trim)
    assert soak.growth(points)["growth_single"] == pytest.approx(18.5)
    assert soak.growth(points)["growth"] == pytest.approx(12.3), "one sample's swing counts a third"
    path = tmp_path / "curve.svg"
    soak.curve_svg({"touchscreen": [(p["session"], p["rss_mb"]) for p in points], "headless": []}, path, "t")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert len(root.findall("{http://www.w3.org/2000/svg}polyline")) == 1

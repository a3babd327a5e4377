"""Benchmark the form engine: load 80 synthetic specs, review one item, and compile conditions.

Run: .venv/bin/python bench/bench_forms.py     Goals: load 80 specs <= 50 ms; review <= 2 ms median.
Loading is measured cold (YAML parsed) and warm (parsed data from the JSON cache the kiosk keeps in
its data dir); both validate every spec with pydantic.
The synthetic catalog is made from the shipped specs (new ids, rule literals varied so each spec's
conditions are distinct text) in a temporary directory.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from figures import report as record

from forms import demo_registry as demo
from forms.casefiles import make_card
from forms.conditions import cached_count
from forms.context import ReviewContext
from forms.engine import apply_answers, decide, prefill, review
from forms.loader import catalog_dir, check_catalog, load_catalog
from forms.settings import HallSettings

SPECS = 80
TODAY = dt.date(2026, 11, 21)


def make_synthetic(directory: Path) -> None:
    sources = sorted(catalog_dir().glob("*.yaml"))
    for index in range(SPECS):
        data = yaml.safe_load(sources[index % len(sources)].read_text(encoding="utf-8"))
        data["id"] = f"{data['id']}-{index:03d}"
        for rule in data.get("rules", []):
            rule["condition"] = f"({rule['condition']}) and {index} >= 0"
        (directory / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float], goal: float | None = None) -> None:
    median = statistics.median(samples)
    verdict = "" if goal is None else ("  OK" if median <= goal else f"  OVER the {goal} ms goal")
    print(
        f"{name:<44} median {median:8.3f} ms  min {min(samples):8.3f}  max {max(samples):8.3f}"
        f"  (n={len(samples)}){verdict}"
    )
    record(name, median, "ms", goal=None if goal is None else f"<= {goal:g} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        make_synthetic(directory)
        report(f"load_catalog: {SPECS} specs, cold (YAML)", timed(lambda: load_catalog(directory), 7))
        cache = directory / "cache"
        load_catalog(directory, cache_dir=cache)  # writes the compiled catalog cache
        report(
            f"load_catalog: {SPECS} specs, warm (compiled cache)",
            timed(lambda: load_catalog(directory, cache_dir=cache), 15),
            goal=50,
        )
        report(
            f"load_catalog: {SPECS} specs, warm + validate all",
            timed(lambda: list(load_catalog(directory, cache_dir=cache).values()), 15),
        )
        before = cached_count()
        start = time.perf_counter()
        problems = check_catalog(directory)
        check_ms = (time.perf_counter() - start) * 1000
        compiled = cached_count() - before
        print(
            f"check_catalog: {SPECS} specs, {compiled} conditions compiled once: {check_ms:.1f} ms "
            f"({len(problems)} problems)"
        )

    spec = load_catalog()["public-place-health-permit"]
    card = make_card({"name": "张伟", "id_number": demo.ZHANG_WEI})
    context = ReviewContext(TODAY, HallSettings(), card, demo.demo_registry(TODAY))
    answers = prefill(spec, card, context.registry, TODAY)
    answers = apply_answers(
        spec,
        answers,
        {
            "staff_count": 3,
            "staff_health_certified": 3,
            "staff_trained": 3,
            "hygiene_manager": "张伟",
            "has_central_ac": "是",
            "ac_report_date": "2026-06-01",
            "hygiene_report_date": "2026-10-01",
            "hygiene_report_result": "合格",
        },
        context,
    )
    review(spec, answers, context)  # compile this item's conditions (cached from here on)
    report(
        "review public-place-health-permit (17 fields)",
        timed(lambda: review(spec, answers, context), 500),
        goal=2,
    )
    report(
        "prefill public-place-health-permit", timed(lambda: prefill(spec, card, context.registry, TODAY), 500)
    )
    report("review + decide", timed(lambda: decide(spec, review(spec, answers, context)), 500), goal=2)


if __name__ == "__main__":
    main()

"""`kiosk services`: list the service catalog, or check every YAML file in it.

    kiosk services [--json] [--dir DIR]   the items, grouped by life event (JSON: a list of objects)
    kiosk services check [DIR]            validate every spec (schema, conditions, names) and run the
                                          YAML test cases in DIR/tests; exit 1 listing the errors, else
                                          print a summary (items, bundles, rules with a source, cases)
    kiosk services search QUERY           the catalog screen's ranked search (id, title, match tier)
    kiosk services search --eval          precision@1 / @3 over kiosk/services/search_queries.yaml

DIR defaults to the catalog shipped in `forms/catalog`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from forms.casefiles import case_paths, load_cases, run_case_files
from forms.errors import SpecError
from forms.loader import Catalog, catalog_dir, check_catalog, load_catalog
from forms.spec import ServiceSpec


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "services",
        parents=[common],
        help="list the service catalog, or check its YAML files",
        description="List the service catalog (kiosk services [--json]) "
        "or check it (kiosk services check [DIR]).",
    )
    parser.add_argument("--json", action="store_true", help="print the catalog as JSON")
    parser.add_argument("--dir", type=Path, metavar="DIR", help="catalog directory (default: shipped one)")
    parser.set_defaults(func=list_services)
    actions = parser.add_subparsers(dest="services_action", metavar="ACTION")
    check = actions.add_parser(
        "check", parents=[common], help="validate every spec, run its YAML cases; exit 1 on errors"
    )
    check.add_argument("directory", nargs="?", type=Path, metavar="DIR", help="catalog directory")
    check.set_defaults(func=check_services)
    finder = actions.add_parser("search", parents=[common], help="the catalog search, or its precision figures")
    finder.add_argument("query", nargs="?", default="", help="what an applicant types")
    finder.add_argument("--eval", action="store_true", help="precision@1 / @3 over the query fixture")
    finder.set_defaults(func=search_services)


def summary(spec: ServiceSpec) -> dict[str, Any]:
    """What a catalog screen or a script needs to know about one item."""
    return {
        "id": spec.id,
        "title": spec.title,
        "short_title": spec.short_title or spec.title,
        "department": spec.department,
        "audience": spec.audience,
        "mode": spec.mode,
        "life_event": spec.life_event,
        "keywords": list(spec.keywords),
        "office": spec.office,
        "result_name": spec.result_name,
        "time_limit_days": spec.time_limit_days,
        "processing_days": spec.processing_days,
        "minutes": spec.minutes,
        "conditions": spec.conditions,
        "bring": list(spec.bring),
        "fields": len(spec.fields),
        "rules": len(spec.rules),
        "bundle": [item.title for item in spec.bundle] if spec.bundle else None,
    }


def list_services(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.dir)
    except SpecError as exc:
        print(f"kiosk services: {exc}", file=sys.stderr)
        return 1
    if args.json:
        json.dump([summary(spec) for spec in catalog.values()], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    modes = {"instant": "秒批", "accept": "受理"}
    for event, specs in catalog.by_life_event().items():
        print(f"【{event}】")
        for spec in specs:
            how = f"{modes[spec.mode]}, {spec.audience}, 约 {spec.minutes} 分钟"
            print(f"  {spec.id:<36} {spec.title}  ({how})")
    return 0


def check_services(args: argparse.Namespace) -> int:
    directory = args.directory or args.dir or catalog_dir()
    problems = check_catalog(directory)
    if not problems:
        try:
            problems = run_case_files(Path(directory), load_catalog(directory))
        except SpecError as exc:
            problems = [str(exc)]
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(f"kiosk services check: {len(problems)} error(s) in {directory}", file=sys.stderr)
        return 1
    catalog = load_catalog(directory)
    print(f"kiosk services check: {len(catalog)} service item(s) OK in {directory}")
    print(check_summary(catalog, Path(directory)))
    return 0


def check_summary(catalog: Catalog, directory: Path) -> str:
    """One line of figures: items (秒批 / 受理, 个人 / 企业), bundles, rules with a source, cases."""
    specs = list(catalog.values())
    bundles = [spec for spec in specs if spec.is_bundle]
    items = [spec for spec in specs if not spec.is_bundle]
    rules = [rule for spec in specs for rule in spec.rules]
    sourced = [rule for rule in rules if rule.basis.strip()]
    cases = sum(len(load_cases(path).cases) for path in case_paths(directory))
    instant = sum(spec.mode == "instant" for spec in items)
    personal = sum(spec.audience == "个人" for spec in items)
    return (f"  items {len(items)} (秒批 {instant}, 受理 {len(items) - instant}; 个人 {personal}, "
            f"企业 {len(items) - personal}), bundles {len(bundles)}, rules {len(rules)} "
            f"({len(sourced)} with a source), cases {cases}, categories {len(catalog.by_life_event())}")


def search_services(args: argparse.Namespace) -> int:
    """The ranked search over the catalog (from source), or its figures over the query fixture."""
    from kiosk.services.catalog_search import TIER_NAMES, CatalogEntry, fold, search
    from kiosk.services.search_eval import evaluate, load_queries

    try:
        entries = [CatalogEntry.from_spec(spec) for spec in load_catalog(args.dir).values()]
    except SpecError as exc:
        print(f"kiosk services: {exc}", file=sys.stderr)
        return 1
    if args.eval:
        result = evaluate(entries, load_queries())
        print(f"search: {result.queries} queries, precision@1 {result.precision_at_1:.3f} "
              f"({result.at1}/{result.queries}), precision@3 {result.precision_at_3:.3f} "
              f"({result.at3}/{result.queries})")
        for query, want, top in result.misses:
            print(f"  not first: {query!r} wants {' or '.join(want) or 'nothing'}; got {', '.join(top) or 'nothing'}")
        return 0
    if not args.query.strip():
        print("kiosk services search: give a QUERY, or --eval", file=sys.stderr)
        return 2
    found = search(entries, args.query)
    for place, entry in enumerate(found, 1):
        rank = entry.rank(fold(args.query))
        tier = TIER_NAMES[rank[0][0]] if rank else ""
        print(f"{place:>3}. {entry.id:<36} {entry.title}  ({tier})")
    if not found:
        print("(nothing found)")
    return 0

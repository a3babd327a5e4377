"""Conditions translated to Python (forms.condition_code, forms.condition_runtime) give exactly what
rule-engine gives: every catalog condition over many symbol assignments (seeded), compared with
`rule_engine.Rule.evaluate` (value, or the ConditionError message, or the Python exception); a warm
process evaluates conditions without importing rule-engine; what the translator does not know is still
evaluated, by rule-engine."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from forms import conditions
from forms.condition_code import Untranslatable, translate
from forms.condition_runtime import UnsupportedValue
from forms.conditions import compile_condition
from forms.errors import ConditionError
from forms.loader import catalog_dir

TODAY = dt.date(2026, 12, 4)
KEYS = ("condition", "show_if", "when")


def catalog_conditions() -> list[str]:
    """Every distinct condition text of the shipped catalog (rules, show_if, materials', bundles' when)."""
    texts: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in KEYS and isinstance(value, str):
                    texts.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(catalog_dir().glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(texts)


CONDITIONS = catalog_conditions()


@pytest.fixture(autouse=True)
def fresh_conditions(tmp_path: Path):
    """Each test starts with an empty translation cache of its own (not the user's)."""
    conditions.forget()
    conditions._cache_folder[0] = tmp_path
    yield
    conditions._cache_folder[0] = None
    conditions.forget()


def pools(text: str) -> dict[str, list[Any]]:
    """Values by kind for the symbols of `text`: around its literals, plus wrong kinds of every sort."""
    numbers = {Decimal(n) for n in re.findall(r"(?<![\w'])\d+(?:\.\d+)?", text)} | {Decimal(0), Decimal(1)}
    ints = sorted({int(n) + d for n in numbers for d in (-1, 0, 1)})
    strings = re.findall(r"'([^']*)'", text)
    regex_subjects = ["重庆市铜梁区张记理发店", "铜梁区张记理发店", "铜梁区", "重庆市铜梁区有限公司", "某某企业",
                      "重庆市", "重庆", "成都市小店", "张三语文", "语文教师"]
    ids = ["500224199001011234", "500224199001011224", "910224199001011235", "810224199001011236",
           "500151199001011236", "91500151MA5U123456", "91500224MA5U123456", "9", "81", ""]
    return {
        "null": [None],
        "bool": [True, False],
        "int": ints,
        "float": [float(n) for n in ints] + [n + 0.5 for n in ints[:3]],
        "decimal": [Decimal(n) for n in ints] + [Decimal("0.5")],
        "str": [*strings, "", "x", "500151", "铜梁区", "resident", "foreign", *regex_subjects, *ids],
        "date": [TODAY + dt.timedelta(days=d) for d in
                 (0, 1, -1, 29, 30, 31, -29, -30, -31, -60, -61, 91, 92, 93, -183, -182, -184, -180, -181, 180,
                  181, -364, -365, -366, 365, 366, -20000)],
        "list": [[], strings[:1] or ["x"], strings[:2], strings[-1:], ["x", 1], [TODAY], [None], [[1]]],
    }


def outcome(evaluate: Any, *args: Any) -> tuple[str, Any]:
    try:
        return ("value", evaluate(*args))
    except ConditionError as exc:
        return ("ConditionError", str(exc))
    except (TypeError, ValueError, ArithmeticError) as exc:
        return (type(exc).__name__, str(exc))


def natural_kind(name: str) -> str:
    if name in ("today", "one_year_ago") or name.endswith(("_date", "_on", "_since", "_to")):
        return "date"
    if name.endswith(("_age", "_count", "_months", "_area", "_size", "_days", "_m2", "months")):
        return "int"
    if name.endswith("categories"):
        return "list"
    return "str"


def assignments(text: str, names: frozenset[str], count: int) -> list[dict[str, Any]]:
    """`count` seeded random assignments of every name (any kind), then runs with every name of one kind."""
    rng = random.Random(f"{text}|{count}")
    values = pools(text)
    kinds = sorted(values)
    ordered = sorted(names)
    chosen = []
    for _ in range(count):
        chosen.append({name: rng.choice(values[rng.choice(kinds)]) for name in ordered})
    for kind in kinds:
        for _ in range(count // 10):
            chosen.append({name: rng.choice(values[kind]) for name in ordered})
    for kind in kinds:  # each name alone of another kind, the others of their own (a guess from the name)
        for name in ordered:
            base = {other: rng.choice(values[natural_kind(other)]) for other in ordered}
            base[name] = rng.choice(values[kind])
            chosen.append(base)
    return chosen


def test_the_catalog_is_read_whole() -> None:
    assert len(CONDITIONS) >= 121
    assert all(compile_condition(text).translated for text in CONDITIONS), "every catalog condition translates"


@pytest.mark.parametrize("text", CONDITIONS)
def test_a_catalog_condition_evaluates_as_rule_engine_does(text: str) -> None:
    condition = compile_condition(text)
    differences = []
    checked = 0
    for symbols in assignments(text, condition.names, 300):
        symbols = {"unrelated": dt.datetime(2026, 1, 1), **symbols}  # other symbols never matter
        want = outcome(condition.evaluate_with_rule_engine, symbols)
        got = outcome(condition.evaluate_translated, symbols)
        checked += 1
        if got != want:
            differences.append((symbols, want, got))
    assert not differences, f"{len(differences)} of {checked} differ, e.g. {differences[:3]}"


def test_the_names_are_rule_engines_and_survive_the_cache() -> None:
    from forms.ruletables import import_rule_engine

    rule_engine = import_rule_engine()
    fresh = {text: compile_condition(text).names for text in CONDITIONS}
    conditions.forget()  # the same cache folder: now every text comes from the file
    for text in CONDITIONS:
        recorded: set[str] = set()

        def record(name: str, recorded: set[str] = recorded) -> Any:
            recorded.add(name)
            return rule_engine.DataType.UNDEFINED

        rule_engine.Rule(text, context=rule_engine.Context(type_resolver=record, default_value=None))
        cached = compile_condition(text)
        assert cached._rule is None, "from the cache, not parsed"
        assert cached.names == fresh[text] == frozenset(recorded), text


@pytest.mark.parametrize(("text", "symbols", "expected"), [
    ("a == 1", {"a": True}, False),                       # no equality across types (Python: True == 1)
    ("a == 1", {"a": 1.0}, True),                         # int and float are both Decimal
    ("a != null", {"a": 0}, True),
    ("a <= null", {"a": None}, True),                     # null against null orders as equal
    ("a =~ 'b'", {"a": "ab"}, False),                     # =~ is anchored at the start
    ("a =~~ 'b'", {"a": "ab"}, True),
    ("a =~ 'a$'", {"a": "ab"}, False),
    ("a =~ b", {"a": None, "b": None}, True),             # rule-engine: null =~ null
    ("(a - b).days > 1", {"a": TODAY, "b": TODAY - dt.timedelta(days=2)}, True),
    ("a.days == null", {"a": 3}, True),                   # an attribute a value lacks is null
    ("[a][0] == b", {"a": TODAY, "b": TODAY}, True),      # an item read gets the time zone back
    ("a in [b]", {"a": TODAY, "b": TODAY}, True),
    ("a in b", {"a": TODAY, "b": [TODAY]}, False),        # a member of an array symbol stays naive
    ("a in b", {"a": 1, "b": [True]}, True),              # `in` is Python's: Decimal(1) == True
])
def test_rule_engine_quirks_are_kept(text: str, symbols: dict, expected: bool) -> None:
    condition = compile_condition(text)
    assert condition.translated
    assert condition.evaluate_with_rule_engine(symbols) is expected
    assert condition.evaluate_translated(symbols) is expected


@pytest.mark.parametrize(("text", "symbols", "message"), [
    ("a < 18", {"a": None}, "data type mismatch"),
    ("a < 18", {"a": "17"}, "data type mismatch"),
    ("a[16] == '1'", {"a": "123"}, "lookup operation failed"),
    ("a[16] == '1'", {"a": None}, "data type mismatch (container is null)"),
    ("a[0:2] == '1'", {"a": None}, "data type mismatch"),
    ("(a - b).days > 1", {"a": TODAY, "b": None}, "data type mismatch (not a datetime or timedelta value)"),
    ("a =~ 'x'", {"a": 3}, "data type mismatch"),
])
def test_what_rule_engine_refuses_raises_condition_error(text: str, symbols: dict, message: str) -> None:
    condition = compile_condition(text)
    for evaluate in (condition.evaluate_with_rule_engine, condition.holds):
        with pytest.raises(ConditionError) as raised:
            evaluate(symbols)
        assert str(raised.value) == f"condition {text!r} failed: {message}"


def test_python_errors_rule_engine_lets_through_are_the_same() -> None:
    condition = compile_condition("b =~ 'x' + a")
    for evaluate in (condition.evaluate_with_rule_engine, condition.holds):
        with pytest.raises(TypeError, match="can only concatenate str"):
            evaluate({"a": None, "b": "x"})


UNSUPPORTED = ["staff_count * 2 > 3", "(staff_count ?? 0) > 1", "staff_count > 1 ? true : false",
               "name.as_upper == 'AB'", "$today > d'2020-01-01'"]


@pytest.mark.parametrize("text", UNSUPPORTED)
def test_an_untranslatable_condition_is_evaluated_by_rule_engine(text: str, caplog) -> None:
    from forms.ruletables import import_rule_engine

    rule_engine = import_rule_engine()
    with pytest.raises(Untranslatable):
        translate(rule_engine.Rule(text).statement)
    with caplog.at_level("INFO", logger="forms.conditions"):
        condition = compile_condition(text)
        compile_condition(text)
    assert not condition.translated
    assert len([r for r in caplog.records if "translator does not handle" in r.getMessage()]) == 1
    rule = rule_engine.Rule(text, context=rule_engine.Context(default_value=None))

    def reference(symbols: dict) -> bool:
        try:
            return bool(rule.evaluate(symbols))
        except rule_engine.EngineError as exc:
            raise ConditionError(f"condition {text!r} failed: {exc.message}") from exc

    for symbols in ({"staff_count": 1, "name": "ab"}, {"staff_count": 3, "name": "AB"}, {"staff_count": None}):
        assert outcome(condition.holds, symbols) == outcome(reference, symbols)
    assert outcome(compile_condition("staff_count * 2 > 3").holds, {"staff_count": 2}) == ("value", True)


def test_a_value_the_runtime_does_not_restate_is_evaluated_by_rule_engine() -> None:
    condition = compile_condition("a < today")
    symbols = {"a": dt.datetime(2026, 1, 1, 12, 0), "today": TODAY}
    with pytest.raises(UnsupportedValue):
        condition.evaluate_translated(symbols)
    assert condition.holds(symbols) is condition.evaluate_with_rule_engine(symbols) is True


WARM_PROBE = """
import datetime, sys
from forms.conditions import compile_condition
texts = sys.argv[1:]
symbols = {"today": datetime.date(2026, 12, 4), "birth_date": datetime.date(2025, 1, 1), "applicant_age": 17,
           "staff_count": 2}
print([compile_condition(text).holds(symbols) for text in texts], "rule_engine" in sys.modules)
"""


def test_a_warm_process_evaluates_conditions_without_rule_engine(tmp_path: Path) -> None:
    texts = ["(today - birth_date).days > 365", "applicant_age != null and applicant_age < 18",
             "staff_count * 2 > 3"]
    env = {**os.environ, "KIOSK_CACHE_DIR": str(tmp_path / "cache")}

    def run(*given: str) -> str:
        argv = [sys.executable, "-c", WARM_PROBE, *given]
        return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout.strip()

    assert run(*texts[:2]) == "[True, True] True"    # cold: rule-engine parses, the translations are written
    assert run(*texts[:2]) == "[True, True] False"   # warm: from the cache, rule-engine never imported
    assert run(*texts) == "[True, True, True] True"  # untranslatable: rule-engine evaluates it
    assert run(*texts) == "[True, True, True] True"  # ... also when the cache says so
    (tmp_path / "cache" / conditions.CACHE_NAME).write_bytes(b"junk")
    assert run(*texts[:2]) == "[True, True] True"    # a corrupt cache: parsed again, rewritten
    assert run(*texts[:2]) == "[True, True] False"


def test_a_text_that_does_not_parse_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ConditionError, match="does not parse"):
            compile_condition("a ==")


def test_compile_all_writes_the_cache_once_and_reports_what_does_not_parse(monkeypatch) -> None:
    from forms import compiled

    writes = []
    real_write = compiled.write
    monkeypatch.setattr(compiled, "write", lambda *args: writes.append(args[0]) or real_write(*args))
    failed = conditions.compile_all([*CONDITIONS[:20], "a ==", "staff_count * 2 > 3"])
    assert list(failed) == ["a =="] and isinstance(failed["a =="], ConditionError)
    assert len(writes) == 1
    conditions.forget()
    assert all(compile_condition(text)._rule is None for text in [*CONDITIONS[:20], "staff_count * 2 > 3"])
    assert len(writes) == 1


GENERIC = ["a == b", "a != b", "a < b", "a >= b", "a in b", "a in [b, 1, 'x']", "a =~ b", "a =~~ b", "a !~ b",
           "a !~~ b", "a + b == c", "a - b == c", "(a - b).days == c", "a.length == b", "a[b] == c", "a[b:c] == a",
           "a[:b] == c", "a[b:] == c", "-a == b", "not a", "a and b or c", "[a, b] < [b, a]", "[a] == [b]",
           "a[0][0] == b", "a =~ b + c", "a.days", "a.length", "a[1]", "a[-1] == b", "a in 'abc'", "a + 1 > b"]


@pytest.mark.parametrize("text", GENERIC)
def test_each_translated_construct_evaluates_as_rule_engine_does_over_every_kind(text: str) -> None:
    """Beyond the catalog: each construct over operands of every kind (regexes valid and not, nested
    arrays, negative and fractional indexes)."""
    values = pools("1 2 'x' 'ab' '['")
    values["str"] += ["(", "[a", "a.*", "^x"]
    values["list"] += [[1, 2], ["a", "b"], [TODAY], [[1, 2], 3]]
    condition = compile_condition(text)
    assert condition.translated
    rng = random.Random(text)
    kinds = sorted(values)
    differences = []
    for _ in range(600):
        symbols = {name: rng.choice(values[rng.choice(kinds)]) for name in sorted(condition.names)}
        want = outcome(condition.evaluate_with_rule_engine, symbols)
        got = outcome(condition.evaluate_translated, symbols)
        if got != want:
            differences.append((symbols, want, got))
    assert not differences, f"{len(differences)} differ, e.g. {differences[:3]}"

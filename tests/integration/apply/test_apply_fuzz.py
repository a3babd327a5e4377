"""Arbitrary card JSON and arbitrary answers to every catalog item, through `kiosk.cli.main apply`:
the result is a processed application (exit 0, findings in the JSON) or a one-line refusal (exit 2) —
never a traceback, never exit 1.

Deterministic in CI: `derandomize=True` and no example database, so every run tries the same inputs.
Each example runs the real command in-process against one data dir (about 0.15 s when blocked).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from forms.loader import load_catalog
from idreader import demo_cards
from kiosk.cli import main

CATALOG = load_catalog()
SERVICES = sorted(CATALOG)
FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**25, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["是", "否", "３", "2026-13-01", "2026-02-30", "合格", "理发店", "😀", "𠮷", "\u202e\u0000",
                     "字" * 2001, "1e999", "-0", " ", "13800000000", "500151198503120019"]),
    st.dates().map(lambda day: day.isoformat()),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=2), st.dictionaries(st.text(max_size=3), SCALARS, max_size=2))


ODD_KEYS = st.one_of(st.text(max_size=12), st.sampled_from(["a\nb", "\x1b[2J", "x" * 5000]))


@st.composite
def service_and_answers(draw, base_answers) -> tuple[str, str, dict[str, Any]]:
    """A demo card, and mostly the item's own keys with odd scalar values over its good answers (so review
    runs), sometimes unknown keys and arrays or objects (so the refusals run too)."""
    service = draw(st.sampled_from(SERVICES))
    card = draw(st.sampled_from(demo_cards.NAMES))
    keys = st.sampled_from(list(CATALOG[service].field_keys))
    answers = dict(base_answers(service)) if draw(st.booleans()) else {}
    changes = draw(st.dictionaries(keys, SCALARS, max_size=4))
    answers.update(changes)
    if draw(st.integers(0, 4)) == 0:
        answers[draw(st.one_of(keys, ODD_KEYS))] = draw(VALUES)
    return service, card, answers


@st.composite
def odd_cards(draw) -> dict[str, Any]:
    """A demo card's JSON with some values replaced by odd ones, some keys dropped, maybe one added."""
    card = demo_cards.get(draw(st.sampled_from(demo_cards.NAMES))).to_dict()
    card["photo_wlt"] = None
    for key in draw(st.lists(st.sampled_from(sorted(card)), max_size=4, unique=True)):
        if draw(st.booleans()):
            card[key] = draw(st.one_of(VALUES, st.sampled_from(["", "2099-01-01", "1900-02-29", "男", "X" * 19])))
        else:
            del card[key]
    if draw(st.integers(0, 4)) == 0:
        card[draw(st.text(max_size=8))] = draw(SCALARS)
    return card


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    return path


def _check(code: int, out: str, err: str) -> None:
    # what was drawn, for --hypothesis-show-statistics: the decision, or the start of the refusal
    event(f"exit {code} " + (json.loads(out)["decision"] if code == 0 else err.rsplit(".json", 1)[-1][:40]))
    assert "Traceback" not in err and "Traceback" not in out
    assert code in (0, 2), (code, err)
    if code == 2:
        assert out == ""
        assert err.startswith("kiosk apply: ") and err.count("\n") == 1, err
    else:
        result = json.loads(out)
        assert result["decision"] in ("approved", "accepted", "blocked")
        assert all(f["severity"] in ("block", "review", "warn") and f["message"] for f in result["findings"])


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=st.data())
def test_any_answers_to_any_item_give_findings_or_one_line(fuzz_dir, kit, data) -> None:
    service, card, answers = data.draw(service_and_answers(kit.base_answers))
    path = _write(fuzz_dir / "answers.json", answers)
    _check(*_run(["--log-file", str(fuzz_dir / "kiosk.log"), "apply", "--data-dir", str(fuzz_dir / "data"),
                  "--service", service, "--card", card,
                  "--answers", str(path), "--wait", "5", "--json"]))


@FUZZ
@given(card=odd_cards(), service=st.sampled_from(SERVICES))
def test_any_card_json_gives_findings_or_one_line(fuzz_dir, kit, card, service) -> None:
    card_path = _write(fuzz_dir / "card.json", card)
    answers = _write(fuzz_dir / "card-answers.json", kit.base_answers(service))
    _check(*_run(["--log-file", str(fuzz_dir / "kiosk.log"), "apply", "--data-dir", str(fuzz_dir / "data"),
                  "--service", service, "--card", str(card_path),
                  "--answers", str(answers), "--wait", "5", "--json"]))


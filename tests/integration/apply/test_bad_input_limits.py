"""`kiosk apply` through `kiosk.cli.main`: input that once printed a traceback, ran for a minute or was printed
on a licence now gets one line naming the file and what is wrong, exit 2, and stores nothing — no new
application and no number used (a good application after them still takes the next number)."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import main

PP = "public-place-health-permit"


def run_main(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


def stored(data_dir: Path) -> tuple[int, list[tuple[str, int]]]:
    """(applications, counters) of a data dir, read with plain sqlite3."""
    with contextlib.closing(sqlite3.connect(data_dir / "kiosk.db")) as conn:
        count = conn.execute("SELECT COUNT(*) FROM applications").fetchone()[0]
        counters = conn.execute("SELECT * FROM counters ORDER BY 1").fetchall()
    return count, counters


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, kit) -> Path:
    """A data dir holding one approved application (receipt 0001, licence 000001)."""
    folder = tmp_path_factory.mktemp("limits")
    answers = kit.write_json(folder / "good.json", kit.base_answers(PP))
    code, out, err = run_main("apply", "--data-dir", folder / "data", "--service", PP, "--card", "adult",
                              "--answers", answers, "--json")
    assert code == 0 and json.loads(out)["decision"] == "approved", err
    return folder / "data"


def _with(kit, folder: Path, **changes: object) -> Path:
    return kit.write_json(folder / "answers.json", {**kit.base_answers(PP), **changes})


CASES = {
    "nested 10,000 deep": (lambda kit, d: _raw(d, "[" * 10_000 + "]" * 10_000), "nests arrays or objects too deep"),
    "4,000-digit integer": (lambda kit, d: _raw(d, '{"staff_count": ' + "9" * 4000 + "}"),
                            "a number 4,000 characters long; numbers may have at most 30"),
    "50 MB file": (lambda kit, d: _sparse(d, 50 * 1024 * 1024), "is too large (50.0 MB); the limit is 64 KB"),
    "text field true": (lambda kit, d: _with(kit, d, hygiene_manager=True),
                        "field 'hygiene_manager' (卫生管理员) takes text (a JSON string), not true"),
    "text field object": (lambda kit, d: _with(kit, d, hygiene_manager={"a": 1}),
                          "field 'hygiene_manager' must be one value (text, a number, true/false or null), "
                          "not an object"),
    "address field number": (lambda kit, d: _with(kit, d, business_address=12345),
                             "field 'business_address' (经营场所地址) takes text (a JSON string), "
                             "not the number 12345"),
    "answer 2,001 characters": (lambda kit, d: _with(kit, d, hygiene_manager="张" * 2001),
                                "field 'hygiene_manager' is 2,001 characters long; an answer may have at most 2,000"),
}


def _raw(folder: Path, text: str) -> Path:
    path = folder / "answers.json"
    path.write_text(text, encoding="utf-8")
    return path


def _sparse(folder: Path, size: int) -> Path:
    path = folder / "answers.json"
    with path.open("wb") as handle:
        handle.write(b'{"staff_count": "')
        handle.truncate(size)
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_bad_answers_get_one_line_exit_2_and_store_nothing(kit, data_dir, tmp_path, case):
    make, words = CASES[case]
    before = stored(data_dir)
    path = make(kit, tmp_path)
    code, out, err = run_main("apply", "--data-dir", data_dir, "--service", PP, "--card", "adult",
                              "--answers", path, "--json")
    assert (code, out) == (2, ""), err
    assert err.startswith(f"kiosk apply: answers file {path}") and err.count("\n") == 1, err
    assert words in err
    assert stored(data_dir) == before


def test_numbers_in_number_fields_stay_fine_and_take_the_next_number(kit, data_dir, tmp_path):
    before_count, _ = stored(data_dir)
    path = _with(kit, tmp_path, staff_count=3, floor_area=80.5, staff_trained=3)
    code, out, err = run_main("apply", "--data-dir", data_dir, "--service", PP, "--card", "adult",
                              "--answers", path, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["decision"] == "approved"
    assert result["receipt_no"].endswith("-0002")  # nothing the refusals did used a number
    assert stored(data_dir)[0] == before_count + 1

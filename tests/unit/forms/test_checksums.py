"""Check-character algorithms against the vectors in specs/services.md, plus property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms import checksums

VALID_IDS = ["11010519491231002X", "440524188001010014", "931586198001010028", "50015119850312003X"]
VALID_USCCS = ["91350100M000100Y43", "91512081MA62K0260E"]


@pytest.mark.parametrize("number", VALID_IDS)
def test_gb11643_examples_pass(number: str) -> None:
    assert checksums.id18_problem(number) is None


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("11010519491231002x", "字母 X"),
        ("110105194912310021", "校验码"),
        ("11010519491331002X", "出生日期"),
        ("1101051949123100", "18 位"),
    ],
)
def test_gb11643_failures_say_why(number: str, words: str) -> None:
    problem = checksums.id18_problem(number)
    assert problem is not None and words in problem


def test_id_born_in_the_future_is_refused() -> None:
    import datetime as dt

    number = checksums.make_id18("50015120300101001")
    assert checksums.id18_problem(number) is None
    assert "今天之后" in (checksums.id18_problem(number, dt.date(2026, 11, 21)) or "")


def test_id_kinds() -> None:
    assert checksums.id18_kind("931586198001010028") == "foreign_2023"
    assert checksums.id18_kind("810000199001010019") == "hmt_residence"
    assert checksums.id18_kind("50015119850312003X") == "resident"


@pytest.mark.parametrize("code", VALID_USCCS)
def test_gb32100_examples_pass(code: str) -> None:
    assert checksums.uscc_problem(code) is None
    assert checksums.org_code_ok(code[8:17])


@pytest.mark.parametrize(("code", "words"), [("91350100M000100Y4Z", "Z"), ("91110101MA1234567X", "校验码")])
def test_gb32100_counter_examples_fail(code: str, words: str) -> None:
    problem = checksums.uscc_problem(code)
    assert problem is not None and words in problem


def test_foreign_2017_format() -> None:
    assert checksums.foreign_2017_problem("CAN110081080319") is None
    assert checksums.foreign_2017_problem("CAN11008108031") is not None
    assert checksums.foreign_2017_problem("CAN110081139919") is not None  # month 13


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 9))
def test_gb11643_catches_every_single_digit_error(body: str, position: int, delta: int) -> None:
    number = checksums.make_id18(body)
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    assert checksums.id_check_char(changed[:17]) != changed[17]


@given(
    st.text(alphabet=checksums.USCC_ALPHABET, min_size=17, max_size=17),
    st.integers(0, 16),
    st.integers(1, 30),
)
def test_gb32100_catches_every_single_character_error(body: str, position: int, delta: int) -> None:
    code = checksums.make_uscc(body)
    value = (checksums.USCC_ALPHABET.index(code[position]) + delta) % 31
    changed = code[:position] + checksums.USCC_ALPHABET[value] + code[position + 1 :]
    assert checksums.uscc_problem(changed) is not None

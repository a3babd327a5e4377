"""GB 11643 vectors from the spec, and the ways a number can be wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from idreader.errors import IdNumberError
from idreader.idnumber import check_char, complete, is_permit_2017_number, is_valid, parse


@pytest.mark.parametrize(
    ("number", "division", "birth", "sex", "kind"),
    [
        ("11010519491231002X", "110105", dt.date(1949, 12, 31), "女", "resident"),
        ("440524188001010014", "440524", dt.date(1880, 1, 1), "男", "resident"),
        ("931586198001010028", "931586", dt.date(1980, 1, 1), "女", "foreign_2023"),
    ],
)
def test_spec_vectors(number, division, birth, sex, kind):
    info = parse(number)
    assert (info.division_code, info.birth_date, info.sex, info.kind) == (division, birth, sex, kind)
    assert is_valid(number)


def test_check_characters_from_the_standard():
    assert check_char("11010519491231002") == "X"
    assert check_char("44052418800101001") == "4"
    assert complete("93158619800101002") == "931586198001010028"


def test_foreign_2023_nationality():
    assert parse("931586198001010028").nationality_numeric == "586"
    assert parse("11010519491231002X").nationality_numeric == ""


def test_hmt_numbers():
    number = complete("81000019900422001")
    assert parse(number).kind == "hmt"


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("11010519491231002", "18 characters"),
        ("110105194912310021", "check character"),
        ("11010519491231002x", "digit or X"),
        ("1101051949123100X2", "digit or X"),
        (complete("11010519490231002")[:17] + "0", "not a real date"),
        ("１１０１０５１９４９１２３１００２X", "digit or X"),
    ],
)
def test_invalid_numbers_say_why(number, why):
    with pytest.raises(IdNumberError, match=why):
        parse(number)
    assert not is_valid(number)


def test_impossible_birth_date_is_rejected_even_with_a_right_check_char():
    number = complete("11010519490230002")
    with pytest.raises(IdNumberError, match="not a real date"):
        parse(number)


def test_2017_permit_numbers_are_not_gb11643():
    assert is_permit_2017_number("CAN110081080319")
    assert not is_valid("CAN110081080319")
    assert not is_permit_2017_number("can110081080319")
    assert not is_permit_2017_number("CAN11008108031")

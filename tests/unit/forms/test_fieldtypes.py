"""Field types: normalising, checking and plain-Chinese messages, including hostile input."""

from __future__ import annotations

import datetime as dt

import pytest

from forms import checksums
from forms.fieldtypes import check_value
from forms.normalize import clean_identifier, clean_text, has_pictographs
from forms.spec import FieldSpec

TODAY = dt.date(2026, 11, 21)


def field(type_: str, **extra) -> FieldSpec:
    return FieldSpec(key="x", label="测试项", type=type_, **extra)


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


def test_normalising() -> None:
    assert clean_text("  ５００１５１ＡＢｃ　") == "500151ABc"
    assert clean_identifier(" 1101 0519 4912 3100 2x ") == "11010519491231002X"
    assert clean_text("a\u202eb\x00c\ud800") == "abc"
    assert clean_text("游泳场（馆）") == "游泳场（馆）"  # Chinese brackets are kept


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("931586198001010028", "931586198001010028"),
        ("CAN110081080319", "CAN110081080319"),
    ],
)
def test_id_number_accepts(raw: str, value: str) -> None:
    result = check_value(field("id_number"), raw, TODAY)
    assert (result.value, result.problems) == (value, ())


def test_id_number_rejects_with_advice() -> None:
    result = check_value(field("id_number"), "110105194912310021", TODAY)
    assert codes(result) == ["CHECK"] and "重新输入" in result.problems[0].message
    assert result.value is None


def test_id_number_must_fit_the_card_type() -> None:
    number = "931586198001010028"
    assert codes(check_value(field("id_number"), number, TODAY, card_type="resident")) == ["CARD-TYPE"]
    assert check_value(field("id_number"), number, TODAY, card_type="foreign_2023").problems == ()
    hmt = "810000199001010019"
    assert check_value(field("id_number"), hmt, TODAY, card_type="hmt_residence").problems == ()
    assert codes(check_value(field("id_number"), "CAN1100810803", TODAY, card_type="foreign_2017")) == [
        "FORMAT"
    ]


def test_uscc_org_code_mismatch_is_only_a_warning() -> None:
    body = "92500151MA5UBL3K"
    wrong_org = body + ("0" if checksums.org_code_check_char("MA5UBL3K") != "0" else "1")
    code = checksums.make_uscc(wrong_org)
    result = check_value(field("uscc"), code, TODAY)
    assert result.value == code and codes(result) == ["ORG-CODE"]
    assert result.problems[0].severity == "warn" and result.usable


def test_uscc_lower_case_and_spaces() -> None:
    result = check_value(field("uscc"), " 91350100m000100y43 ", TODAY)
    assert (result.value, result.problems) == ("91350100M000100Y43", ())


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("13983001234", "13983001234"),
        ("+86 139 8300 1234", "13983001234"),
        ("023-45678901", "023-45678901"),
        ("(023)45678901", "023-45678901"),
        ("02345678901", "02345678901"),
        ("１３９８３００１２３４", "13983001234"),
    ],
)
def test_phone_accepts(raw: str, value: str) -> None:
    assert check_value(field("phone"), raw, TODAY).value == value


@pytest.mark.parametrize(
    ("raw", "words"), [("1398300123", "11 位"), ("12983001234", "11 位手机号"), ("电话", "座机")]
)
def test_phone_rejects(raw: str, words: str) -> None:
    result = check_value(field("phone"), raw, TODAY)
    assert result.value is None and words in result.problems[0].message


@pytest.mark.parametrize(
    "raw", ["2026-11-21", "2026/11/21", "2026年11月21日", "20261121", "２０２６-１１-２１"]
)
def test_date_formats(raw: str) -> None:
    assert check_value(field("date"), raw, TODAY).value == TODAY


def test_date_limits() -> None:
    assert codes(check_value(field("date", dates="past"), "2026-11-22", TODAY)) == ["DATE-FUTURE"]
    assert codes(check_value(field("date", dates="future"), "2026-11-20", TODAY)) == ["DATE-PAST"]
    assert codes(check_value(field("date"), "2026-02-30", TODAY)) == ["FORMAT"]
    assert check_value(field("date", dates="past"), TODAY, TODAY).value == TODAY


def test_number_and_integer() -> None:
    area = field("number", min_exclusive=0, max=1_000_000)
    assert check_value(area, "1,200.5", TODAY).value == 1200.5
    assert check_value(area, "80平方米", TODAY).value == 80.0
    assert codes(check_value(area, "0", TODAY)) == ["RANGE"]
    assert codes(check_value(area, "1000001", TODAY)) == ["RANGE"]
    assert codes(check_value(area, "nan", TODAY)) == ["FORMAT"]
    assert codes(check_value(area, "1e400", TODAY)) == ["FORMAT"]
    count = field("integer", min=1)
    assert check_value(count, "3.0", TODAY).value == 3
    assert codes(check_value(count, "2.5", TODAY)) == ["FORMAT"]
    assert codes(check_value(count, "0", TODAY)) == ["RANGE"]
    assert codes(check_value(count, True, TODAY)) == ["FORMAT"]


def test_choice_and_bool() -> None:
    kind = field("choice", options=["游泳场（馆）", "书店"])
    assert check_value(kind, "游泳场(馆)", TODAY).value == "游泳场（馆）"
    result = check_value(kind, "饭店", TODAY)
    assert codes(result) == ["CHOICE"] and "书店" in result.problems[0].message
    assert check_value(field("bool"), "是", TODAY).value is True
    assert check_value(field("bool"), "no", TODAY).value is False
    assert codes(check_value(field("bool"), "也许", TODAY)) == ["CHOICE"]


def test_required_and_empty() -> None:
    result = check_value(field("text", required=True), "   ", TODAY)
    assert codes(result) == ["REQUIRED"] and "请填写“测试项”" in result.problems[0].message
    assert check_value(field("text"), None, TODAY).problems == ()


def test_hostile_text() -> None:
    name = field("text", max_length=50)
    assert check_value(name, "<b>张伟&理发</b>", TODAY).value == "<b>张伟&理发</b>"
    huge = check_value(name, "字" * 10_000, TODAY)
    assert codes(huge) == ["TOO-LONG"]
    assert "最多填 50 个字，现在有 10000 个字" in huge.problems[0].message
    assert codes(check_value(name, "理发店😀", TODAY)) == ["FORMAT"]
    assert has_pictographs("👍") and not has_pictographs("理发（店）")
    assert check_value(field("text"), "a" * 100, TODAY).problems == ()
    assert codes(check_value(field("address"), "重庆", TODAY)) == ["TOO-SHORT"]
    for raw in ("\x00", "\ud800", 12345, 1.5, ["列表"], {"a": 1}):
        check_value(name, raw, TODAY)  # never raises


def test_every_message_says_what_to_do() -> None:
    samples = [
        (field("id_number"), "123"),
        (field("uscc"), "123"),
        (field("phone"), "123"),
        (field("date"), "x"),
        (field("number"), "x"),
        (field("integer"), "x"),
        (field("choice", options=["是"]), "x"),
        (field("bool"), "x"),
        (field("text", max_length=2), "xxx"),
        (field("address"), "x"),
    ]
    for spec, raw in samples:
        message = check_value(spec, raw, TODAY).problems[0].message
        assert any(word in message for word in ("请", "不能")), message

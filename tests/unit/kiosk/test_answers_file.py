"""The answers file's limits and value kinds (kiosk.answers_file), on real files: one message per problem."""

from __future__ import annotations

import pytest

from forms.loader import load_catalog
from idreader.cardjson import nesting_depth
from kiosk.answers_file import (
    MAX_ANSWER_CHARS,
    MAX_FILE_BYTES,
    AnswersFileError,
    check_value_kinds,
    parse_answers,
    read_answers,
)

PP = load_catalog()["public-place-health-permit"]


@pytest.mark.parametrize(("text", "words"), [
    ("[" * 10_000 + "]" * 10_000, "nests arrays or objects too deep"),
    ('{"staff_count": ' + "9" * 4000 + "}", "a number 4,000 characters long"),
    ('{"floor_area": 1.' + "5" * 100 + "}", "a number 102 characters long"),
    ('{"floor_area": NaN}', "NaN is not a number JSON allows"),
    ('{"floor_area": -Infinity}', "-Infinity is not a number JSON allows"),
    ('{"staff_count": 3, "staff_count": 4}', "field 'staff_count' is given twice"),
    ('{"hygiene_manager": {"a": 1}}', "field 'hygiene_manager' must be one value"),
    ('{"hygiene_manager": ["张伟"]}', "not an array"),
    ('{"hygiene_manager": "' + "张" * (MAX_ANSWER_CHARS + 1) + '"}', "an answer may have at most 2,000"),
    ("[1, 2]", "must hold a JSON object"),
    ("{staff_count: 3", "is not valid JSON"),
], ids=["deep", "4000-digit int", "long float", "NaN", "-Infinity", "duplicate key", "object value",
        "array value", "long text", "not an object", "not JSON"])
def test_refused_answers_say_what_is_wrong(text, words):
    with pytest.raises(AnswersFileError, match=r"answers file a\.json") as caught:
        parse_answers(text, "a.json")
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_plain_answers_pass():
    answers = parse_answers('{"staff_count": 3, "floor_area": 85.5, "hygiene_manager": "张伟", "x": null, '
                            '"has_central_ac": false}', "a.json")
    assert answers == {"staff_count": 3, "floor_area": 85.5, "hygiene_manager": "张伟", "x": None,
                       "has_central_ac": False}


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as handle:  # sparse: 50 MB that take no disk
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(AnswersFileError, match=r"is too large \(50\.0 MB\); the limit is 64 KB"):
        read_answers(path)


def test_a_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "edge.json"
    body = '{"hygiene_manager": "张伟"}'
    path.write_text(body + " " * (MAX_FILE_BYTES - len(body.encode())), encoding="utf-8")
    assert read_answers(path) == {"hygiene_manager": "张伟"}


def test_not_utf8_and_missing_files(tmp_path):
    (tmp_path / "gbk.json").write_bytes('{"hygiene_manager": "张伟"}'.encode("gbk"))
    with pytest.raises(AnswersFileError, match="not valid JSON: not UTF-8"):
        read_answers(tmp_path / "gbk.json")
    with pytest.raises(AnswersFileError, match="cannot read answers file"):
        read_answers(tmp_path / "missing.json")


def test_nesting_depth_skips_brackets_inside_strings():
    assert nesting_depth('{"a": "[[[{{{", "b": "\\"["}', 5) == 1
    assert nesting_depth("[[[[", 2) == 3  # stops counting past the limit


@pytest.mark.parametrize(("value", "shown"), [(True, "true"), (False, "false"), (3, "the number 3"),
                                              (1.5, "the number 1.5")])
def test_text_fields_take_text_only(value, shown):
    with pytest.raises(AnswersFileError) as caught:
        check_value_kinds(PP, {"hygiene_manager": value}, "a.json")
    assert str(caught.value) == ("answers file a.json: field 'hygiene_manager' (卫生管理员) takes text "
                                 f"(a JSON string), not {shown}")


def test_numbers_choices_and_empty_values_keep_their_own_checks():
    check_value_kinds(PP, {"staff_count": 3, "floor_area": 85.5, "has_central_ac": True, "hygiene_manager": None,
                           "category": 7, "no_such_field": True}, "a.json")

"""IdCard JSON from outside: every malformed card or file is refused with one line naming what is wrong."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from idreader import IdCard, IdCardFormatError, demo_cards
from idreader.cardjson import MAX_CARD_FILE_BYTES, CardJsonError, nesting_depth, parse_card_json
from idreader.errors import CardFileError


def card_dict(demo: str = "hmt", **changes: object) -> dict[str, object]:
    return {**demo_cards.get(demo).to_dict(), **changes}


@pytest.mark.parametrize(
    ("key", "value", "normalised"),
    [
        ("issue_count", 3, "03"), ("issue_count", "3", "03"), ("issue_count", "03", "03"),
        ("issue_count", 0, "00"), ("issue_count", 99, "99"), ("sex_code", 1, "1"), ("sex_code", "2", "2"),
        ("ethnicity_code", 1, "01"), ("ethnicity_code", "15", "15"), ("ethnicity_code", None, ""),
        ("issue_count", "", ""),
    ],
)
def test_code_fields_take_an_integer_or_digits_and_become_the_card_digit_string(key, value, normalised):
    card = IdCard.from_dict(card_dict(**{key: value}))
    assert getattr(card, key) == normalised
    assert card.to_dict()[key] == normalised  # the contract still writes strings
    assert IdCard.from_dict(card.to_dict()) == card


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("issue_count", 100, "issue_count must be at most 2 digits (0-99), not 100"),
        ("issue_count", -1, "issue_count must be at most 2 digits (0-99), not -1"),
        ("issue_count", 10**3999, "issue_count must be at most 2 digits (0-99), not a huge integer"),
        ("issue_count", "123", "issue_count must be at most 2 digits, not '123'"),
        ("issue_count", 3.0, "issue_count must be at most 2 digits (an integer or a digit string), not a number"),
        ("sex_code", True, "sex_code must be 1 digit (an integer or a digit string), not true"),
        ("sex_code", "01", "sex_code must be 1 digit, not '01'"),
        ("sex_code", 12, "sex_code must be 1 digit (0-9), not 12"),
        ("ethnicity_code", "１５", "ethnicity_code must be at most 2 digits, not '１５'"),
        ("ethnicity_code", [1], "ethnicity_code must be at most 2 digits (an integer or a digit string), not an array"),
        ("name", True, "name must be a string, not true"),
        ("address", {"a": 1}, "address must be a string, not an object"),
        ("id_number", 810000199004220011, "id_number must be a string, not a number"),
        ("authority", [], "authority must be a string, not an array"),
        ("card_type", 1, "card_type must be a string, not a number"),
        ("sex", False, "sex must be a string, not false"),
        ("birth_date", 19900422, "birth_date must be an ISO date (YYYY-MM-DD), not a number"),
        ("valid_from", {"y": 2022}, "valid_from must be an ISO date (YYYY-MM-DD), not an object"),
        ("valid_to", "soon", "valid_to must be an ISO date (YYYY-MM-DD), not 'soon'"),
        ("photo_wlt", 5, "photo_wlt must be base64 text or null, not a number"),
        ("name", "张\x00伟", "name contains the control character U+0000"),
        ("address", "重庆\ud800市", "address contains the lone surrogate U+D800"),
        ("authority", "局\n", "authority contains the control character U+000A"),
        ("address", "路" * 5000, "address has 5000 characters; a card field holds at most 100"),
        ("name", "", "name is empty: a card must carry the holder's name"),
        ("name", "   ", "name is empty: a card must carry the holder's name"),
        ("name", None, "name is empty: a card must carry the holder's name"),
        ("card_type", "x" * 99, "card_type must be one of resident, foreign_2017, foreign_2023, hmt_residence, "
                                  "not 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'"),
    ],
)
def test_a_wrong_value_is_named_in_one_line(key, value, words):
    with pytest.raises(IdCardFormatError) as caught:
        IdCard.from_dict(card_dict(**{key: value}))
    assert str(caught.value) == words


def test_a_card_without_a_name_key_is_refused():
    data = card_dict()
    del data["name"]
    with pytest.raises(IdCardFormatError, match=r"^missing IdCard keys: name$"):
        IdCard.from_dict(data)


def test_a_foreign_permit_may_have_only_the_english_name_but_not_none():
    assert IdCard.from_dict(card_dict("foreign2017", name="")).display_name == "SMITH JOHN"
    with pytest.raises(IdCardFormatError, match="name is empty"):
        IdCard.from_dict(card_dict("foreign2017", name="", name_en=" "))
    with pytest.raises(IdCardFormatError, match="a resident card must carry a Chinese name"):
        IdCard.from_dict(card_dict("adult", name="", name_en="ZHANG WEI"))


def test_many_unknown_keys_stay_one_short_line():
    data = card_dict(**{f"k{index}" * 50: index for index in range(1000)})
    with pytest.raises(IdCardFormatError) as caught:
        IdCard.from_dict(data)
    message = str(caught.value)
    assert message.startswith("unknown IdCard keys: ") and message.endswith(", ...")
    assert "\n" not in message and len(message) < 300


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 10_000 + "]" * 10_000, "JSON nested 10000 levels deep; at most 8 are allowed"),
        ('{"a": ' * 10_000 + "1" + "}" * 10_000, "JSON nested 10000 levels deep; at most 8 are allowed"),
        ('{"issue_count": ' + "7" * 4000 + "}", "issue_count: an integer of 4000 digits (at most 20)"),
        ('{"sex_code": ' + "7" * 5000 + "}", "sex_code: an integer of 5000 digits (at most 20)"),
        ('{"sex_code": [' + "7" * 5000 + "]}", "sex_code: an integer of too many digits (at most 20)"),
        ("9" * 4000, "an integer of 4000 digits (at most 20)"),
        ('{"issue_count": NaN}', "NaN is not a JSON value"),
        ('{"issue_count": -Infinity}', "-Infinity is not a JSON value"),
        ('{"name": "张', "invalid JSON: Unterminated string starting at: line 1 column 10 (char 9)"),
    ],
)
def test_card_json_that_is_not_plain_json_is_one_line(text, words):
    with pytest.raises(CardJsonError) as caught:
        parse_card_json(text.encode())
    assert str(caught.value) == words


def test_nesting_depth_skips_strings():
    assert nesting_depth('{"a": "[[[[{{{\\"[[", "b": [[1]]}') == 3


def test_parse_card_json_rejects_bytes_that_are_not_utf8():
    with pytest.raises(CardJsonError, match="not UTF-8 text"):
        parse_card_json("{}".encode("utf-16"))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[" * 10_000 + "]" * 10_000, "JSON nested 10000 levels deep"),
        ('{"issue_count": ' + "1" * 4000 + "}", "issue_count: an integer of 4000 digits"),
        (json.dumps({k: v for k, v in card_dict().items() if k != "name"}), "missing IdCard keys: name"),
        (json.dumps(card_dict(name="")), "name is empty"),
        (json.dumps(card_dict(address=True)), "address must be a string, not true"),
        (json.dumps(card_dict(issue_count=1.5)).replace("1.5", "1e400"),
         "issue_count must be at most 2 digits (an integer"),
    ],
)
def test_load_names_the_file_and_the_problem(tmp_path, content, words):
    path = tmp_path / "card.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CardFileError) as caught:
        demo_cards.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not an IdCard JSON file: ") and words in message
    assert "\n" not in message


def test_load_caps_the_file_size_without_reading_it_all(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as stream:  # 50 MB, sparse: reading it all would be the bug
        stream.truncate(50 * 1024 * 1024)
    with pytest.raises(CardFileError, match=r"big\.json: the card file is larger than 64 KiB"):
        demo_cards.load(path)
    just_right = tmp_path / "padded.json"
    text = json.dumps(card_dict(issue_count=3), ensure_ascii=False)
    just_right.write_text(text + " " * (MAX_CARD_FILE_BYTES - len(text.encode())), encoding="utf-8")
    assert demo_cards.load(just_right).issue_count == "03"


def test_load_accepts_integer_codes_in_a_file(tmp_path):
    path = tmp_path / "card.json"
    path.write_text(json.dumps(card_dict("adult", sex_code=1, ethnicity_code=1)), encoding="utf-8")
    card = demo_cards.load(path)
    assert (card.sex_code, card.ethnicity_code) == ("1", "01")
    assert card == demo_cards.get("adult")


# --- arbitrary JSON: an IdCard or one line, never another exception -------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
_field_values = st.one_of(_json_values, st.sampled_from(["", "1", "03", "2022-09-01", "男", "resident", "张三"]))


@settings(max_examples=300, deadline=None)
@given(changes=st.dictionaries(st.sampled_from(sorted(demo_cards.get("hmt").to_dict())), _field_values,
                               max_size=6),
       drop=st.sets(st.sampled_from(sorted(demo_cards.get("hmt").to_dict())), max_size=3))
def test_arbitrary_values_give_a_card_or_one_line(changes, drop):
    data = {key: value for key, value in card_dict(**changes).items() if key not in drop}
    try:
        card = IdCard.from_dict(data)
    except IdCardFormatError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
    else:
        assert IdCard.from_dict(card.to_dict()) == card
        assert all(isinstance(value, str) or value is None for value in card.to_dict().values())


@settings(max_examples=300, deadline=None)
@given(value=_json_values)
@example(value={"\n": 10**20})  # a key holding a line break, on a value too long: the message stays one line
def test_arbitrary_json_text_gives_a_card_or_one_line(value):
    text = json.dumps(value)
    try:
        data = parse_card_json(text.encode())
        IdCard.from_dict(data)
    except (CardJsonError, IdCardFormatError) as exc:
        assert "\n" not in str(exc)

"""Rare name characters (GB 18030: Extension A, B and later) are accepted; emoji, private-use and
broken characters are refused with a message that names them; names are never NFC-normalised."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from forms.charset import is_han_name, lone_surrogates, pictographs, repair_surrogates, unusable_code_points
from forms.fieldtypes import check_value
from forms.normalize import clean_text, has_pictographs
from forms.spec import FieldSpec

TODAY = dt.date(2026, 11, 21)
#: Names from several blocks: Extension A 䶮, Extension B 𠮷 and 𠀀, Extension C 𪚥, Extension D 𫖮,
#: Extension E 𬌗, a 2020 URO addition 鿏, a compatibility ideograph, an ideographic variation sequence,
#: and a minority name with a middle dot.
RARE_NAMES = ["张䶮", "𠮷田", "𠀀", "王𪚥", "王𫖮", "龚𬌗", "鿏", "\uf900\uf901", "葛\U000e0100明",
              "阿依古丽·买买提", "叶䶮䶮"]
NAME = FieldSpec(key="applicant_name", label="申请人", type="text", required=True, max_length=50)


@pytest.mark.parametrize("name", RARE_NAMES)
def test_rare_names_pass_the_text_check_unchanged(name):
    result = check_value(NAME, name, TODAY)
    assert result.problems == ()
    assert result.value == name  # not NFC: U+F900 stays U+F900 (NFC would make it U+8C48)
    assert not has_pictographs(name)
    assert is_han_name(name)


def test_nfc_would_have_changed_a_compatibility_ideograph():
    # Why the checks must not normalise: the guard above would fail if clean_text used NFC/NFKC.
    assert unicodedata.normalize("NFC", "\uf900") == "\u8c48"
    assert clean_text("\uf900") == "\uf900"


@pytest.mark.parametrize(("text", "found"), [
    ("理发店😀", ["😀"]),
    ("❤\ufe0f", ["❤", "\ufe0f"]),
    ("中国🇨🇳", ["🇨", "🇳"]),
    ("👍🏻", ["👍", "🏻"]),
    ("🀄", ["🀄"]),
])
def test_emoji_are_refused_by_property_not_by_plane(text, found):
    assert pictographs(text) == found
    result = check_value(NAME, text, TODAY)
    assert [p.code for p in result.problems] == ["FORMAT"]
    assert "表情或图形符号" in result.problems[0].message


def test_private_use_and_unassigned_code_points_are_refused_with_the_code_point():
    assert unusable_code_points("张\ue816") == ["U+E816"]  # GB18030-2005 FE51 decodes to this PUA point
    result = check_value(NAME, "张\ue816", TODAY)
    assert [p.code for p in result.problems] == ["FORMAT"]
    assert "U+E816" in result.problems[0].message
    assert unusable_code_points("\U0003fffd") == ["U+3FFFD"]


def test_surrogate_halves_of_a_pair_are_joined():
    assert repair_surrogates("\ud842\udfb7田") == "𠮷田"
    assert check_value(NAME, "\ud842\udfb7田", TODAY).value == "𠮷田"


@pytest.mark.parametrize("raw", ["张\ud842", "\udfb7田", "\ud800"])
def test_lone_surrogates_are_refused_with_a_clear_message(raw):
    assert lone_surrogates(repair_surrogates(raw))
    result = check_value(NAME, raw, TODAY)
    assert [p.code for p in result.problems] == ["FORMAT"]
    assert "损坏的字符" in result.problems[0].message and "U+D" in result.problems[0].message


@pytest.mark.parametrize("text", ["张三·", "·张三", "张😀", "Zhang San", "张 三", ""])
def test_is_han_name_wants_ideographs_with_dots_only_between_parts(text):
    assert not is_han_name(text)

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


def test_every_plain_character_is_assigned_not_private_and_not_pictographic_by_regex_tables():
    """The characters answered without `regex` (forms.charset._PLAIN): each one, checked with `regex`'s
    own patterns, is neither a pictograph nor private or unassigned, so the fast path answers as `regex`
    would. (U+3030 〰 and U+303D 〽, pictographs, are kept out of the CJK punctuation range.)"""
    import regex

    from forms import charset

    plain = [chr(code) for code in range(0x110000)
             if not 0xD800 <= code <= 0xDFFF and charset._plain(chr(code))]
    assert len(plain) > 21_000 and "〰" not in plain and "〽" not in plain and "©" not in plain
    patterns = charset._patterns()
    text = "".join(plain)
    assert patterns["pictograph"].findall(text) == []
    assert patterns["private_or_unassigned"].findall(text) == []
    assert regex.fullmatch(r"[\p{Han}]+", "".join(ch for ch in plain if "\u4e00" <= ch <= "\u9fa5"))


def test_plain_text_is_checked_without_loading_regex_and_other_text_loads_it():
    import subprocess
    import sys

    code = ("import sys\nfrom forms.fieldtypes import check_value\nfrom forms.spec import FieldSpec\n"
            "import datetime as dt\nf = FieldSpec(key='n', label='n', type='text', required=True, max_length=50)\n"
            "r = check_value(f, '张伟理发店（铜梁）No.1', dt.date(2026, 11, 21))\n"
            "print(r.problems == (), 'regex' in sys.modules)\n"
            "r = check_value(f, '张伟😀', dt.date(2026, 11, 21))\nprint(bool(r.problems), 'regex' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False", "True", "True"]


def test_drop_controls_returns_printable_text_as_it_is_and_removes_every_control_format_and_surrogate() -> None:
    """Its shortcut (text that `str.isprintable` passes is returned as given) skips nothing it must drop:
    no code point it lets through is a control (Cc), format (Cf) or surrogate (Cs) character."""
    from forms.normalize import drop_controls

    dropped = {"Cc", "Cf", "Cs"}
    for code in range(0x110000):
        char = chr(code)
        if char.isprintable():
            assert unicodedata.category(char) not in dropped, hex(code)
    assert drop_controls("张伟 ＡＢ 1") == "张伟 ＡＢ 1"
    assert drop_controls("张\u200d伟\x00<b>\u202e\ud800") == "张伟<b>"
    assert drop_controls("第一行\n第二行", keep_newlines=True) == "第一行\n第二行"
    assert drop_controls("第一行\n第二行") == "第一行第二行"

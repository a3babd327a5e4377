"""forms.regex_code: a pattern compiled from the cache is the pattern `re` compiles (same flags, groups and
engine code, same matches), a second block parses nothing, and whatever the cache cannot serve goes to
`re`'s own compiler unchanged."""

from __future__ import annotations

import re
import re._parser

import pytest

from forms import regex_code
from forms.regex_code import cached_regex_code
from kiosk.logging_setup import _PATTERN as ID_OR_PHONE  # long, named groups, lookbehinds

PATTERNS: list[tuple[str | bytes, int]] = [
    (r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", 0),
    (r"(?i)straße|ǅ[a-zß]+", 0),  # case folding beyond ASCII, an inline flag
    (r"[\u4e00-\u9fa5\u00b7\u2014]+", re.MULTILINE),
    (r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9])", 0),
    (r"""(?x) ^ (?P<key> \w+ ) \s* = \s* (?P<value> .*? ) \s* $  # a comment""", 0),
    (r"(a)(b)?(?(2)c|d)", 0),  # a conditional on a group
    (rb"[\x10\x1b\x1c\x1d](?P<command>.)", 0),
    (rb"(?i)gb18030", re.DOTALL),
    (ID_OR_PHONE.pattern, ID_OR_PHONE.flags & ~re.UNICODE),
]
SAMPLES = ["2026-12-4", "STRASSE Straße ǆab", "张伟·王\n李", "11010519491231002X", " key = value ", "abc", "ad",
           "电话 13800138000 身份证 110105194912310021"]


def fresh(pattern: str | bytes, flags: int) -> re.Pattern:
    return regex_code._compile_anew(pattern, flags)


def same(cached: re.Pattern, compiled: re.Pattern) -> bool:
    return (cached == compiled and cached.groupindex == compiled.groupindex and cached.groups == compiled.groups
            and cached.flags == compiled.flags and cached.pattern == compiled.pattern)


def test_a_pattern_from_the_cache_is_the_one_re_compiles_and_a_second_block_parses_nothing(
        tmp_path, monkeypatch) -> None:
    with cached_regex_code("regex.pickle", tmp_path) as cache:
        first = [re._compiler.compile(pattern, flags) for pattern, flags in PATTERNS]
    assert cache is not None and cache.compiled == len(PATTERNS)
    assert re._compiler.compile is regex_code._compile_anew  # put back

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(re._parser, "parse", no_parsing)
    with cached_regex_code("regex.pickle", tmp_path) as cache:
        second = [re._compiler.compile(pattern, flags) for pattern, flags in PATTERNS]
    monkeypatch.undo()
    assert cache is not None and cache.compiled == 0
    for (pattern, flags), made, served in zip(PATTERNS, first, second, strict=True):
        reference = fresh(pattern, flags)
        assert same(made, reference) and same(served, reference), pattern
        for text in SAMPLES:
            subject = text.encode("gb18030") if isinstance(pattern, bytes) else text
            assert [m.groupdict() | {"": m.span()} for m in served.finditer(subject)] == \
                   [m.groupdict() | {"": m.span()} for m in reference.finditer(subject)]


def test_re_compile_itself_goes_through_the_cache(tmp_path) -> None:
    pattern = r"(?P<only>this pattern is compiled by this test alone)\s*[甲乙丙]"
    with cached_regex_code("regex.pickle", tmp_path) as cache:
        compiled = re.compile(pattern)
    assert cache is not None and cache.compiled == 1 and (pattern, 0) in cache.stored
    assert compiled.match("this pattern is compiled by this test alone 乙")["only"].startswith("this")


def test_a_bad_pattern_raises_as_before_and_is_not_stored(tmp_path) -> None:
    with cached_regex_code("regex.pickle", tmp_path) as cache, pytest.raises(re.error) as raised:
        re._compiler.compile(r"(?P<name>unclosed", 0)
    with pytest.raises(re.error) as expected:
        fresh(r"(?P<name>unclosed", 0)
    assert str(raised.value) == str(expected.value)
    assert cache is not None and cache.stored == {}
    assert not (tmp_path / "regex.pickle").exists()  # nothing compiled, nothing written


def test_debug_patterns_and_parsed_patterns_go_to_re_unchanged(tmp_path, capsys) -> None:
    with cached_regex_code("regex.pickle", tmp_path) as cache:
        debug = re._compiler.compile(r"ab+", re.DEBUG)  # prints the parse tree, as re does
        scanner = re.Scanner([(r"\d+", lambda s, t: int(t)), (r"\s+", None)])  # compiles a parsed pattern
    assert "LITERAL 97" in capsys.readouterr().out
    assert same(debug, fresh(r"ab+", re.DEBUG))
    assert scanner.scan("12 34") == ([12, 34], "")
    assert cache is not None and cache.stored == {}


def test_a_nested_block_serves_from_the_outer_one_and_the_compiler_is_put_back_after_an_error(tmp_path) -> None:
    with pytest.raises(RuntimeError), cached_regex_code("outer.pickle", tmp_path) as outer:
        with cached_regex_code("inner.pickle", tmp_path) as inner:
            assert inner is None
            re._compiler.compile(r"nested\s+block", 0)
        assert outer is not None and (r"nested\s+block", 0) in outer.stored
        raise RuntimeError("the command failed")
    assert re._compiler.compile is regex_code._compile_anew
    assert (tmp_path / "outer.pickle").is_file() and not (tmp_path / "inner.pickle").exists()


def test_another_interpreter_s_cache_is_not_used(tmp_path, monkeypatch) -> None:
    with cached_regex_code("regex.pickle", tmp_path):
        re._compiler.compile(r"version\d+", 0)
    monkeypatch.setattr(regex_code, "cache_key", lambda: "another interpreter")
    with cached_regex_code("regex.pickle", tmp_path) as cache:
        re._compiler.compile(r"version\d+", 0)
    assert cache is not None and cache.compiled == 1

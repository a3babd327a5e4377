"""The answers file of `kiosk apply --answers FILE`: read it within limits, then check each value's kind.

An answers file is one JSON object of field key -> value, where a value is text, a number, true/false
or null. It is refused (`AnswersFileError`, whose message is the one line `kiosk apply` prints) when:

- the file is larger than `MAX_FILE_BYTES` (it is never read further than that);
- it is not UTF-8 JSON, or arrays/objects nest more than `MAX_NESTING` deep (checked on the text,
  before parsing), or it holds NaN/Infinity, a number literal longer than `MAX_NUMBER_CHARS`, or a key
  given twice;
- a value is an array or an object, or a text value is longer than `MAX_ANSWER_CHARS`;
- (`check_value_kinds`, with the service spec) a text or address field holds something other than
  text: `true` or `{"a": 1}` must never be printed on an official document as "True" or "{'a': 1}".
  Numbers, dates, choices and yes/no questions keep their own checks, which report findings.

Everything else about a value (format, range, length limits of the field) is pre-review's job: the
applicant gets findings, not a refusal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from forms.spec import ServiceSpec
from idreader.cardjson import nesting_depth

#: An answers file is a few hundred bytes; 64 KB leaves room for every field at its longest.
MAX_FILE_BYTES = 64 * 1024
#: The longest text accepted for one answer (the longest field allows a few hundred characters).
MAX_ANSWER_CHARS = 2000
#: Longest number literal (digits, sign, point, exponent); 4,000-digit integers are refused.
MAX_NUMBER_CHARS = 30
#: The answers object itself is depth 1; values never nest, the margin only makes the message exact.
MAX_NESTING = 2
#: Field types whose value is printed as written: they take text only.
TEXT_TYPES = frozenset({"text", "address"})


class AnswersFileError(ValueError):
    """An answers file `kiosk apply` cannot use; the message names the file and what is wrong."""


def read_answers(path: Path) -> dict[str, Any]:
    """The answers of `path`, read and parsed within the limits above. Raises AnswersFileError."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                handle.seek(0, 2)
                size = max(handle.tell(), len(data))
                raise AnswersFileError(
                    f"answers file {path} is too large ({_size(size)}); the limit is {_size(MAX_FILE_BYTES)}")
    except OSError as exc:
        raise AnswersFileError(f"cannot read answers file {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswersFileError(f"answers file {path} is not valid JSON: not UTF-8 text ({exc.reason} "
                               f"at byte {exc.start})") from None
    return parse_answers(text, str(path))


def parse_answers(text: str, source: str) -> dict[str, Any]:
    """Parse the text of an answers file named `source`. Raises AnswersFileError."""
    depth = nesting_depth(text, MAX_NESTING)
    if depth > MAX_NESTING:
        raise AnswersFileError(f"answers file {source} nests arrays or objects too deep (more than "
                               f"{MAX_NESTING} levels); it must be one JSON object of field key -> value")
    try:
        data = json.loads(text, parse_int=_number(int), parse_float=_number(float),
                          parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except _Refused as exc:
        raise AnswersFileError(f"answers file {source}: {exc}") from None
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise AnswersFileError(f"answers file {source} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise AnswersFileError(f"answers file {source} must hold a JSON object of field key -> value")
    for key, value in data.items():
        if isinstance(value, dict | list):
            kind = "an object" if isinstance(value, dict) else "an array"
            raise AnswersFileError(f"answers file {source}: field {_key(key)} must be one value "
                                   f"(text, a number, true/false or null), not {kind}")
        if isinstance(value, str) and len(value) > MAX_ANSWER_CHARS:
            raise AnswersFileError(f"answers file {source}: field {_key(key)} is {len(value):,} characters "
                                   f"long; an answer may have at most {MAX_ANSWER_CHARS:,}")
    return data


def check_value_kinds(spec: ServiceSpec, answers: Mapping[str, Any], source: str) -> None:
    """Refuse a non-text value in a text or address field of `spec` (AnswersFileError naming the field).

    Keys the spec does not declare are left to the form engine, which names them."""
    fields = {field.key: field for field in spec.fields}
    for key, value in answers.items():
        field = fields.get(key)
        if field is None or field.type not in TEXT_TYPES or value is None or isinstance(value, str):
            continue
        raise AnswersFileError(
            f"answers file {source}: field {_key(key)} ({field.label}) takes text (a JSON string), "
            f"not {_shown(value)}")


class _Refused(ValueError):
    """A JSON value the answers file may not hold (raised from the decoder's hooks)."""


def _number(kind: type):
    def parse(literal: str) -> Any:
        if len(literal) > MAX_NUMBER_CHARS:
            raise _Refused(f"a number {len(literal):,} characters long; numbers may have at most "
                           f"{MAX_NUMBER_CHARS} characters")
        return kind(literal)
    return parse


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number JSON allows; write the number, or leave the field out")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"field {_key(key)} is given twice")
        result[key] = value
    return result


def _key(key: str) -> str:
    return repr(key if len(key) <= 60 else key[:60] + "…")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    return "an object" if isinstance(value, dict) else "an array"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"

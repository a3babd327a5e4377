"""Reading IdCard JSON files safely: a size cap, a nesting cap and plain JSON only (pure but for one read).

`read_card_file(path)` returns the bytes of a file no larger than MAX_CARD_FILE_BYTES (without reading
more than that), `parse_card_json(bytes)` decodes them. Both fail with one line: CardFileError (the
file cannot be read or is too big, naming the file) and CardJsonError (what is wrong with the text:
not UTF-8, bad syntax, nested deeper than MAX_JSON_DEPTH, NaN / Infinity, an integer of more than
MAX_INTEGER_DIGITS digits, naming the key it belongs to). `IdCard.from_dict` then checks the card.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from idreader.errors import CardFileError

MAX_CARD_FILE_BYTES = 64 * 1024  # a card with its base64 photo is under 2 KiB
MAX_JSON_DEPTH = 8  # an IdCard is one flat object
MAX_INTEGER_DIGITS = 20  # the code fields hold 1 or 2 digits


class CardJsonError(ValueError):
    """Card JSON text that cannot be decoded; the caller names the file."""


def read_card_file(file: Path) -> bytes:
    """The bytes of a card file, refusing one larger than MAX_CARD_FILE_BYTES without reading it all."""
    try:
        with file.open("rb") as stream:
            data = stream.read(MAX_CARD_FILE_BYTES + 1)
    except OSError as exc:
        raise CardFileError(f"{file}: cannot read the card file: {exc.strerror or exc}") from None
    if len(data) > MAX_CARD_FILE_BYTES:
        raise CardFileError(f"{file}: the card file is larger than {MAX_CARD_FILE_BYTES // 1024} KiB "
                            "(an IdCard JSON file is about 2 KiB)")
    return data


def parse_card_json(data: bytes | str) -> Any:
    """Decode card JSON (bytes as UTF-8); CardJsonError in one line for anything but plain JSON."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CardJsonError(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    else:
        text = data
    depth = nesting_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise CardJsonError(f"JSON nested {depth} levels deep; at most {MAX_JSON_DEPTH} are allowed")
    try:
        value = json.loads(text, parse_int=_parse_int, parse_constant=_refuse_constant,
                           object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise CardJsonError(f"invalid JSON: {exc}") from None
    except RecursionError:  # not reached under the depth cap; kept so that no traceback can escape
        raise CardJsonError("JSON nested too deeply") from None
    if isinstance(value, _LongInteger):
        raise CardJsonError(f"an integer of {value.digits} digits (at most {MAX_INTEGER_DIGITS})")
    return value


def nesting_depth(text: str, limit: int | None = None) -> int:
    """The deepest [ / { nesting of a JSON text, skipping strings (a linear scan, no recursion); with a
    `limit`, the scan stops as soon as the depth passes it (the card file and `kiosk apply`'s answers).

    >>> nesting_depth('{"a": [1, {"b": "[[["}]}')
    3
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if limit is not None and deepest > limit:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


class _LongInteger:
    """Stands in for an integer literal too long to be a card value, until its key is known."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _parse_int(literal: str) -> int | _LongInteger:
    digits = len(literal.lstrip("-"))
    return int(literal) if digits <= MAX_INTEGER_DIGITS else _LongInteger(digits)


def _refuse_constant(name: str) -> Any:
    raise CardJsonError(f"{name} is not a JSON value")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    for key, value in pairs:
        if isinstance(value, _LongInteger):
            shown = _shown_key(key)
            raise CardJsonError(f"{shown}: an integer of {value.digits} digits (at most {MAX_INTEGER_DIGITS})")
        if isinstance(value, list) and any(isinstance(item, _LongInteger) for item in value):
            raise CardJsonError(f"{_shown_key(key)}: an integer of too many digits (at most {MAX_INTEGER_DIGITS})")
    return dict(pairs)


def _shown_key(key: str) -> str:
    """A key of any JSON text as one printable line: as it is when plain, else quoted with escapes, cut at 40."""
    return key if key.isprintable() and len(key) <= 40 else repr(key[:40])

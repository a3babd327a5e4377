"""A `DocumentContext` as JSON and back, so the PDFs of an application can be made again later.

    text = context_to_json(ctx)              # stored with the decision, in the same transaction
    ctx == context_from_json(text)           # True: every field, dates, the signature PNG included

The kiosk stores this text beside each committed application; rendering the same context gives PDFs
with the same text as the originals (`kiosk documents`, the start-up and `kiosk doctor` repair).
Pure: no I/O. Dates and datetimes are ISO strings, bytes are Base64; the nested dataclasses are
rebuilt from the model's own type hints, so a field added to the model needs no change here.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import types
import typing
from typing import Any

from forms.documents import model
from forms.documents.errors import DocumentInputError

#: Bumped when the stored form changes in a way old text cannot be read with.
SNAPSHOT_VERSION = 1


def context_to_json(ctx: model.DocumentContext) -> str:
    """The context as one JSON object (UTF-8 text, keys in field order)."""
    return json.dumps({"version": SNAPSHOT_VERSION, "context": _encode(ctx)}, ensure_ascii=False)


def context_from_json(text: str) -> model.DocumentContext:
    """The context `context_to_json` wrote; DocumentInputError when the text is not one."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"not a version {SNAPSHOT_VERSION} document snapshot")
        return _decode(model.DocumentContext, data["context"])
    except (ValueError, KeyError, TypeError) as exc:
        raise DocumentInputError(f"stored document data cannot be read: {exc}") from None


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    return value


def _decode(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):  # X | None
        if value is None:
            return None
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
        origin = typing.get_origin(hint)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_decode(item, element) for element in value)
    if origin is typing.Literal:
        return value
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise TypeError(f"{hint.__name__}: expected an object, got {type(value).__name__}")
        hints = typing.get_type_hints(hint, vars(model))
        known = {f.name for f in dataclasses.fields(hint)}
        return hint(**{name: _decode(hints[name], item) for name, item in value.items() if name in known})
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if hint is bytes:
        return base64.b64decode(value.encode("ascii"), validate=True)
    return value

"""The store's `registry` table seen as `forms.registry.Registry` (read-only), and the seed format.

Registry rows are generic (kind, key, JSON data). This module fixes three kinds:
    business  key = uscc        data = the fields of forms.registry.Business
    licence   key = number      data = the fields of forms.registry.Licence (dates as ISO text)
    person    key = id_number   data = the fields of forms.registry.Person
`registry_records(...)` turns those dataclasses (e.g. forms.demo_registry's) into the plain dicts
`Store.seed_registry` takes; `StoreRegistry(store)` answers the Registry protocol from the table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from forms.registry import Business, Licence, Person
from kiosk.store.store import Store

_Record = TypeVar("_Record", Business, Licence, Person)
_KINDS: tuple[tuple[str, type, str], ...] = (
    ("business", Business, "uscc"), ("licence", Licence, "number"), ("person", Person, "id_number"))


def registry_records(businesses: Iterable[Business] = (), licences: Iterable[Licence] = (),
                     persons: Iterable[Person] = ()) -> list[dict[str, Any]]:
    """Plain dicts for `Store.seed_registry`: {"kind", "key", "data"}."""
    records = []
    for (kind, _cls, key_field), items in zip(_KINDS, (businesses, licences, persons), strict=True):
        for item in items:
            values = ((field.name, getattr(item, field.name)) for field in dataclasses.fields(item))
            data = {name: value.isoformat() if isinstance(value, dt.date) else value for name, value in values}
            records.append({"kind": kind, "key": data[key_field], "data": data})
    return records


def _build(cls: type[_Record], data: dict[str, Any]) -> _Record:
    values = {}
    for field in dataclasses.fields(cls):
        if field.name not in data:
            continue
        value = data[field.name]
        if field.type in ("dt.date", "datetime.date") and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        values[field.name] = value
    return cls(**values)


class StoreRegistry:
    """`forms.registry.Registry` over the store's registry table. Unknown keys give None / []."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def businesses_for_person(self, id_number: str) -> list[Business]:
        return [_build(Business, data)
                for _key, data in self._store.registry_find("business", "legal_rep_id_number", id_number)]

    def business(self, uscc: str) -> Business | None:
        data = self._store.registry_get("business", uscc)
        return _build(Business, data) if data is not None else None

    def licences_for(self, uscc: str) -> list[Licence]:
        rows = self._store.registry_find("licence", "uscc", uscc)
        licences = [_build(Licence, data) for _key, data in rows]
        return sorted(licences, key=lambda lic: lic.valid_to, reverse=True)

    def person(self, id_number: str) -> Person | None:
        data = self._store.registry_get("person", id_number)
        return _build(Person, data) if data is not None else None

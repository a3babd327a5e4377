"""The store's registry table answers like forms' in-memory registry for every demo record."""

from __future__ import annotations

import datetime as dt

from forms import demo_registry
from forms.registry import Registry
from kiosk.store import Store
from kiosk.store.registry_view import StoreRegistry, registry_records

TODAY = dt.date(2026, 11, 21)


def test_store_registry_matches_the_in_memory_demo_registry(tmp_path):
    memory = demo_registry.demo_registry(TODAY)
    with Store.open(tmp_path) as store:
        count = store.seed_registry(registry_records(memory.businesses, memory.licences, memory.persons))
        assert count == len(memory.businesses) + len(memory.licences) + len(memory.persons)
        stored = StoreRegistry(store)
        assert isinstance(stored, Registry)
        for person in memory.persons:
            assert stored.person(person.id_number) == person
            assert stored.businesses_for_person(person.id_number) == memory.businesses_for_person(
                person.id_number)
        for business in memory.businesses:
            assert stored.business(business.uscc) == business
            assert stored.licences_for(business.uscc) == memory.licences_for(business.uscc)
        assert stored.person("110105194912310021") is None
        assert stored.business("91350100M000100Y43") is None
        assert stored.licences_for("91350100M000100Y43") == []

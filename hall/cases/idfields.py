"""Which of an application's answers are ID numbers, to be sealed like the applicant's (hall.cases.idnumbers).

Two ways, either is enough: the item's spec in the shipped catalog types the field `id_number` (the
applicant's, an employee's, the other parent's, a partner's ...), or the value is an 18-character resident ID
number whose check digit is right (an item the hall's catalog does not know, a field typed `text` that holds
a legal representative's number). The catalog is read once per process (about 0.4 s; hall.wsgi reads it
before the workers fork).
"""

from __future__ import annotations

from functools import cache

from forms import checksums


@cache
def spec_keys() -> dict[str, frozenset[str]]:
    """{service id: the keys of its fields typed id_number}, from the shipped catalog (bundles included)."""
    from forms.loader import load_catalog

    keys: dict[str, frozenset[str]] = {}
    for service_id, spec in load_catalog().items():
        typed = {f.key for f in spec.fields if f.type == "id_number"}
        if typed:
            keys[service_id] = frozenset(typed)
    return keys


def looks_like_id_number(value: object) -> bool:
    """An 18-character mainland resident ID number with a right check digit (spaces ignored)."""
    if not isinstance(value, str):
        return False
    return len(value) >= 18 and checksums.is_valid_id18("".join(value.split()).upper())


def id_answer_keys(service: str, answers: dict) -> list[str]:
    """The keys of `answers` holding an ID number, in the answers' order (only non-empty strings)."""
    typed = spec_keys().get(service, frozenset())
    return [k for k, v in answers.items() if isinstance(v, str) and v and (k in typed or looks_like_id_number(v))]

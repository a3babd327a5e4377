"""Prefill: the first Answers of a form, from the ID card, the registry and an earlier application.

Each field's `prefill` source (see `forms.spec`) says where its value comes from. Values from the card
or the registry are locked unless the field is `editable`. Fields that hang off the credit code
(`registry.business.*`, `registry.licence.*`, `registry.is_legal_rep`) are recomputed by
`refresh_from_uscc` whenever the credit-code answer (the field with role `credit_code`) changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from forms.answers import Answer, Answers, Choice, Source
from forms.normalize import clean_identifier
from forms.registry import Business, Licence, Registry
from forms.spec import FieldRole

if TYPE_CHECKING:
    from forms.spec import FieldSpec, ServiceSpec
    from idreader import IdCard

USCC_DEPENDENT = ("registry.business.", "registry.licence.", "registry.is_legal_rep")


def _authority(field: FieldSpec, value: Any, source: Source) -> Answer:
    return Answer(value, source, locked=source.is_authority and not field.editable)


def _card_value(card: IdCard, attr: str) -> Any:
    value = getattr(card, attr)
    return value if value not in ("", None) else None


def prefill(
    spec: ServiceSpec,
    card: IdCard | None,
    registry: Registry | None,
    today: dt.date,
    earlier: Mapping[str, Any] | None = None,
) -> Answers:
    """The prefilled answers for `spec`; `earlier` is the answers of the applicant's earlier application."""
    answers = Answers()
    for field in spec.fields:
        source = field.prefill
        if source is None or source.startswith(USCC_DEPENDENT):
            continue
        if source.startswith("card.") and card is not None:
            value = _card_value(card, source.removeprefix("card."))
            if value is not None:
                answers = answers.with_answer(field.key, _authority(field, value, Source.CARD))
        elif source == "registry.businesses" and card is not None and registry is not None:
            answers = _offer_businesses(answers, field, registry.businesses_for_person(card.id_number))
        elif source.startswith("registry.person.") and card is not None and registry is not None:
            person = registry.person(card.id_number)
            value = getattr(person, source.removeprefix("registry.person."), None) if person else None
            if value not in (None, ""):
                answers = answers.with_answer(field.key, _authority(field, value, Source.REGISTRY))
        elif source == "earlier" and earlier and earlier.get(field.key) not in (None, ""):
            answers = answers.with_answer(field.key, Answer(earlier[field.key], Source.EARLIER, False))
    return refresh_from_uscc(spec, answers, card, registry, today)


def _offer_businesses(answers: Answers, field: FieldSpec, businesses: list[Business]) -> Answers:
    choices = tuple(Choice(b.uscc, b.name) for b in businesses)
    if len(businesses) == 1:
        return answers.with_answer(field.key, Answer(businesses[0].uscc, Source.REGISTRY,
                                                     locked=not field.editable, choices=choices))
    if businesses:
        return answers.with_answer(field.key, Answer(None, Source.APPLICANT, False, choices))
    return answers


def _newest_licence(spec: ServiceSpec, registry: Registry, uscc: str) -> Licence | None:
    licences = [lic for lic in registry.licences_for(uscc) if lic.kind == spec.licence_kind]
    return max(licences, key=lambda lic: lic.valid_to) if licences else None


def refresh_from_uscc(
    spec: ServiceSpec, answers: Answers, card: IdCard | None, registry: Registry | None, today: dt.date
) -> Answers:
    """Recompute the fields that the registry fills from the credit code now in `answers`.

    A registry value replaces what is there; where the registry has nothing, a value that came from the
    registry earlier is cleared and a value the applicant typed is kept.
    """
    dependents = [f for f in spec.fields if f.prefill and f.prefill.startswith(USCC_DEPENDENT)]
    if not dependents:
        return answers
    credit_code = spec.role_key(FieldRole.CREDIT_CODE)
    raw = answers.value(credit_code) if credit_code is not None else None
    uscc = clean_identifier(raw) if raw not in (None, "") else ""
    business = registry.business(uscc) if registry is not None and uscc else None
    licence = _newest_licence(spec, registry, uscc) if registry is not None and uscc else None
    for field in dependents:
        value = _dependent_value(field.prefill or "", business, licence, card)
        current = answers.get(field.key)
        if value not in (None, ""):
            answers = answers.with_answer(field.key, _authority(field, value, Source.REGISTRY))
        elif current is not None and current.source is Source.REGISTRY:
            answers = answers.with_answer(field.key, Answer(None, Source.APPLICANT, False, current.choices))
    return answers


def _dependent_value(
    source: str, business: Business | None, licence: Licence | None, card: IdCard | None
) -> Any:
    if source == "registry.is_legal_rep":
        if business is None or card is None:
            return None
        return "是" if business.legal_rep_id_number == card.id_number else "否"
    if source.startswith("registry.business."):
        return getattr(business, source.removeprefix("registry.business."), None) if business else None
    if source.startswith("registry.licence."):
        return getattr(licence, source.removeprefix("registry.licence."), None) if licence else None
    return None

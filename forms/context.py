"""The review context and the symbols that rule conditions can read.

`ReviewContext` carries what is not an answer: today, the hall settings, the ID card and the registry.
`build_symbols` turns it plus the typed answers into the flat mapping that conditions run over:

    <field key>                   the typed answer (str, int, float, date, bool) or null when empty,
                                  invalid or hidden
    today, one_year_ago           dates
    applicant_age                 whole years on `today` (from the card, else from the ID-number answer)
    applicant_sex                 男 / 女 from the card, or null
    card_type, card_valid_to, card_expired, card_id_number
    hall_district_code, hall_district_name, hall_shop_area_threshold_m2, hall_report_max_age_days,
    hall_kiosk_id
    reg_business_found, reg_business_kind, reg_business_name, reg_legal_rep_id_number,
    reg_legal_rep_name, reg_dishonest, reg_business_district_code, reg_business_scope
                                  the registry's business for the credit-code answer
    reg_active_licence_categories categories of that business's licences of the item's licence_kind that
                                  are in force today (a list)
    reg_licence_found, reg_licence_number, reg_licence_category, reg_licence_valid_to
                                  its newest licence of that kind
    reg_person_found, reg_hukou_district_code, reg_pension_insurance, reg_medical_insurance,
    reg_insured_months, reg_unemployment_registered, reg_unemployment_months, reg_housing_fund,
    reg_owns_home, reg_disability_card, reg_disability_grade, reg_residence_permit_no, reg_record_check,
    reg_minimum_living, reg_employer
                                  the registry's record of the card holder (None / False without one)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.checksums import id18_problem, id_birth_date
from forms.numbering import add_years  # defined there: numbering must not need pydantic
from forms.registry import Registry
from forms.spec import FieldRole

if TYPE_CHECKING:
    from forms.settings import HallSettings  # pydantic: the caller's config already imported it
    from forms.spec import ServiceSpec
    from idreader import IdCard

CONTEXT_SYMBOLS = frozenset({
    "today", "one_year_ago", "applicant_age", "applicant_sex",
    "card_type", "card_valid_to", "card_expired", "card_id_number",
    "hall_district_code", "hall_district_name", "hall_shop_area_threshold_m2", "hall_report_max_age_days",
    "hall_kiosk_id",
    "reg_business_found", "reg_business_kind", "reg_business_name", "reg_legal_rep_id_number",
    "reg_legal_rep_name", "reg_dishonest", "reg_business_district_code", "reg_business_scope",
    "reg_active_licence_categories", "reg_licence_found", "reg_licence_number", "reg_licence_category",
    "reg_licence_valid_to", "reg_person_found", "reg_hukou_district_code",
    *(f"reg_{name}" for name in ("pension_insurance", "medical_insurance", "insured_months",
                                 "unemployment_registered", "unemployment_months", "housing_fund", "owns_home",
                                 "disability_card", "disability_grade", "residence_permit_no", "record_check",
                                 "minimum_living", "employer")),
})
_PERSON_FACTS = ("hukou_district_code", "pension_insurance", "medical_insurance", "insured_months",
                 "unemployment_registered", "unemployment_months", "housing_fund", "owns_home", "disability_card",
                 "disability_grade", "residence_permit_no", "record_check", "minimum_living", "employer")
_FLAGS = ("unemployment_registered", "owns_home", "record_check", "minimum_living")
#: The symbols computed from the date, the card, the hall and the typed answers alone (`context_symbols`):
#: every one but the registry's facts.
PLAIN_CONTEXT_SYMBOLS = frozenset(name for name in CONTEXT_SYMBOLS if not name.startswith("reg_"))
#: The answer `applicant_age` is computed from when there is no card (a typed ID number).
AGE_FIELD = "applicant_id_number"
#: The registry's facts about the card holder (looked up by the card's ID number, so known at the card step);
#: the business facts follow the credit-code answer and wait for the form.
PERSON_SYMBOLS = frozenset({"reg_person_found", *(f"reg_{name}" for name in _PERSON_FACTS)})


@dataclass(frozen=True)
class ReviewContext:
    """Everything a review needs besides the answers."""

    today: dt.date
    settings: HallSettings
    card: IdCard | None = None
    registry: Registry | None = None


def years_between(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _applicant_age(context: ReviewContext, values: Mapping[str, Any]) -> int | None:
    if context.card is not None:
        return context.card.age_on(context.today)
    number = values.get(AGE_FIELD)
    if isinstance(number, str) and len(number) == 18 and id18_problem(number) is None:
        born = id_birth_date(number)
        return years_between(born, context.today) if born else None
    return None


def build_symbols(spec: ServiceSpec, values: Mapping[str, Any], context: ReviewContext) -> dict[str, Any]:
    """The mapping that conditions run over (see the module docstring)."""
    symbols: dict[str, Any] = dict(values)
    symbols.update(context_symbols(values, context))
    credit_code = spec.role_key(FieldRole.CREDIT_CODE)
    symbols.update(_business_facts(spec, values.get(credit_code) if credit_code else None, context))
    symbols.update(_person_facts(context))
    return symbols


def context_symbols(values: Mapping[str, Any], context: ReviewContext) -> dict[str, Any]:
    """The symbols of `PLAIN_CONTEXT_SYMBOLS`: the date, the card and the hall, and the applicant's age
    (from the card, else from the `applicant_id_number` value). No shared data is looked up."""
    today = context.today
    settings = context.settings
    card = context.card
    return dict(
        today=today,
        one_year_ago=add_years(today, -1),
        applicant_age=_applicant_age(context, values),
        applicant_sex=card.sex if card is not None else None,
        card_type=card.card_type if card is not None else None,
        card_valid_to=card.valid_to if card is not None else None,
        card_expired=card.is_expired(today) if card is not None else False,
        card_id_number=card.id_number if card is not None else None,
        hall_district_code=settings.district_code,
        hall_district_name=settings.district_name,
        hall_shop_area_threshold_m2=settings.shop_area_threshold_m2,
        hall_report_max_age_days=settings.report_max_age_days,
        hall_kiosk_id=settings.kiosk_id,
    )


def answers_read(names: set[str] | frozenset[str], context: ReviewContext) -> set[str]:
    """The answers the plain context symbols among `names` are computed from (`context_symbols`)."""
    return {AGE_FIELD} if "applicant_age" in names and context.card is None else set()


def _business_facts(spec: ServiceSpec, uscc: Any, context: ReviewContext) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "reg_business_found": False, "reg_business_kind": None, "reg_business_name": None,
        "reg_legal_rep_id_number": None, "reg_legal_rep_name": None, "reg_dishonest": False,
        "reg_business_district_code": None, "reg_business_scope": None,
        "reg_active_licence_categories": [], "reg_licence_found": False, "reg_licence_number": None,
        "reg_licence_category": None, "reg_licence_valid_to": None,
    }
    registry = context.registry
    if registry is None or not isinstance(uscc, str) or not uscc:
        return facts
    business = registry.business(uscc)
    if business is not None:
        facts.update(
            reg_business_found=True, reg_business_kind=business.kind, reg_business_name=business.name,
            reg_legal_rep_id_number=business.legal_rep_id_number, reg_legal_rep_name=business.legal_rep_name,
            reg_dishonest=business.dishonest, reg_business_district_code=business.district_code,
            reg_business_scope=business.scope,
        )
    if spec.licence_kind:
        licences = [lic for lic in registry.licences_for(uscc) if lic.kind == spec.licence_kind]
        active = [lic.category for lic in licences if lic.active_on(context.today)]
        facts["reg_active_licence_categories"] = active
        if licences:
            newest = max(licences, key=lambda lic: lic.valid_to)
            facts.update(
                reg_licence_found=True, reg_licence_number=newest.number,
                reg_licence_category=newest.category, reg_licence_valid_to=newest.valid_to,
            )
    return facts


def _person_facts(context: ReviewContext) -> dict[str, Any]:
    person = None
    if context.registry is not None and context.card is not None:
        person = context.registry.person(context.card.id_number)
    facts: dict[str, Any] = {"reg_person_found": person is not None}
    for name in _PERSON_FACTS:
        default = False if name in _FLAGS else None
        facts[f"reg_{name}"] = getattr(person, name, default) if person is not None else default
    return facts

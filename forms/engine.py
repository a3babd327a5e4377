"""The application facade: what the kiosk session and `kiosk apply` call. Small on purpose.

    catalog = load_catalog()
    spec = catalog["public-place-health-permit"]
    context = ReviewContext(today, HallSettings(), card, registry)
    answers = prefill(spec, card, registry, today)              # values tagged card / registry / ...
    answers = set_answer(spec, answers, "staff_count", "3", context)   # applicant edits (live)
    fields = visible_fields(spec, answers, context)              # show_if applied
    findings = review(spec, answers, context)                    # run on every change (< 2 ms)
    decision = decide(spec, findings, symbols(spec, answers, context))  # approved | accepted | blocked
    values = final_values(spec, answers, context)                # typed values to store / print
    holder = legal_representative(spec, answers, context)         # 法定代表人（负责人） for the licence

Numbers, the licence term and the expected completion date are in `forms.numbering`. No field key of a
particular service is spelled here: the credit code, the legal-rep choice and the applicant's name are
the fields the spec gives those roles (`forms.spec.FieldRole`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.answers import Answers
from forms.conditions import compile_condition
from forms.context import ReviewContext
from forms.decision import Decision, decide
from forms.errors import UnknownFieldError
from forms.prefill import USCC_DEPENDENT, prefill, refresh_from_uscc
from forms.review import Checkup, Finding, check_fields, review, visible_keys
from forms.spec import FieldRole, FieldSpec, Material, ServiceSpec

__all__ = [
    "Decision", "Finding", "ReviewContext", "apply_answers", "decide", "final_values", "legal_representative",
    "materials", "prefill", "review", "set_answer", "symbols", "visible_fields",
]


def _has_uscc_dependents(spec: ServiceSpec) -> bool:
    return any(f.prefill and f.prefill.startswith(USCC_DEPENDENT) for f in spec.fields)


def set_answer(spec: ServiceSpec, answers: Answers, key: str, value: Any, context: ReviewContext) -> Answers:
    """The applicant changes one answer. Refuses unknown keys (UnknownFieldError) and locked values
    (LockedFieldError); a new credit code refreshes the fields the registry fills from it."""
    if key not in spec.field_keys:
        raise UnknownFieldError(spec.id, key)
    updated = answers.edited(key, value)
    if key == spec.role_key(FieldRole.CREDIT_CODE) and updated is not answers and _has_uscc_dependents(spec):
        updated = refresh_from_uscc(spec, updated, context.card, context.registry, context.today)
    return updated


def apply_answers(
    spec: ServiceSpec, answers: Answers, given: Mapping[str, Any], context: ReviewContext
) -> Answers:
    """Apply many applicant answers at once (headless `kiosk apply --answers FILE`); the credit code
    goes first so that registry-filled fields follow it before the rest are applied."""
    unknown = [key for key in given if key not in spec.field_keys]
    if unknown:
        raise UnknownFieldError(spec.id, unknown[0])
    credit_code = spec.role_key(FieldRole.CREDIT_CODE)
    ordered = sorted(given, key=lambda key: key != credit_code)
    for key in ordered:
        answers = set_answer(spec, answers, key, given[key], context)
    return answers


def visible_fields(spec: ServiceSpec, answers: Answers, context: ReviewContext) -> list[FieldSpec]:
    """The fields to show now, in spec order (show_if applied)."""
    visible = visible_keys(spec, answers, context)
    return [field for field in spec.fields if field.key in visible]


def final_values(spec: ServiceSpec, answers: Answers, context: ReviewContext,
                 checkup: Checkup | None = None) -> dict[str, Any]:
    """Normalised, typed values of the visible fields (null when empty) for storage and documents.
    `checkup` (here and below): `check_fields` of the same answers when the caller has it already."""
    checkup = checkup or check_fields(spec, answers, context)
    return {key: checkup.checked[key].value for key in spec.field_keys if key in checkup.visible}


def symbols(spec: ServiceSpec, answers: Answers, context: ReviewContext,
            checkup: Checkup | None = None) -> Mapping[str, Any]:
    """The review symbols of these answers (what conditions read; `decide` uses them for bundles)."""
    return (checkup or check_fields(spec, answers, context)).symbols


def materials(spec: ServiceSpec, answers: Answers, context: ReviewContext,
              checkup: Checkup | None = None) -> list[Material]:
    """The materials that apply to these answers (a material's `when` condition holds)."""
    symbols = (checkup or check_fields(spec, answers, context)).symbols
    return [m for m in spec.materials if m.when is None or compile_condition(m.when).holds(symbols)]


def legal_representative(spec: ServiceSpec, answers: Answers, context: ReviewContext,
                         checkup: Checkup | None = None) -> str | None:
    """The 法定代表人（负责人） on the licence: the registry's, else the applicant if they say it is them."""
    values = (checkup or check_fields(spec, answers, context)).values
    credit_code, choice, name = (spec.role_key(role) for role in (
        FieldRole.CREDIT_CODE, FieldRole.LEGAL_REP_CHOICE, FieldRole.APPLICANT_NAME))
    uscc = values.get(credit_code) if credit_code else None
    business = context.registry.business(uscc) if context.registry is not None and uscc else None
    if business is not None:
        return business.legal_rep_name
    if choice and name and values.get(choice) == "是":
        return values.get(name)
    return None


"""The service spec as plain data: what a loaded YAML file under `forms/catalog/` is at run time (contract).

Frozen dataclasses, no pydantic: a process that only applies one item reads the catalog from its
compiled cache (forms.loader, forms.compiled) and never imports the validation library. The schema that
checks a YAML file — unknown keys refused, types and limits, cross-field checks (unique keys, rules
pointing at declared fields, number templates using known placeholders, prefill sources from the closed
list below) — is `forms.spec_schema` (pydantic v2 models with the same fields); `forms.loader` validates
each file with it and keeps the plain objects built from the validated model, so a spec that loads is
internally consistent. Rule conditions are compiled lazily (see `forms.conditions`).

Prefill sources (`FieldSpec.prefill`):
    card.<attr>               from the ID card: name, id_number, address, sex, birth_date, nationality...
    registry.businesses       the credit codes of the businesses whose legal rep is the card holder
                              (one -> filled in; several -> offered as choices)
    registry.business.<attr>  the registry's business for the credit code (the field with role `credit_code`)
    registry.is_legal_rep     是 when that business's legal rep is the card holder, 否 when someone else
    registry.licence.<attr>   the newest licence of the item's `licence_kind` for that credit code
    registry.person.<attr>    the registry's record of the card holder (phone, hukou_address...)
    earlier                   the same key in the applicant's earlier application, when the caller has one

Field roles (`FieldSpec.role`, `FieldRole`): what a field means to the generic code that puts an
application on paper or asks the registry — the credit code, the holder and address printed on the
licence, the delivery choice... A spec names its own fields; generic code asks `spec.role_key(role)`
and never spells a service's field key. Each role is held by at most one field of a spec.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from forms.errors import UnknownFieldError

FieldType = Literal[
    "id_number", "uscc", "phone", "date", "number", "integer", "choice", "bool", "text", "address"
]

class Severity(StrEnum):
    """How a finding weighs (contract): `block` cannot submit, `review` submits for staff review
    (the outcome becomes `accepted`), `warn` is shown and changes nothing. A str, so JSON and the
    session's comparisons with "block" keep working."""

    BLOCK = "block"
    REVIEW = "review"
    WARN = "warn"


class FieldRole(StrEnum):
    """What a field means to generic code (see the module docstring); a spec gives it with `role:`."""

    CREDIT_CODE = "credit_code"            # the business's 统一社会信用代码: registry look-ups follow it
    LEGAL_REP_CHOICE = "legal_rep_choice"  # 是/否: is the applicant the legal representative
    APPLICANT_NAME = "applicant_name"      # the applicant's name (the licence's 负责人 when it is them)
    HOLDER = "holder"                      # the name on the licence / slip (business or proposed name)
    ADDRESS = "address"                    # the address on the licence / slip
    SCOPE = "scope"                        # 经营项目 on the licence / slip (category or business scope)
    PHONE = "phone"                        # the contact phone on the receipt's delivery block
    DELIVERY = "delivery"                  # the form's own pickup / mail choice
    MAIL_ADDRESS = "mail_address"          # where mail delivery goes
    PREVIOUS_EXPIRY = "previous_expiry"    # a renewal: the old licence's expiry (the new term follows it)
    HYGIENE_MANAGER = "hygiene_manager"    # named by the generated 卫生管理制度 (no name: no document)
    CENTRAL_AC = "central_ac"              # 是 when the place uses central air conditioning


Mode = Literal["instant", "accept"]
Audience = Literal["个人", "企业"]

CARD_ATTRS = (
    "name", "display_name", "name_en", "id_number", "address", "sex", "birth_date", "ethnicity",
    "nationality", "authority", "valid_to", "pass_number",
)
BUSINESS_ATTRS = (
    "uscc", "name", "kind", "legal_rep_name", "address", "district_code", "floor_area", "category", "phone",
    "scope",
)
LICENCE_ATTRS = (
    "number", "category", "holder_name", "address", "issued_on", "valid_from", "valid_to", "floor_area",
)
PERSON_ATTRS = (
    "name", "phone", "hukou_address", "hukou_district_code", "residence_address", "pension_insurance",
    "medical_insurance", "insured_months", "housing_fund", "bank_card", "disability_card", "disability_grade",
    "residence_permit_no", "employer",
)
NUMBER_PLACEHOLDERS = ("district_code", "kiosk_id", "licence_prefix", "YYYY", "YYYYMMDD", "MM", "DD", "seq")


def prefill_problem(source: str) -> str | None:
    """Why a prefill source is not in the closed list, or None when it is."""
    head, _, attr = source.partition(".")
    if source in ("registry.businesses", "registry.is_legal_rep", "earlier"):
        return None
    if head == "card" and attr in CARD_ATTRS:
        return None
    sub, _, leaf = attr.partition(".")
    allowed = {"business": BUSINESS_ATTRS, "licence": LICENCE_ATTRS, "person": PERSON_ATTRS}
    if head == "registry" and leaf in allowed.get(sub, ()):
        return None
    return f"unknown prefill source {source!r}"




_FROZEN = {"frozen": True, "kw_only": True}


@dataclass(**_FROZEN)
class FieldSpec:
    """One form field: its key, label, type and limits, prefill source, visibility and role."""

    key: str
    label: str
    type: FieldType
    required: bool = False
    prefill: str | None = None
    editable: bool = True
    min: float | None = None
    min_exclusive: float | None = None
    max: float | None = None
    unit: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    multiline: bool = False
    options: list[str] | None = None
    dates: Literal["any", "past", "future"] = "any"
    help: str | None = None
    placeholder: str | None = None
    show_if: str | None = None
    section: str | None = None
    role: FieldRole | None = None


@dataclass(**_FROZEN)
class RuleSpec:
    """One review rule: when `condition` holds, a finding of `severity` on `field`."""

    id: str
    condition: str  # rule-engine expression; the finding fires when it is true
    message: str
    field: str
    severity: Severity
    allow_missing: list[str] = field(default_factory=list)
    note: str | None = None
    # Where the rule comes from: the article of law or regulation, or the published 办事指南 by name.
    basis: str


@dataclass(**_FROZEN)
class Material:
    """A supporting material the applicant supplies (photographed, generated, promised or brought)."""

    name: str
    how: Literal["camera", "generated", "promise", "camera_or_promise", "bring"]
    when: str | None = None  # rule-engine condition; the material applies only when true
    note: str | None = None


@dataclass(**_FROZEN)
class NumberTemplate:
    """How a receipt or licence number is formed, and the counter (`sequence`) it counts on."""

    format: str
    sequence: str


@dataclass(**_FROZEN)
class Numbering:
    """The item's number templates: the receipt's, and the licence's when it issues one."""

    receipt: NumberTemplate
    licence: NumberTemplate | None = None


@dataclass(**_FROZEN)
class Validity:
    """How long an issued licence is valid, and from when."""

    years: int
    # issue_date: N years from today; after_previous_expiry: a renewal, N years on from the old expiry;
    # same_as_previous: a change (变更) keeps the old licence's expiry (role previous_expiry).
    starts: Literal["issue_date", "after_previous_expiry", "same_as_previous"] = "issue_date"
    review_every_years: int | None = None


@dataclass(**_FROZEN)
class BundleItem:
    """One sub-item of a bundle (一件事): its department, result line and condition."""

    id: str
    title: str
    department: str
    result: str  # the result line printed for this sub-item when the bundle is accepted
    # Condition over the review symbols: the sub-item is applied for only when it holds (e.g. the
    # applicant has a housing-fund account); otherwise its line says it was not applied for.
    when: str | None = None
    skipped: str | None = None  # the line printed when `when` does not hold (default: 本次未申请)


@dataclass(**_FROZEN)
class ServiceSpec:
    """One service item of the catalog: what it asks, the rules it reviews by, what it issues."""

    id: str
    order: int = 100  # position in the catalog (then by id)
    title: str
    short_title: str | None = None
    department: str
    office: str  # key into HallSettings.offices: who issues the result
    audience: Audience
    mode: Mode
    life_event: str
    minutes: int
    # Calendar days staff take for an application accepted for review (受理): the receipt's 预计办结.
    processing_days: int = 20
    # The legal time limit in working days (法定办结时限) the hall's clock runs on; the promised
    # time (承诺办结时限) is `processing_days`.
    time_limit_days: int = 20
    conditions: str
    bring: list[str] = field(default_factory=list)
    basis: str | None = None
    licence_kind: str | None = None
    result_name: str | None = None  # e.g. 公共场所卫生许可证, 备案回执
    # The note printed on a licence issued under 告知承诺 (who re-checks, and when); None: the 卫生 wording.
    licence_note: str | None = None
    fields: list[FieldSpec]
    rules: list[RuleSpec] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    commitment: str | None = None
    documents: list[str] = field(default_factory=list)
    numbering: Numbering
    validity: Validity | None = None
    bundle: list[BundleItem] | None = None
    notes: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise UnknownFieldError(self.id, key)

    def role_key(self, role: FieldRole) -> str | None:
        """The key of this spec's field with `role`, or None when the spec has none."""
        for spec in self.fields:
            if spec.role is role:
                return spec.key
        return None

    @property
    def field_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def is_bundle(self) -> bool:
        return self.bundle is not None


#: The plain classes by name: `forms.spec_schema` builds each from the pydantic model of the same name.
PLAIN_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    FieldSpec, RuleSpec, Material, NumberTemplate, Numbering, Validity, BundleItem, ServiceSpec)}

"""The service-spec schema: pydantic v2 models for one YAML file under `forms/catalog/` (contract).

Every model refuses unknown keys (`extra="forbid"`) and is frozen. Cross-field checks (unique keys,
rules pointing at declared fields, show_if naming declared fields, number templates using known
placeholders, prefill sources from the closed list below) run in the model validators, so a spec that
loads is internally consistent. Rule conditions are compiled lazily (see `forms.conditions`).

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

import re
import string
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
_KEY = r"^[a-z][a-z0-9_]*$"


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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FieldSpec(_Model):
    key: str = Field(pattern=_KEY)
    label: str = Field(min_length=1)
    type: FieldType
    required: bool = False
    prefill: str | None = None
    editable: bool = True
    min: float | None = None
    min_exclusive: float | None = None
    max: float | None = None
    unit: str | None = None
    min_length: int | None = Field(default=None, ge=1)
    max_length: int | None = Field(default=None, ge=1)
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

    @field_validator("prefill")
    @classmethod
    def _known_source(cls, value: str | None) -> str | None:
        if value is not None and (problem := prefill_problem(value)):
            raise ValueError(problem)
        return value

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern does not compile: {exc}") from None
        return value

    @model_validator(mode="after")
    def _options_fit_type(self) -> FieldSpec:
        if self.type == "choice" and not self.options:
            raise ValueError("a choice field needs options")
        if self.type != "choice" and self.options:
            raise ValueError("only choice fields take options")
        if self.options and len(set(self.options)) != len(self.options):
            raise ValueError("options repeat")
        limits = (self.min, self.max, self.min_exclusive)
        if self.type not in ("number", "integer") and any(v is not None for v in limits):
            raise ValueError("min/max apply to number and integer fields only")
        if self.type not in ("text", "address") and (self.max_length or self.min_length or self.pattern):
            raise ValueError("max_length/min_length/pattern apply to text and address fields only")
        return self


class RuleSpec(_Model):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    condition: str = Field(min_length=1)  # rule-engine expression; the finding fires when it is true
    message: str = Field(min_length=1)
    field: str = Field(pattern=_KEY)
    severity: Severity
    allow_missing: list[str] = Field(default_factory=list)
    note: str | None = None
    # Where the rule comes from: the article of law or regulation, or the published 办事指南 by name.
    basis: str = Field(min_length=4)


class Material(_Model):
    name: str
    how: Literal["camera", "generated", "promise", "camera_or_promise", "bring"]
    when: str | None = None  # rule-engine condition; the material applies only when true
    note: str | None = None


class NumberTemplate(_Model):
    format: str
    sequence: str

    @model_validator(mode="after")
    def _placeholders(self) -> NumberTemplate:
        used_format = _placeholders(self.format)
        used_sequence = _placeholders(self.sequence)
        unknown = (used_format | used_sequence) - set(NUMBER_PLACEHOLDERS)
        if unknown:
            allowed = ", ".join(NUMBER_PLACEHOLDERS)
            raise ValueError(f"unknown placeholders {sorted(unknown)}; allowed: {allowed}")
        if "seq" not in used_format:
            raise ValueError("format must contain {seq...}")
        if "seq" in used_sequence:
            raise ValueError("sequence (the counter's key) must not contain {seq}")
        return self


def _placeholders(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ValueError(f"bad template {template!r}: {exc}") from None


class Numbering(_Model):
    receipt: NumberTemplate
    licence: NumberTemplate | None = None


class Validity(_Model):
    years: int = Field(ge=1, le=30)
    # issue_date: N years from today; after_previous_expiry: a renewal, N years on from the old expiry;
    # same_as_previous: a change (变更) keeps the old licence's expiry (role previous_expiry).
    starts: Literal["issue_date", "after_previous_expiry", "same_as_previous"] = "issue_date"
    review_every_years: int | None = None


class BundleItem(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    department: str
    result: str  # the result line printed for this sub-item when the bundle is accepted
    # Condition over the review symbols: the sub-item is applied for only when it holds (e.g. the
    # applicant has a housing-fund account); otherwise its line says it was not applied for.
    when: str | None = None
    skipped: str | None = None  # the line printed when `when` does not hold (default: 本次未申请)


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_FOLDED_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def unfold(text: str) -> str:
    """Drop the space YAML folding (>-) puts where a line broke between two Chinese characters."""
    return _FOLDED_SPACE.sub("", text)


class ServiceSpec(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    order: int = 100  # position in the catalog (then by id)
    title: str
    short_title: str | None = None
    department: str
    office: str = Field(description="key into HallSettings.offices: who issues the result")
    audience: Audience
    mode: Mode
    life_event: str
    minutes: int = Field(ge=1, le=240)
    # Calendar days staff take for an application accepted for review (受理): the receipt's 预计办结.
    processing_days: int = Field(20, ge=1, le=365)
    # The legal time limit in working days (法定办结时限) the hall's clock runs on; the promised
    # time (承诺办结时限) is `processing_days`.
    time_limit_days: int = Field(20, ge=1, le=365)
    conditions: str
    bring: list[str] = Field(default_factory=list)
    basis: str | None = None
    licence_kind: str | None = None
    result_name: str | None = None  # e.g. 公共场所卫生许可证, 备案回执
    # The note printed on a licence issued under 告知承诺 (who re-checks, and when); None: the 卫生 wording.
    licence_note: str | None = None
    fields: list[FieldSpec] = Field(min_length=1)
    rules: list[RuleSpec] = Field(default_factory=list)
    materials: list[Material] = Field(default_factory=list)
    commitment: str | None = None
    documents: list[str] = Field(default_factory=list)
    numbering: Numbering
    validity: Validity | None = None
    bundle: list[BundleItem] | None = None
    notes: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)

    @field_validator("conditions", "commitment", "licence_note")
    @classmethod
    def _unfold(cls, value: str | None) -> str | None:
        return unfold(value) if value is not None else None

    @model_validator(mode="after")
    def _consistent(self) -> ServiceSpec:
        keys = [f.key for f in self.fields]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"field keys repeat: {', '.join(dupes)}")
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids repeat: {', '.join(dupes)}")
        known = set(keys)
        for index, rule in enumerate(self.rules):
            if rule.field not in known:
                raise ValueError(f"rules[{index}] ({rule.id}) points at unknown field {rule.field!r}")
            missing = set(rule.allow_missing) - known
            if missing:
                raise ValueError(f"rules[{index}] ({rule.id}) allow_missing names unknown {sorted(missing)}")
        roles = [f.role for f in self.fields if f.role is not None]
        dupes = sorted({str(r) for r in roles if roles.count(r) > 1})
        if dupes:
            raise ValueError(f"field roles repeat: {', '.join(dupes)}")
        needs_uscc = any((f.prefill or "").startswith(("registry.business.", "registry.licence.",
                                                         "registry.is_legal_rep")) for f in self.fields)
        if needs_uscc and FieldRole.CREDIT_CODE not in roles:
            raise ValueError("registry.business/licence prefill needs a field with role 'credit_code'")
        uses_licence = any((f.prefill or "").startswith("registry.licence.") for f in self.fields)
        if uses_licence and not self.licence_kind:
            raise ValueError("registry.licence prefill needs licence_kind")
        if self.validity and not self.numbering.licence:
            raise ValueError("validity given but numbering.licence is missing")
        if self.bundle is not None and len(self.bundle) < 2:
            raise ValueError("a bundle needs at least two sub-items")
        if self.validity and self.validity.starts != "issue_date" and not self.licence_kind:
            raise ValueError(f"validity {self.validity.starts} needs licence_kind")
        return self

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

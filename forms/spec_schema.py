"""The service-spec schema: pydantic v2 models that validate one YAML file under `forms/catalog/` (contract).

Every model refuses unknown keys (`extra="forbid"`) and is frozen. Cross-field checks (unique keys,
rules pointing at declared fields, number templates using known placeholders, prefill sources from the
closed list in `forms.spec`) run in the model validators, so a spec that validates is internally
consistent. Each model has the fields of the plain dataclass of the same name in `forms.spec` (a test
holds them equal); `to_plain` turns a validated model into that plain data, which is what the rest of
the code and the compiled catalog cache hold. Only loading a YAML file from source imports this module
(and pydantic).
"""

from __future__ import annotations

import re
import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from forms import spec as plain
from forms.spec import (
    NUMBER_PLACEHOLDERS,
    PLAIN_CLASSES,
    Audience,
    FieldRole,
    FieldType,
    Mode,
    Severity,
    prefill_problem,
)

_KEY = r"^[a-z][a-z0-9_]*$"


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


def to_plain(value: Any) -> Any:
    """A validated model (and the models and lists in it) as the plain `forms.spec` data of the same name."""
    if isinstance(value, BaseModel):
        cls = PLAIN_CLASSES[type(value).__name__]
        return cls(**{name: to_plain(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    return value


def validate_spec(data: dict[str, Any]) -> plain.ServiceSpec:
    """One parsed YAML mapping validated (pydantic.ValidationError when it does not) and returned as plain
    data."""
    return to_plain(ServiceSpec.model_validate(data))

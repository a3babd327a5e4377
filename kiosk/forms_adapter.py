"""Adapts the pure form engine (`forms`) to the session's `ServiceDirectory` / `ApplicationRules`.

The session never imports `forms`; the composition root hands it a `FormsDirectory` built from the
catalog, the registry (shared data) and the hall settings. Everything here is pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from forms import engine, numbering
from forms.answers import Answers
from forms.conditions import compile_condition
from forms.context import PERSON_SYMBOLS, ReviewContext
from forms.registry import Registry
from forms.review import check_fields, review
from forms.settings import HallSettings
from forms.spec import FieldRole, ServiceSpec
from idreader import IdCard


class FormsRules:
    """One service item's rules bound to the registry and the hall settings."""

    def __init__(self, spec: ServiceSpec, registry: Registry, hall: HallSettings) -> None:
        self.spec = spec
        self.registry = registry
        self.hall = hall

    @property
    def requires_commitment(self) -> bool:
        return bool(self.spec.commitment)

    @property
    def document_name(self) -> str:
        """What an approved applicant takes away, by the item's own name (公共场所卫生许可证,
        仅销售预包装食品备案回执); empty when the spec names none."""
        return self.spec.result_name or ""

    @property
    def pickup_window(self) -> str:
        """The hall's 发证窗口 number (config `hall.pickup_window`)."""
        return self.hall.pickup_window

    def expected_completion(self, today: dt.date) -> dt.date:
        """When staff review of an application accepted `today` ends (the date the 受理回执 prints)."""
        return numbering.expected_completion(self.spec, today)

    def card_findings(self, card: IdCard, today: dt.date) -> list[engine.Finding]:
        """The blocking findings the item's own rules decide from the card alone, before any form: the
        rules whose condition reads no form field and no shared data (an age limit, `applicant_age < 18`),
        run over the prefilled answers. (The card's own checks, CARD-*, stay on the form's field.)"""
        return self._card_step_blocks(card, today, records=False)

    def record_findings(self, card: IdCard, today: dt.date) -> list[engine.Finding]:
        """The blocking findings the shared data about the card holder decides, before any form: the rules
        whose condition reads no form field, only the card, the hall and the registry's record of the
        person (hukou outside the district, already retired, no pension record); business records wait
        for the credit code on the form."""
        return self._card_step_blocks(card, today, records=True)

    def _card_step_blocks(self, card: IdCard, today: dt.date, *, records: bool) -> list[engine.Finding]:
        keys = set(self.spec.field_keys)
        chosen = set()
        for rule in self.spec.rules:
            if rule.severity != "block":
                continue
            names = compile_condition(rule.condition).names
            registry = {name for name in names if name.startswith("reg_")}
            if not names & keys and registry <= PERSON_SYMBOLS and bool(registry) == records:
                chosen.add(rule.id)
        if not chosen:
            return []
        answers = Answers(self.prefill(card, today))
        return [finding for finding in review(self.spec, answers, self.context(card, today))
                if finding.severity == "block" and finding.rule in chosen]

    def form_delivery(self, answers: Mapping[str, Any]) -> tuple[str, str] | None:
        """The pickup / mail choice the form itself asked (a `delivery` field), as (`pickup`|`mail`,
        address); None when the item has no such field (the result screen asks) or it is unanswered."""
        key = self.spec.role_key(FieldRole.DELIVERY)
        answer = answers.get(key) if key else None
        value = getattr(answer, "value", None)
        if not value:
            return None
        if "邮寄" in str(value):
            address_key = self.spec.role_key(FieldRole.MAIL_ADDRESS)
            address = getattr(answers.get(address_key), "value", "") if address_key else ""
            return "mail", str(address or "")
        return "pickup", ""

    def context(self, card: IdCard | None, today: dt.date) -> ReviewContext:
        return ReviewContext(today, self.hall, card, self.registry)

    def prefill(self, card: IdCard, today: dt.date) -> Answers:
        return engine.prefill(self.spec, card, self.registry, today)

    def edit(
        self, card: IdCard, answers: Mapping[str, Any], key: str, value: object, today: dt.date
    ) -> Answers:
        return engine.set_answer(self.spec, Answers(answers), key, value, self.context(card, today))

    def visible_fields(self, card: IdCard, answers: Mapping[str, Any], today: dt.date) -> list[str]:
        fields = engine.visible_fields(self.spec, Answers(answers), self.context(card, today))
        return [field.key for field in fields]

    def review(self, card: IdCard, answers: Mapping[str, Any], today: dt.date) -> list[engine.Finding]:
        return engine.review(self.spec, Answers(answers), self.context(card, today))

    def check(
        self, card: IdCard, answers: Mapping[str, Any], today: dt.date
    ) -> tuple[list[str], list[engine.Finding]]:
        """The visible fields and the findings from one `check_fields` pass (once per keystroke)."""
        given, context = Answers(answers), self.context(card, today)
        checkup = check_fields(self.spec, given, context)
        visible = [field.key for field in self.spec.fields if field.key in checkup.visible]
        return visible, review(self.spec, given, context, checkup)

    def decide(self, findings: Sequence[engine.Finding]) -> str:
        return engine.decide(self.spec, list(findings)).outcome

    def materials(self, card: IdCard, answers: Mapping[str, Any], today: dt.date) -> list[str]:
        return [m.name for m in engine.materials(self.spec, Answers(answers), self.context(card, today))]

    @property
    def promised_unless_photographed(self) -> frozenset[str]:
        return frozenset(m.name for m in self.spec.materials if m.how == "camera_or_promise")


class FormsDirectory:
    """The catalog as the session sees it; an unknown id raises forms' UnknownServiceError (a KeyError)."""

    def __init__(self, catalog: Mapping[str, ServiceSpec], registry: Registry, hall: HallSettings) -> None:
        self.catalog = catalog
        self.registry = registry
        self.hall = hall

    def rules_for(self, service_id: str) -> FormsRules:
        return FormsRules(self.catalog[service_id], self.registry, self.hall)

"""What one decided application puts on paper: the signed-QR claims, the PDF context, the printed slip.

`issue_record` is the ONE place the decided application is built (`Issue`: the spec, the session's
draft, the numbers storage allocated, the typed values, the licence term, the expected completion
date); everything after reads it and computes nothing again. Pure mappings follow from an `Issue` to
the inputs of `kiosk.credentials`, `forms.documents` and `printers.layouts`. No I/O: `kiosk.issuing`
calls these inside and after the storage transaction, the materials screen's preview calls
`issue_record` with a placeholder number.

No field key of a particular service is spelled here: the holder, address, delivery... are the fields
the spec gives those roles (`forms.spec.FieldRole`).

Privacy: the QR carries only the masked holder name; the slip and the receipt print the ID number
masked (the layouts do it); only the application form, the applicant's own, shows it in full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from forms import documents as docs
from forms import engine, numbering
from forms.answers import Answers, Source
from forms.context import ReviewContext
from forms.registry import Registry
from forms.review import Checkup, check_fields
from forms.settings import HallSettings
from forms.spec import FieldRole, ServiceSpec
from idreader.wording import chinese_date, mask_name
from kiosk.credentials import Claims
from kiosk.session import ApplicationDraft
from kiosk.session.slip_words import slip_words
from printers import layouts
from printers.model import Receipt

SOURCE_LABELS = {
    Source.CARD: docs.SOURCE_CARD,
    Source.REGISTRY: docs.SOURCE_REGISTRY,
    Source.EARLIER: docs.SOURCE_EARLIER,
    Source.APPLICANT: docs.SOURCE_APPLICANT,
}
MATERIAL_STATUS = {
    "generated": docs.MATERIAL_GENERATED,
    "promise": docs.MATERIAL_PROMISED,
    "camera_or_promise": docs.MATERIAL_PROMISED,
    "camera": docs.MATERIAL_OWED,
    "bring": docs.MATERIAL_OWED,
}
#: Days an applicant has to hand in a material owed (补正) after acceptance.
CORRECTION_DAYS = 5


@dataclass(frozen=True)
class Issue:
    """A decided application with its numbers: everything paper needs, nothing of storage.
    Built by `issue_record` only (it fixes `values`, the typed answers, once)."""

    spec: ServiceSpec
    draft: ApplicationDraft
    hall: HallSettings
    registry: Registry | None
    decided_at: dt.datetime
    receipt_no: str
    licence_no: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    qr_text: str = ""
    business_qr_text: str = ""  # 一码通行 (kiosk.onecode): with a business permit only
    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    # The answers checked once (forms.review.check_fields): the materials, the symbols and the legal
    # representative of the documents and the slip are read from it, not checked again each.
    checkup: Checkup | None = field(default=None, repr=False, compare=False)

    @property
    def day(self) -> dt.date:
        return self.decided_at.date()

    @property
    def approved(self) -> bool:
        return self.draft.outcome == "approved"

    @property
    def number(self) -> str:
        """The number the applicant keeps: the licence (or filing) number, else the receipt number."""
        return self.licence_no or self.receipt_no

    @property
    def context(self) -> ReviewContext:
        return ReviewContext(self.day, self.hall, self.draft.card, self.registry)

    @property
    def answers(self) -> Answers:
        return Answers(dict(self.draft.answers))

    def role_value(self, role: FieldRole) -> Any:
        """The typed value of the spec's field with `role` (None when the spec has none or it is empty)."""
        key = self.spec.role_key(role)
        return self.values.get(key) if key is not None else None

    @property
    def office(self) -> str:
        return self.hall.office_name(self.spec.office)

    @property
    def expected_completion(self) -> dt.date:
        """When staff review ends (an accepted application): `forms.numbering.expected_completion`."""
        return numbering.expected_completion(self.spec, self.day)

    @property
    def correction_deadline(self) -> dt.date:
        """The day materials owed after acceptance (补正) are due: the PDF and the slip both print it."""
        return self.day + dt.timedelta(days=CORRECTION_DAYS)


def issue_record(spec: ServiceSpec, draft: ApplicationDraft, hall: HallSettings, registry: Registry | None,
                 decided_at: dt.datetime, *, receipt_no: str, licence_no: str | None = None) -> Issue:
    """The decided application, built once: typed values, and the licence term when a licence number
    was allocated (an approved item with a term). The QR is added after (`dataclasses.replace`)."""
    day = decided_at.date()
    answers, context = Answers(dict(draft.answers)), ReviewContext(day, hall, draft.card, registry)
    checkup = check_fields(spec, answers, context)
    values = engine.final_values(spec, answers, context, checkup)
    term = licence_term(spec, values, day) if licence_no and draft.outcome == "approved" else None
    return Issue(spec, draft, hall, registry, decided_at, receipt_no, licence_no,
                 valid_from=term[0] if term else None, valid_to=term[1] if term else None,
                 values=MappingProxyType(values), checkup=checkup)


def licence_term(spec: ServiceSpec, values: Mapping[str, Any], day: dt.date) -> tuple[dt.date, dt.date] | None:
    """(valid_from, valid_to) of the licence issued today, or None when the item has no term.

    A renewal runs on from the old licence's expiry (the field with role `previous_expiry`)."""
    if spec.validity is None:
        return None
    key = spec.role_key(FieldRole.PREVIOUS_EXPIRY)
    previous = values.get(key) if key is not None else None
    previous = previous if isinstance(previous, dt.date) else None
    return numbering.licence_term(spec, day, previous)


def credential_claims(issue: Issue) -> Claims:
    """What the QR vouches for: the licence when one was issued, else the acceptance receipt."""
    return Claims(
        kind="licence" if issue.licence_no else "receipt",
        number=issue.number,
        service=issue.spec.id,
        holder=mask_name(issue.draft.card.display_name),
        issued=issue.day,
        expires=issue.valid_to,
        office=issue.office,
        kiosk_id=issue.hall.kiosk_id,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return chinese_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def business_facts(issue: Issue) -> dict[str, str]:
    """Holder, address and category as the licence and the slip show them, for any catalog item: the
    fields with roles holder / address / scope, else the card holder, the card address, the item."""
    card = issue.draft.card
    return {
        "holder": _text(issue.role_value(FieldRole.HOLDER) or card.display_name),
        "address": _text(issue.role_value(FieldRole.ADDRESS) or card.address),
        "scope": _text(issue.role_value(FieldRole.SCOPE) or issue.spec.short_title or issue.spec.title),
    }


def delivery_choice(issue: Issue) -> tuple[str, str]:
    """("pickup" | "mail", address): the session's choice, else the form's own delivery field."""
    chosen = issue.draft.delivery
    if chosen is not None:
        return ("mail" if chosen.method == "mail" else "pickup"), chosen.address
    asked = _text(issue.role_value(FieldRole.DELIVERY))
    if "邮" in asked or asked == "mail":
        return "mail", _text(issue.role_value(FieldRole.MAIL_ADDRESS) or issue.draft.card.address)
    return "pickup", ""


def promised_materials(issue: Issue) -> list[str]:
    """Materials promised under 告知承诺 and not photographed after all, in the item's order."""
    photographed = {page.material for page in issue.draft.material_pages}
    promised = set(issue.draft.materials_promised) - photographed
    return [m.name for m in engine.materials(issue.spec, issue.answers, issue.context, issue.checkup)
            if m.name in promised]


def promised_on_slip(issue: Issue) -> list[str]:
    """The promised materials as the slip names them: in the applicant's language, as the screen did (the
    owed materials of a 补正 list, a legal notice, stay as the item names them)."""
    names = promised_materials(issue)
    if issue.draft.language == "zh" or not names:
        return names
    from kiosk.session.spec_words import spec_text  # a large table, for an English slip only

    return [spec_text(name, issue.draft.language) for name in names]


def owed_materials(issue: Issue) -> list[str]:
    """Materials still to hand in after acceptance (not generated, not promised, not already covered)."""
    applicable = engine.materials(issue.spec, issue.answers, issue.context, issue.checkup)
    done = set(issue.draft.materials_promised) | {page.material for page in issue.draft.material_pages}
    return [m.name for m in applicable
            if m.name not in done and MATERIAL_STATUS.get(m.how) == docs.MATERIAL_OWED]


def document_context(issue: Issue) -> docs.DocumentContext:
    """The input of every PDF of this application."""
    values = issue.values
    facts = business_facts(issue)
    labels = {field.key: field.label for field in issue.spec.fields}
    fields = tuple(
        docs.FieldLine(labels[key], _text(values.get(key)), SOURCE_LABELS.get(answer.source, ""))
        for key, answer in issue.draft.answers
        if key in labels and values.get(key) not in (None, "")
    )
    promised = set(issue.draft.materials_promised)
    photographed = {page.material for page in issue.draft.material_pages}
    materials = tuple(
        docs.Material(m.name, docs.MATERIAL_PHOTOGRAPHED if m.name in photographed
                      else docs.MATERIAL_PROMISED if m.name in promised else MATERIAL_STATUS[m.how], m.note or "")
        for m in engine.materials(issue.spec, issue.answers, issue.context, issue.checkup)
    )
    due = issue.correction_deadline
    owed = tuple(docs.OwedItem(name, "受理后补交", due) for name in owed_materials(issue)) \
        if not issue.approved else ()
    method, address = delivery_choice(issue)
    card = issue.draft.card
    licence = None
    filing_no = ""
    if issue.approved and issue.licence_no and "licence" in issue.spec.documents:
        licence = docs.LicenceDetails(
            number=issue.licence_no,
            holder=facts["holder"],
            legal_representative=engine.legal_representative(issue.spec, issue.answers, issue.context,
                                                             issue.checkup) or "",
            business_scope=facts["scope"],
            address=facts["address"],
            issuer=issue.office,
            issue_date=issue.day,
            valid_from=issue.valid_from or issue.day,
            valid_to=issue.valid_to or issue.day,
            title=issue.spec.result_name or "许可证",
        )
    elif issue.approved and issue.licence_no:
        filing_no = issue.licence_no
    hygiene = None
    manager = issue.role_value(FieldRole.HYGIENE_MANAGER)
    if manager:
        hygiene = docs.HygieneDetails(
            business_name=facts["holder"],
            hygiene_manager=_text(manager),
            category=facts["scope"],
            address=facts["address"],
            has_central_ac=issue.role_value(FieldRole.CENTRAL_AC) == "是",
            effective_date=issue.day,
        )
    symbols = engine.symbols(issue.spec, issue.answers, issue.context, issue.checkup)
    decision = engine.decide(issue.spec, issue.draft.findings, symbols)
    commitment = issue.draft.commitment
    return docs.DocumentContext(
        service_title=issue.spec.title,
        department=issue.spec.department,
        office_name=issue.office,
        applicant=docs.Applicant(card.display_name, card.id_number),
        decision=issue.draft.outcome,
        submitted_at=issue.decided_at,
        hall_name=issue.hall.name,
        kiosk_id=issue.hall.kiosk_id,
        receipt_no=issue.receipt_no,
        filing_no=filing_no,
        fields=fields,
        materials=materials,
        commitment=issue.spec.commitment or "",
        licence=licence,
        qr_text=issue.qr_text,
        signature_png=commitment.signature_png if commitment is not None else None,
        owed=owed,
        expected_completion=None if issue.approved else issue.expected_completion,
        delivery=docs.Delivery(method, address, card.display_name, _text(issue.role_value(FieldRole.PHONE))),
        hygiene=hygiene,
        bundle_results=tuple(docs.BundleResult(item.title, item.line) for item in decision.items),
        notes=tuple(issue.spec.notes),
        **({"recheck_note": issue.spec.licence_note} if issue.spec.licence_note else {}),
    )


def slip(issue: Issue, printed_at: dt.datetime) -> Receipt:
    """The thermal slip: the licence (or filing) slip when approved, else the 受理回执, in the session's
    language (its own words; the legal content stays Chinese: kiosk.session.slip_words)."""
    facts = business_facts(issue)
    card = issue.draft.card
    # A personal item's slip names the applicant and the item, never a business line: its "scope" is the
    # applicant's own choice (困难原因：疾病, 婚姻状况), not for a paper carried around
    for_person = issue.spec.audience == "个人"
    category = (issue.spec.short_title or issue.spec.title) if for_person else facts["scope"]
    common = {
        "words": slip_words(issue.draft.language),
        "service_title": issue.spec.title,
        "holder_name": card.display_name,
        "business_name": "" if for_person else facts["holder"],
        "address": "" if for_person else facts["address"],
        "office": issue.office,
        "qr_text": issue.qr_text,
        "hall_name": issue.hall.name,
        "kiosk_id": issue.hall.kiosk_id,
        "printed_at": printed_at,
        "holder_id_number": card.id_number,
    }
    if issue.approved and issue.licence_no:
        return layouts.licence_slip(
            licence_no=issue.licence_no, category=category, issue_date=issue.day,
            valid_from=issue.valid_from, valid_to=issue.valid_to, receipt_no=issue.receipt_no,
            document_name=issue.spec.result_name or "", business_qr_text=issue.business_qr_text,
            pickup_window=issue.hall.pickup_window, promised=promised_on_slip(issue), **common,
        )
    method, address = delivery_choice(issue)
    return layouts.acceptance_receipt(
        receipt_no=issue.receipt_no, accepted_at=issue.decided_at,
        expected_completion=issue.expected_completion, delivery=method, delivery_address=address,
        corrections=owed_materials(issue), category=category, for_person=for_person,
        correction_deadline=issue.correction_deadline, promised=promised_on_slip(issue),
        pickup_window=issue.hall.pickup_window, **common,
    )

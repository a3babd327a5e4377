"""Recording a decision: numbers, the application row, the signed QR and the print job, in ONE
transaction — then the PDFs.

    issued = record_decision(store, spec, draft, hall=..., registry=..., signing_key=..., printer=..., now=...)
    paths = write_documents(store, issued, folder)      # registered first, then written (kiosk.paperfiles)

Everything a person would be upset to lose is committed before anything prints or shows as done: the
receipt and licence numbers are allocated inside the transaction that records the decision (so a crash
can neither reuse nor skip one), and the slip's ESC/POS bytes are stored as a queued print job in the
same transaction, so a power cut between "approved" and "printed" leaves a job the queue prints (or
an operator reprints) after the restart. The PDFs' input (a forms.documents.snapshot of their
context) is stored in the same transaction; the PDFs are written after the commit and can always be
made again from it (`kiosk documents`, the repair at start and in `kiosk doctor`). The hall's copy
(an `application` outbox event, kiosk.sync) is written in the same transaction too.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms import documents as docs
from forms import numbering
from forms.documents.snapshot import context_to_json
from forms.registry import Registry
from forms.settings import HallSettings
from forms.spec import FieldRole, ServiceSpec
from kiosk.credentials import issue_credential
from kiosk.material_pages import with_material_pages
from kiosk.onecode import business_claims, printable_code
from kiosk.paperfiles import Render, Stage, render, write_registered
from kiosk.paperwork import Issue, credential_claims, document_context, issue_record, slip
from kiosk.session import ApplicationDraft
from kiosk.store import Store
from kiosk.store.paperwork import add_paperwork
from kiosk.sync.bodies import application_body, iso
from kiosk.sync.outbox import add_event
from printers.model import Receipt
from printers.profiles import DEFAULT_PROFILE, get_profile
from printers.url import parse_printer_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Issued:
    """A committed application: its row id, the paper facts, the queued print job and its PDFs' input."""

    application_id: int
    issue: Issue
    print_job_id: int
    print_bytes: int
    kinds: tuple[str, ...] = ()
    context: docs.DocumentContext | None = field(default=None, repr=False)  # holds the full ID number


def render_slip(issue: Issue, printer_url: str, printed_at: dt.datetime) -> bytes:
    """The slip's ESC/POS bytes for the printer at `printer_url` (profile, width and mode from the URL)."""
    return render_receipt(slip(issue, printed_at), printer_url)


def render_receipt(receipt: Receipt, printer_url: str) -> bytes:
    """Any slip's ESC/POS bytes for the printer at `printer_url` (profile, width and mode from the URL)."""
    # Imported here, not with this module: it loads Pillow and the slip's raster (~30-50 ms), which
    # `kiosk apply` then pays after handing the PDFs' context to its child process (which renders
    # meanwhile), not before (issue 17). Pillow's Image module imports its EXIF tag names (enums of ~300
    # members: ~14 ms of its ~27 ms) and reads them only for photos' EXIF (getexif, exif_transpose): loaded
    # then, on first use; a slip has none.
    from assets.lazymodules import defer

    defer("PIL.ExifTags")
    from printers.escpos_render import render_escpos

    url = parse_printer_url(printer_url)
    profile = get_profile(url.profile or DEFAULT_PROFILE, url.width)
    return render_escpos(receipt, profile, url.mode)


#: Told the kinds and the context of the documents while the decision's transaction is still open.
PaperworkReady = Callable[[tuple[str, ...], docs.DocumentContext], None]


def record_decision(
    store: Store,
    spec: ServiceSpec,
    draft: ApplicationDraft,
    *,
    hall: HallSettings,
    registry: Registry | None,
    signing_key: Ed25519PrivateKey,
    printer: str,
    now: dt.datetime,
    on_paperwork: PaperworkReady | None = None,
) -> Issued:
    """Commit an approved or accepted application with its numbers, QR and print job; return them.

    A blocked draft is refused (ValueError): nothing is submitted and no number is used. `on_paperwork`
    (kinds, context) is called inside the transaction as soon as the documents' context is final (before
    the business code, the hall's event, the slip and the commit): `kiosk apply` hands it to its PDF
    child, which renders meanwhile; nothing it makes is written unless the transaction commits."""
    if draft.outcome not in ("approved", "accepted"):
        raise ValueError(f"only approved or accepted applications are recorded, not {draft.outcome!r}")
    day = now.date()
    with store.transaction():
        receipt_no = numbering.allocate(numbering.receipt_template(spec), hall, day, store)
        licence_no = None
        if draft.outcome == "approved" and spec.numbering.licence is not None:
            licence_no = numbering.allocate(numbering.licence_template(spec), hall, day, store)
        issue = _with_qr(issue_record(spec, draft, hall, registry, now, receipt_no=receipt_no,
                                      licence_no=licence_no), signing_key)
        values = issue.values
        answers = _jsonable(values)
        findings = [{"rule": f.rule, "field": f.field, "severity": f.severity, "message": f.message}
                    for f in draft.findings]
        record = store.add_application(
            service=spec.id,
            state="submitted",
            decision=draft.outcome,
            answers=answers,
            findings=findings,
            receipt_no=receipt_no,
            licence_no=licence_no,
            applicant_name=draft.card.display_name,
            applicant_id_number=draft.card.id_number,
            delivery=_delivery(draft),
        )
        kinds, context = paperwork(issue)
        add_paperwork(store, record.id, kinds, context_to_json(context))
        if on_paperwork is not None and kinds:
            on_paperwork(kinds, context)
        issue = _with_business_qr(store, issue, registry, signing_key)  # sees the licence just recorded
        # The hall's copy, in this same transaction; it waits for its PDFs (attached when they are
        # registered, kiosk.paperfiles) unless the application has none.
        phone = issue.role_value(FieldRole.PHONE)
        add_event(store, "application", application_body(
            number=issue.number, spec=spec, outcome=draft.outcome, decided_at=now, licence_no=licence_no,
            office=issue.office, applicant_name=draft.card.display_name, id_number=draft.card.id_number,
            phone=str(phone) if phone else None, answers=answers, findings=findings),
            at=iso(now), application_id=record.id, ready=not kinds)
        payload = render_slip(issue, printer, now)
        kind = "licence" if licence_no else "receipt"
        job_id = store.enqueue_print_job(printer, issue.number, kind, payload)
    log.info("application %s recorded: %s %s", record.id, draft.outcome, issue.number)
    return Issued(record.id, issue, job_id, len(payload), kinds, context)


def paperwork(issue: Issue) -> tuple[tuple[str, ...], docs.DocumentContext]:
    """The document kinds of a decided application, in order, and the context they are rendered from."""
    kinds = docs.select_documents(issue.spec.documents, issue.draft.outcome)
    if not issue.role_value(FieldRole.HYGIENE_MANAGER):  # the 卫生管理制度 template names the manager
        kinds = [k for k in kinds if k is not docs.DocumentKind.HYGIENE_RULES]
    return tuple(kind.value for kind in kinds), document_context(issue)


def _with_qr(issue: Issue, signing_key: Ed25519PrivateKey) -> Issue:
    return replace(issue, qr_text=issue_credential(credential_claims(issue), signing_key))


def _with_business_qr(store: Store, issue: Issue, registry: Registry | None,
                      signing_key: Ed25519PrivateKey) -> Issue:
    """With a business permit (an approved licence naming a credit code): the business's 一码通行 code,
    every current permit of it (kiosk.onecode), printed on the slip beside the licence's own QR."""
    uscc = issue.role_value(FieldRole.CREDIT_CODE)
    if not (issue.approved and issue.licence_no and uscc):
        return issue
    claims = business_claims(registry, store, str(uscc), today=issue.day, kiosk_id=issue.hall.kiosk_id)
    if claims is None:
        return issue
    text = printable_code(claims, signing_key)
    if text is None:  # too many permits for a reliable print: the licence still prints with its own code
        log.warning("一码通行 code left off the slip of %s: %d permits are too many for one printed QR",
                    issue.number, len(claims.permits))
        return issue
    return replace(issue, business_qr_text=text)


def _delivery(draft: ApplicationDraft) -> dict[str, str] | None:
    if draft.delivery is None:
        return None
    return {"method": draft.delivery.method, "address": draft.delivery.address}


def _jsonable(values: dict[str, object]) -> dict[str, object]:
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in values.items()}


def write_documents(store: Store, issued: Issued, folder: Path, on_stage: Stage | None = None,
                    renderer: Render = render) -> list[Path]:
    """Write the application's PDFs into `folder`, each registered (path and SHA-256) before it exists.
    `renderer` makes them (`kiosk apply` passes a child process's, forms.documents.worker)."""
    kinds, context = (issued.kinds, issued.context) if issued.context is not None else paperwork(issued.issue)
    files = with_material_pages(store, issued.application_id, renderer(kinds, context))  # photos after the 申请表
    return write_registered(store, issued.application_id, folder, files, on_stage)

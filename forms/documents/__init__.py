"""The PDF materials of an application: 申请表, 许可证, 受理回执/备案回执, 卫生管理制度 (reportlab).

Input is one plain `DocumentContext` (see `forms.documents.model`); each document is a function
returning PDF bytes, and `write_document` stores one atomically. The shipped CJK font is embedded
(registered lazily on first use); values are printed literally, never parsed as markup; QR codes are
vector paths from its module matrix. Pure of Qt and of the kiosk. Rendering takes tens of milliseconds:
call it off the GUI thread.

    ctx = DocumentContext(service_title=..., department=..., office_name=..., applicant=Applicant(...),
                          decision="approved", submitted_at=datetime.now(), ...)
    write_document(DocumentKind.LICENCE, ctx, out_dir / "licence.pdf")
    paths = write_documents(select_documents(spec.documents, ctx.decision), ctx, out_dir)

`forms.documents.demo` builds sample contexts (used by the tests and bench/bench_documents.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms.documents.errors import DocumentError, DocumentInputError, DocumentRenderError
from forms.documents.model import (
    DEFAULT_RECHECK_NOTE,
    DELIVERY_MAIL,
    DELIVERY_PICKUP,
    MATERIAL_GENERATED,
    MATERIAL_OWED,
    MATERIAL_PHOTOGRAPHED,
    MATERIAL_PROMISED,
    MATERIAL_SHARED,
    SOURCE_APPLICANT,
    SOURCE_CARD,
    SOURCE_EARLIER,
    SOURCE_REGISTRY,
    Applicant,
    BundleResult,
    Delivery,
    DocumentContext,
    FieldLine,
    HygieneDetails,
    LicenceDetails,
    Material,
    OwedItem,
)

if TYPE_CHECKING:
    from forms.documents.application_form import render_application_form
    from forms.documents.hygiene_rules import render_hygiene_rules
    from forms.documents.licence import render_licence
    from forms.documents.receipt import ReceiptKind, render_receipt

#: The reportlab side (≈ 0.2 s to import), imported when a document is first rendered: the kiosk's
#: start and the commands that write no PDF do not pay it (issue 17). Name -> defining module.
_LAZY = {
    "render_application_form": "forms.documents.application_form",
    "render_hygiene_rules": "forms.documents.hygiene_rules",
    "render_licence": "forms.documents.licence",
    "ReceiptKind": "forms.documents.receipt",
    "render_receipt": "forms.documents.receipt",
    "write_pdf": "forms.documents.layout",
}


def __getattr__(name: str) -> Any:
    """The renderers on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    from forms.documents.platypus_import import import_platypus

    import_platypus()  # first, so reportlab's URL pattern is compiled only if ever used
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


class DocumentKind(StrEnum):
    """The documents a service spec may list (its `documents:` names); the value is also the file stem."""

    APPLICATION = "application"  # 申请表
    LICENCE = "licence"  # 许可证
    RECEIPT = "receipt"  # 受理回执
    FILING_RECEIPT = "filing_receipt"  # 备案回执
    RESULT_NOTICE = "result_notice"  # 办理结果告知单
    HYGIENE_RULES = "hygiene_rules"  # 卫生管理制度


_RENDERERS: dict[DocumentKind, Callable[[DocumentContext], bytes]] = {
    DocumentKind.APPLICATION: lambda ctx: __getattr__("render_application_form")(ctx),
    DocumentKind.LICENCE: lambda ctx: __getattr__("render_licence")(ctx),
    DocumentKind.RECEIPT: lambda ctx: __getattr__("render_receipt")(ctx, __getattr__("ReceiptKind").ACCEPTANCE),
    DocumentKind.FILING_RECEIPT: lambda ctx: __getattr__("render_receipt")(ctx, __getattr__("ReceiptKind").FILING),
    DocumentKind.RESULT_NOTICE: lambda ctx: __getattr__("render_receipt")(ctx, __getattr__("ReceiptKind").RESULT),
    DocumentKind.HYGIENE_RULES: lambda ctx: __getattr__("render_hygiene_rules")(ctx),
}


def _kind(kind: DocumentKind | str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in DocumentKind)
        raise DocumentInputError(f"未知的文档类型 {kind!r}（可用: {known}）") from None


def render_document(kind: DocumentKind | str, ctx: DocumentContext) -> bytes:
    """PDF bytes of one document kind."""
    return _RENDERERS[_kind(kind)](ctx)


def write_document(kind: DocumentKind | str, ctx: DocumentContext, path: str | os.PathLike[str]) -> Path:
    """Render one document and write it atomically to `path`; returns the path."""
    return __getattr__("write_pdf")(render_document(kind, ctx), path)


def select_documents(listed: Iterable[DocumentKind | str], decision: str) -> list[DocumentKind]:
    """Which of a spec's listed documents to produce for a decision.

    `blocked` produces nothing (nothing was submitted); `accepted` gives a 受理回执 instead of a licence
    or a 备案回执 (staff decide later); `approved` produces the list as given. Order is kept, duplicates
    dropped.
    """
    if decision == "blocked":
        return []
    chosen: list[DocumentKind] = []
    for name in listed:
        kind = _kind(name)
        if decision == "accepted" and kind in (DocumentKind.LICENCE, DocumentKind.FILING_RECEIPT):
            kind = DocumentKind.RECEIPT
        if kind not in chosen:
            chosen.append(kind)
    return chosen


def write_documents(
    kinds: Iterable[DocumentKind | str], ctx: DocumentContext, out_dir: str | os.PathLike[str]
) -> list[Path]:
    """Render several documents into `out_dir` as ``<kind>.pdf``; returns the paths in order."""
    folder = Path(out_dir)
    return [write_document(kind, ctx, folder / f"{_kind(kind).value}.pdf") for kind in kinds]


__all__ = [
    "DEFAULT_RECHECK_NOTE",
    "DELIVERY_MAIL",
    "DELIVERY_PICKUP",
    "MATERIAL_GENERATED",
    "MATERIAL_OWED",
    "MATERIAL_PHOTOGRAPHED",
    "MATERIAL_PROMISED",
    "MATERIAL_SHARED",
    "SOURCE_APPLICANT",
    "SOURCE_CARD",
    "SOURCE_EARLIER",
    "SOURCE_REGISTRY",
    "Applicant",
    "BundleResult",
    "Delivery",
    "DocumentContext",
    "DocumentError",
    "DocumentInputError",
    "DocumentKind",
    "DocumentRenderError",
    "FieldLine",
    "HygieneDetails",
    "LicenceDetails",
    "Material",
    "OwedItem",
    "ReceiptKind",
    "render_application_form",
    "render_document",
    "render_hygiene_rules",
    "render_licence",
    "render_receipt",
    "select_documents",
    "write_document",
    "write_documents",
]

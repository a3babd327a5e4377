"""Errors raised while producing the PDF materials (申请表, 许可证, 回执, 卫生管理制度).

`DocumentError` is the base of this package; callers catch it to show a fault and keep the
application row (which is stored before any document is produced, so no data is lost).
"""

from __future__ import annotations


class DocumentError(Exception):
    """Base class of every error raised by `forms.documents`."""


class DocumentInputError(DocumentError, ValueError):
    """The `DocumentContext` cannot make the requested document (a missing or malformed part)."""


class DocumentRenderError(DocumentError):
    """reportlab could not lay the document out, or the PDF could not be written."""

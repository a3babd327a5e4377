"""The form screen's rows (QML: `bridge.form`): one row per visible field and, after a blocked 下一步,
what to fix. `setAnswer` sends AnswerChanged; a field the applicant has touched may show its 请填写
message (kiosk.ui.formview decides the words)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Slot

from kiosk.session import AnswerChanged, Event
from kiosk.ui import formview
from kiosk.ui.listmodel import RowsModel


class FormRows(QObject):
    def __init__(self, send: Callable[[Event], None], rerender: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._send = send
        self._rerender = rerender
        self._touched: set[str] = set()
        self.field_model = RowsModel(formview.FIELD_ROLES, self)
        self.fix_model = RowsModel(["field", "label", "message"], self)

    fieldModel = Property(QObject, lambda self: self.field_model, constant=True)
    fixModel = Property(QObject, lambda self: self.fix_model, constant=True)

    @Slot(str, "QVariant")
    def setAnswer(self, key: str, value: Any) -> None:
        self._touched.add(key)
        self._send(AnswerChanged(key, "" if value is None else value))

    @Slot(str)
    def touchField(self, key: str) -> None:
        """The applicant left a field: from now on its 请填写 message may show."""
        if key not in self._touched:
            self._touched.add(key)
            self._rerender()

    def render(self, spec: Any, view: dict[str, Any], entering: bool) -> None:
        """Fill the rows from the view; `entering` the form afresh (no findings yet) forgets touches."""
        if entering and not view["findings"]:
            self._touched.clear()
        if spec is not None and view["fields"]:
            self.field_model.set_rows(formview.field_rows(spec, view, self._touched, view["language"]))
            self.fix_model.set_rows(formview.fix_rows(spec, view, view["language"]) if view["show_fixes"] else [])
        else:
            self.field_model.set_rows([])
            self.fix_model.set_rows([])

    def wipe(self) -> None:
        self._touched.clear()

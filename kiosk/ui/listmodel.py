"""`RowsModel`: a Qt list model over plain dict rows, updated in place so QML delegates survive.

Each row is a dict with the same keys (the roles QML reads as `model.<name>`); `"key"` identifies a
row. `set_rows(rows)` compares with what is shown: rows whose key stays get `dataChanged` (a text
field being typed in keeps its focus and cursor), rows that appear or go are inserted or removed, and
only a change of order resets the model.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

_FIRST_ROLE = Qt.ItemDataRole.UserRole + 1


class RowsModel(QAbstractListModel):
    countChanged = Signal()

    def __init__(self, roles: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        if "key" not in roles:
            roles = ["key", *roles]
        self._roles = roles
        self._role_ids = {name: _FIRST_ROLE + index for index, name in enumerate(roles)}
        self._rows: list[dict[str, Any]] = []

    # --- QAbstractListModel -----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name = self._roles[role - _FIRST_ROLE] if role >= _FIRST_ROLE else "key"
        return self._rows[index.row()].get(name)

    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(name.encode()) for name, role in self._role_ids.items()}

    # --- for Python and QML -------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows]

    @Slot(result=int)
    def count(self) -> int:
        return len(self._rows)

    @Slot(int, result="QVariantMap")
    def get(self, row: int) -> dict[str, Any]:
        return dict(self._rows[row]) if 0 <= row < len(self._rows) else {}

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        new_keys = [row["key"] for row in rows]
        old_keys = [row["key"] for row in self._rows]
        if new_keys == old_keys:
            self._update_in_place(rows)
            return
        kept = [key for key in old_keys if key in set(new_keys)]
        if kept != [key for key in new_keys if key in set(old_keys)]:
            self.beginResetModel()
            self._rows = [dict(row) for row in rows]
            self.endResetModel()
            self.countChanged.emit()
            return
        for index in range(len(old_keys) - 1, -1, -1):  # removals, from the end
            if old_keys[index] not in set(new_keys):
                self.beginRemoveRows(QModelIndex(), index, index)
                del self._rows[index]
                self.endRemoveRows()
        for index, row in enumerate(rows):  # insertions, in order
            if index >= len(self._rows) or self._rows[index]["key"] != row["key"]:
                self.beginInsertRows(QModelIndex(), index, index)
                self._rows.insert(index, dict(row))
                self.endInsertRows()
        self._update_in_place(rows)
        self.countChanged.emit()

    def _update_in_place(self, rows: list[dict[str, Any]]) -> None:
        for index, row in enumerate(rows):
            if self._rows[index] != row:
                changed = [self._role_ids[name] for name in self._roles if self._rows[index].get(name) != row.get(name)]
                self._rows[index] = dict(row)
                model_index = self.index(index)
                self.dataChanged.emit(model_index, model_index, changed)

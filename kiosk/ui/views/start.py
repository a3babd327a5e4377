"""The start screen's catalog, search and service introduction (QML: `bridge.start`).

Which start page shows is the session's (PageOpened, Back; kiosk.session.navigation); this view model
holds only what the catalog page filters by (audience, search text), the service being introduced, and
the catalog rows. `startService()` sends ServiceChosen for the service being introduced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.services.catalog_search import CatalogEntry, search
from kiosk.session import Event, PageOpened, ServiceChosen
from kiosk.ui.listmodel import RowsModel
from kiosk.ui.spec_words import spec_text
from kiosk.ui.strings import word

CATALOG_ROLES = ["title", "shortTitle", "department", "audience", "instant", "lifeEvent", "minutes", "bring"]
_log = logging.getLogger(__name__)


class StartPages(QObject):
    introChanged = Signal()

    def __init__(self, send: Callable[[Event], None], service_id: Callable[[], str | None],
                 parent: QObject | None = None, language: Callable[[], str] = lambda: "zh") -> None:
        super().__init__(parent)
        self._send = send
        self._language = language
        self._service_id = service_id
        self._entries: list[CatalogEntry] = []
        self._entries_by_id: dict[str, CatalogEntry] = {}
        self._audience: str | None = None
        self._query = ""
        self._intro_id: str | None = None
        self.catalog_model = RowsModel(CATALOG_ROLES, self)

    def set_entries(self, entries: list[CatalogEntry]) -> None:
        self._entries = entries
        self._entries_by_id = {entry.id: entry for entry in entries}
        self._refresh()

    def wipe(self) -> None:
        self._intro_id = None

    def _get_intro(self) -> dict[str, Any]:
        entry = self._entries_by_id.get(self._intro_id or self._service_id() or "")
        if entry is None:
            return {}
        language = self._language()
        return {
            **self._row(entry), "conditions": spec_text(entry.conditions, language),
            "bringList": [spec_text(item, language) for item in entry.bring],
            "materials": [spec_text(item, language) for item in entry.materials],
            "commitment": spec_text(entry.commitment, language),
        }

    def _row(self, entry: CatalogEntry) -> dict[str, Any]:
        """The catalog row in the screen's language (kiosk.ui.spec_words)."""
        language = self._language()
        row = entry.to_row()
        if language == "en":
            row.update({key: spec_text(row[key], language)
                        for key in ("title", "shortTitle", "department", "lifeEvent")})
            row["bring"] = word(language, "listJoin").join(spec_text(item, language) for item in entry.bring)
        return row

    def relabel(self) -> None:
        """The screen's language changed: the rows again, in it."""
        self._refresh()
        self.introChanged.emit()

    intro = Property("QVariantMap", _get_intro, notify=introChanged)
    catalogModel = Property(QObject, lambda self: self.catalog_model, constant=True)

    @Slot(str)
    def chooseAudience(self, audience: str) -> None:
        self._audience = audience or None
        self._query = ""
        self._refresh()
        self._send(PageOpened("catalog"))

    @Slot(str)
    def searchCatalog(self, query: str) -> None:
        self._query = query
        self._refresh()

    @Slot(str)
    def openIntro(self, service_id: str) -> None:
        if service_id not in self._entries_by_id:
            _log.error("ui: no service %r in the catalog", service_id)
            return
        self._intro_id = service_id
        self.introChanged.emit()
        self._send(PageOpened("intro"))

    @Slot()
    def openLookup(self) -> None:
        self._send(PageOpened("lookup"))

    @Slot()
    def startService(self) -> None:
        if self._intro_id:
            self._send(ServiceChosen(self._intro_id))

    def _refresh(self) -> None:
        audience = None if self._query.strip() else self._audience
        self.catalog_model.set_rows([self._row(entry) for entry in search(self._entries, self._query, audience)])

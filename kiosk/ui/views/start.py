"""The start screen's catalog, search and service introduction (QML: `bridge.start`).

Which start page shows is the session's (PageOpened, Back; kiosk.session.navigation); this view model
holds only what the catalog page filters by (audience, category, search text), the service being
introduced, the catalog rows and the 热门 row. Categories are the life events of the audience's items
(kiosk.services.catalog_search.categories); 热门 is fetched on the worker each time the catalog opens
(`fetch_hot(done)`, the bridge's: this terminal's most applied-for items of 30 days, then the configured
list; kiosk.services.popular). A search ranks across every category. `startService()` sends
ServiceChosen for the service being introduced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.services.catalog_search import CatalogEntry, categories, search
from kiosk.services.popular import hot_items
from kiosk.session import Event, PageOpened, ServiceChosen
from kiosk.session.spec_words import spec_text
from kiosk.ui.listmodel import RowsModel
from kiosk.ui.strings import word

CATALOG_ROLES = ["title", "shortTitle", "department", "audience", "instant", "lifeEvent", "minutes", "bring"]
_log = logging.getLogger(__name__)


class StartPages(QObject):
    introChanged = Signal()
    filtersChanged = Signal()

    def __init__(self, send: Callable[[Event], None], service_id: Callable[[], str | None],
                 parent: QObject | None = None, language: Callable[[], str] = lambda: "zh",
                 fetch_hot: Callable[[Callable[[Any], None]], None] | None = None) -> None:
        super().__init__(parent)
        self._fetch_hot = fetch_hot
        self._hot: tuple[dict[str, int], tuple[str, ...]] = ({}, ())
        self._category = ""
        self._filters: tuple[Any, ...] = ()
        self.hot_model = RowsModel(CATALOG_ROLES, self)
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
        """The catalog row in the screen's language (kiosk.session.spec_words)."""
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

    def _audience_entries(self) -> list[CatalogEntry]:
        return [e for e in self._entries if self._audience is None or e.audience == self._audience]

    def _get_categories(self) -> list[dict[str, str]]:
        language = self._language()
        return [{"key": event, "label": spec_text(event, language)}
                for event in categories(self._audience_entries())]

    intro = Property("QVariantMap", _get_intro, notify=introChanged)
    catalogModel = Property(QObject, lambda self: self.catalog_model, constant=True)
    hotModel = Property(QObject, lambda self: self.hot_model, constant=True)
    categories = Property("QVariantList", _get_categories, notify=filtersChanged)
    category = Property(str, lambda self: self._category, notify=filtersChanged)
    searching = Property(bool, lambda self: bool(self._query.strip()), notify=filtersChanged)

    @Slot(str)
    def chooseAudience(self, audience: str) -> None:
        self._audience = audience or None
        self._query = ""
        self._category = ""
        self._refresh()
        self._send(PageOpened("catalog"))
        if self._fetch_hot is not None:
            self._fetch_hot(self.set_hot)

    def set_hot(self, hot: tuple[dict[str, int], tuple[str, ...]] | None) -> None:
        """The worker's answer: (applications per service of 30 days, the configured list)."""
        if hot is not None:
            self._hot = hot
            self._refresh()

    @Slot(str)
    def chooseCategory(self, category: str) -> None:
        """"" = every category."""
        self._category = category
        self._refresh()

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
        if self._query.strip():  # a search ranks over every audience and category
            found = search(self._entries, self._query)
        else:
            found = [e for e in search(self._audience_entries(), "")
                     if not self._category or e.life_event == self._category]
        self.catalog_model.set_rows([self._row(entry) for entry in found])
        counts, fallback = self._hot
        hot = hot_items(counts, fallback, {e.id for e in self._audience_entries()})
        self.hot_model.set_rows([self._row(self._entries_by_id[service]) for service in hot])
        filters = (bool(self._query.strip()), self._category, self._language(), self._audience, len(self._entries))
        if filters != self._filters:  # not at every keystroke: QML rebuilds the category buttons
            self._filters = filters
            self.filtersChanged.emit()

"""The pages of paper materials photographed for an application (table `material_pages`, migration 7).

Each page's PNG is a file registered in `documents` (kind `material_page`: written by
kiosk.material_pages through kiosk.paperfiles, so `kiosk purge` deletes it with the application's
other files and blanks its path); the row here names the material and the page's size.

    pages = material_pages_for(store, application_id)     # [StoredPage], in material and page order
    body = wire_pages(pages)                               # the hall's `material_pages` (PLAN.md)
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.store import Store

#: The `documents.kind` of a material page's PNG.
MATERIAL_PAGE_KIND = "material_page"


@dataclass(frozen=True)
class StoredPage:
    """One photographed page: its material, number, file (empty once purged), SHA-256 and size."""

    application_id: int
    material: str
    page_no: int
    document_id: int
    path: str
    sha256: str
    width: int
    height: int

    @property
    def purged(self) -> bool:
        return not self.path

    def png(self) -> bytes | None:
        """The page's PNG bytes; None once purged or when the file is gone."""
        if not self.path:
            return None
        try:
            return Path(self.path).read_bytes()
        except FileNotFoundError:
            return None


def add_material_pages(store: Store, application_id: int,
                       pages: Sequence[tuple[str, int, int, int]]) -> None:
    """Record pages as (material, document_id, width, height), numbered per material in order."""
    now = store.now_iso()
    counts: dict[str, int] = {}
    with store.transaction():
        for material, document_id, width, height in pages:
            counts[material] = counts.get(material, 0) + 1
            store.db.conn.execute(
                "INSERT INTO material_pages (application_id, material, page_no, document_id, width, height, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (application_id, material, counts[material], document_id, width, height, now))


def material_pages_for(store: Store, application_id: int) -> list[StoredPage]:
    """The photographed pages of one application (purged ones have an empty path)."""
    rows = store.select(
        "SELECT m.application_id, m.material, m.page_no, m.document_id, d.path, d.sha256, m.width, m.height "
        "FROM material_pages m JOIN documents d ON d.id = m.document_id "
        "WHERE m.application_id = ? ORDER BY m.id", (application_id,))
    return [StoredPage(**row) for row in rows]


def wire_pages(pages: Sequence[StoredPage]) -> list[dict[str, str]]:
    """The application event's `material_pages` (the kiosk<->hall contract): material, PNG as base64,
    SHA-256; pages whose file is purged or missing are left out."""
    body = []
    for page in pages:
        data = page.png()
        if data is not None:
            body.append({"material": page.material, "png_b64": base64.b64encode(data).decode("ascii"),
                         "sha256": page.sha256})
    return body

"""Repair after a crash: every committed application gets its PDFs back, no personal file escapes purge.

    report = repair(store, DataLayout(data_dir, folder_for), up_to_id=...)
    report.summary()        # "regenerated 12 application(s) ...; removed 3 temporary file(s) ..."

Run at start (`Kiosk`, on a background thread, for the applications committed before this process
began) and by `kiosk doctor`. In order:

1. a registered file that is not on disk (killed between registering and writing, or deleted) is
   unregistered, so step 4 makes it again;
2. temporaries (`.NAME.XXXX.tmp`) older than `min_age_s` in the data dir's documents and printed
   folders, and beside registered files elsewhere (`kiosk apply --out`), are removed: a younger one
   may be another process's write in progress;
3. unregistered files in the documents folders are registered to the application their folder is
   named after; unregistered printed-slip captures (job-N.bin / job-N.png) to the application whose
   print job carried the same bytes. Files that belong to no live application (purged, unknown) and
   are older than `min_age_s` are removed: they hold personal data nobody could purge otherwise;
4. committed applications short of a registered PDF are rendered again from their stored snapshot
   into their folder under the data dir (same text as the originals).
Applications recorded before snapshots existed cannot be rendered again: they are counted.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from forms.documents.errors import DocumentError
from forms.documents.snapshot import context_from_json
from kiosk.material_pages import with_material_pages
from kiosk.paperfiles import TEMP_SUFFIX, Stage, render, write_registered
from kiosk.store import Store, StoreError
from kiosk.store.paperwork import (
    applications_without_paperwork,
    missing_documents,
    registered_documents,
    unregister_documents,
)

log = logging.getLogger(__name__)

#: A temporary or unregistered file younger than this may be another process's write in progress.
MIN_AGE_SECONDS = 60.0
#: Document kinds of the emulator's printed-slip captures.
CAPTURE_KINDS = {".bin": "printed_bin", ".png": "printed_png"}


@dataclass(frozen=True)
class DataLayout:
    """Where an application's files live: the documents root, its per-number folder, the printed captures."""

    documents_root: Path
    printed_root: Path
    folder_for: Callable[[str], Path]


@dataclass
class RepairReport:
    """What the repair found and did; `failed` lists what it could not fix."""

    regenerated: list[str] = field(default_factory=list)  # application numbers
    files_regenerated: int = 0
    lost_registrations: int = 0
    temporaries_removed: list[Path] = field(default_factory=list)
    adopted: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    without_snapshot: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.regenerated or self.temporaries_removed or self.adopted or self.removed
                    or self.lost_registrations)

    def summary(self) -> str:
        parts = []
        if self.regenerated:
            shown = ", ".join(self.regenerated[:3]) + (" ..." if len(self.regenerated) > 3 else "")
            parts.append(f"regenerated the PDFs of {len(self.regenerated)} application(s) ({shown}, "
                         f"{self.files_regenerated} file(s))")
        if self.lost_registrations:
            parts.append(f"{self.lost_registrations} registered file(s) were missing")
        if self.temporaries_removed:
            parts.append(f"removed {len(self.temporaries_removed)} orphan temporary file(s)")
        if self.adopted:
            parts.append(f"registered {len(self.adopted)} unregistered file(s) to their application")
        if self.removed:
            parts.append(f"removed {len(self.removed)} file(s) of no live application")
        if self.without_snapshot:
            parts.append(f"{self.without_snapshot} older application(s) have no stored snapshot")
        return "; ".join(parts) if parts else "every committed application has its documents; no stray files"


def repair(store: Store, layout: DataLayout, *, up_to_id: int | None = None, on_stage: Stage | None = None,
           min_age_s: float = MIN_AGE_SECONDS, clock: Callable[[], float] = time.time) -> RepairReport:
    """Make the data dir whole again (see the module docstring); applications after `up_to_id` are left."""
    report = RepairReport()
    canonical = _Canonical()
    limit = up_to_id if up_to_id is not None else 2**62
    documents = [d for d in registered_documents(store) if d.application_id <= limit]
    gone = [d for d in documents if not Path(d.path).exists()]
    if gone:
        unregister_documents(store, [d.id for d in gone])
        report.lost_registrations = len(gone)
    lost = {d.id for d in gone}
    present = {canonical(d.path) for d in documents if d.id not in lost}
    old_enough = _older_than(clock() - min_age_s)

    folders = {layout.documents_root, layout.printed_root} | {path.parent for path in present}
    for folder in folders:
        for temporary in _temporaries(folder):
            if old_enough(temporary):
                temporary.unlink(missing_ok=True)
                report.temporaries_removed.append(temporary)

    everything = {canonical(d.path) for d in registered_documents(store)}  # newer ones too
    _adopt_documents(store, layout, limit, everything, old_enough, report, canonical)
    _adopt_captures(store, layout.printed_root, everything, old_enough, report, limit, canonical)

    for stored in missing_documents(store, up_to_id):
        have = {d.kind for d in store.documents_for(stored.application_id) if d.path}
        kinds = [kind for kind in stored.kinds if kind not in have]
        try:
            files = with_material_pages(store, stored.application_id, render(kinds, context_from_json(stored.context)))
            write_registered(store, stored.application_id, layout.folder_for(stored.number), files, on_stage)
        except (DocumentError, OSError, StoreError) as exc:
            report.failed.append(f"{stored.number}: {exc}")
            continue
        report.regenerated.append(stored.number)
        report.files_regenerated += len(files)
    report.without_snapshot = applications_without_paperwork(store)
    if report.changed or report.failed:
        log.warning("documents repaired: %s%s", report.summary(),
                    f"; failed: {'; '.join(report.failed)}" if report.failed else "")
    return report


def _older_than(moment: float) -> Callable[[Path], bool]:
    def check(path: Path) -> bool:
        try:
            return path.stat().st_mtime <= moment
        except OSError:
            return False
    return check


def _temporaries(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [path for path in folder.rglob(f".*{TEMP_SUFFIX}") if path.is_file()]


class _Canonical:
    """Paths made canonical by resolving each folder once (os.path.realpath), not each file with
    Path.resolve() (an lstat per component): a kiosk with a year of applications registers tens of thousands
    of files, and the start repair compares them all (600 applications: ~10,000 resolves, ~0.5 s of CPU at
    every start and every `kiosk apply`). The files the kiosk writes are plain files in its own folders."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def folder(self, path: Path | str) -> str:
        text = os.path.abspath(path)
        real = self._folders.get(text)
        if real is None:
            real = self._folders[text] = os.path.realpath(text)
        return real

    def __call__(self, path: Path | str) -> Path:
        folder, name = os.path.split(os.path.abspath(path))
        return Path(self.folder(folder), name)


def _unregistered(store: Store, candidates: list[Path], canonical: _Canonical) -> list[Path]:
    """The candidates still unregistered now (another thread or process may have registered one since)."""
    if not candidates:
        return []
    now = {canonical(d.path) for d in registered_documents(store)}
    return [path for path in candidates if path not in now]


def _adopt_documents(store: Store, layout: DataLayout, limit: int, present: set[Path],
                     old_enough: Callable[[Path], bool], report: RepairReport, canonical: _Canonical) -> None:
    """Unregistered files in the documents folders: register them to their application, or remove them."""
    root = layout.documents_root
    if not root.is_dir():
        return
    owners = {Path(canonical.folder(layout.folder_for(row["number"]))): row["id"] for row in store.select(
        "SELECT id, COALESCE(licence_no, receipt_no) AS number FROM applications "
        "WHERE purged_at IS NULL AND COALESCE(licence_no, receipt_no) IS NOT NULL AND id <= ?", (limit,))}
    candidates = [path for path in sorted(canonical(p) for p in root.rglob("*"))
                  if path.is_file() and not path.name.endswith(TEMP_SUFFIX) and path not in present]
    for path in _unregistered(store, candidates, canonical):
        owner = owners.get(path.parent)
        if owner is not None:
            store.add_document(owner, path.stem if path.suffix == ".pdf" else path.name, path)
            report.adopted.append(path)
        elif old_enough(path):
            path.unlink(missing_ok=True)
            report.removed.append(path)


def _adopt_captures(store: Store, printed: Path, present: set[Path], old_enough: Callable[[Path], bool],
                    report: RepairReport, limit: int, canonical: _Canonical) -> None:
    """Unregistered job-N.bin / job-N.png captures: register them to the application printed, or remove.
    A capture of an application after `limit` is left alone: this process printed it just now, and the
    sim printer's listener registers it in a moment (adopting it here raced that listener)."""
    if not printed.is_dir():
        return
    candidates = [p for p in sorted(canonical(p) for p in printed.glob("job-*.*")) if p not in present]
    unregistered = set(_unregistered(store, candidates, canonical))
    for path in sorted(p for p in unregistered if p.suffix == ".bin"):
        pair = [p for p in (path, path.with_suffix(".png")) if p in unregistered and p.is_file()]
        owner = capture_owner(store, path.read_bytes())
        if owner is not None and owner > limit:
            continue
        for capture in pair:
            if owner is not None:
                store.add_document(owner, CAPTURE_KINDS[capture.suffix], capture)
                report.adopted.append(capture)
            elif old_enough(capture):
                capture.unlink(missing_ok=True)
                report.removed.append(capture)
    for path in sorted(p for p in unregistered if p.suffix == ".png"):
        if not path.with_suffix(".bin").exists() and old_enough(path):
            path.unlink(missing_ok=True)
            report.removed.append(path)


def capture_owner(store: Store, data: bytes) -> int | None:
    """The live application whose print job carried exactly these bytes (None when none does)."""
    if not data:
        return None
    rows = store.select(
        "SELECT a.id FROM print_jobs j JOIN applications a ON a.purged_at IS NULL AND "
        "(a.licence_no = j.reference OR a.receipt_no = j.reference) "
        "WHERE length(j.payload) = ? AND j.payload = ? ORDER BY j.id DESC LIMIT 1", (len(data), data))
    return int(rows[0]["id"]) if rows else None

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

The start repair is incremental (`repair_since_marks`): a crash can only leave work undone for what
was being made at the time, so what a start repair found whole stays whole for the next start. The
store's `meta` table keeps two marks, the application id and the slip capture number (job-N) up to
which everything was found whole; a start checks only what came after them, so its cost follows what
is new, not the year of documents the data dir holds (86 applications / 602 documents took 52 ms of
CPU at every start, on the thread that shares the interpreter with the touchscreen or `kiosk apply`).
A mark does not move past anything left for later (a file younger than `min_age_s`, a capture of an
application after `up_to_id`, a failure). `kiosk doctor` still checks everything (`repair` without marks).
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
    last_application_id,
    missing_documents,
    registered_documents,
    unregister_documents,
)

log = logging.getLogger(__name__)

#: A temporary or unregistered file younger than this may be another process's write in progress.
MIN_AGE_SECONDS = 60.0
#: Up to this many unregistered-looking captures are looked up by name, beyond it against every row.
CANDIDATES_BY_NAME = 64
#: Document kinds of the emulator's printed-slip captures.
CAPTURE_KINDS = {".bin": "printed_bin", ".png": "printed_png"}


@dataclass(frozen=True)
class DataLayout:
    """Where an application's files live: the documents root, its per-number folder, the printed captures."""

    documents_root: Path
    printed_root: Path
    folder_for: Callable[[str], Path]


@dataclass(frozen=True)
class RepairMarks:
    """Everything up to these was found whole: applications by id, slip captures by job number."""

    applications: int = 0
    captures: int = 0


MARKS_KEY = "repair.settled"


def read_marks(store: Store) -> RepairMarks:
    rows = store.select("SELECT value FROM meta WHERE key = ?", (MARKS_KEY,))
    try:
        applications, captures = (int(part) for part in rows[0]["value"].split(","))
        return RepairMarks(applications, captures)
    except (IndexError, ValueError):  # none yet (or unreadable): check everything once
        return RepairMarks()


def write_marks(store: Store, marks: RepairMarks) -> None:
    with store.transaction():
        store.db.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                              (MARKS_KEY, f"{marks.applications},{marks.captures}"))


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
    marks: RepairMarks | None = None  # with `settled`: the marks the next start may start from

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


def repair_since_marks(store: Store, layout: DataLayout, *, up_to_id: int,
                       on_stage: Stage | None = None) -> RepairReport:
    """The start repair: `repair` of what came after the stored marks, which then move on."""
    settled = read_marks(store)
    report = repair(store, layout, up_to_id=up_to_id, on_stage=on_stage, settled=settled)
    if report.marks is not None and report.marks != settled:
        write_marks(store, report.marks)
    return report


def repair(store: Store, layout: DataLayout, *, up_to_id: int | None = None, on_stage: Stage | None = None,
           min_age_s: float = MIN_AGE_SECONDS, clock: Callable[[], float] = time.time,
           settled: RepairMarks | None = None) -> RepairReport:
    """Make the data dir whole again (see the module docstring); applications after `up_to_id` are left.
    With `settled`, what the marks cover is taken as whole and `report.marks` says how far this found it."""
    report = RepairReport()
    canonical = _Canonical()
    limit = up_to_id if up_to_id is not None else 2**62
    after = settled.applications if settled is not None else 0
    documents = [d for d in registered_documents(store, after_id=after) if d.application_id <= limit]
    gone = [d for d in documents if not Path(d.path).exists()]
    if gone:
        unregister_documents(store, [d.id for d in gone])
        report.lost_registrations = len(gone)
    lost = {d.id for d in gone}
    present = {canonical(d.path) for d in documents if d.id not in lost}
    old_enough = _older_than(clock() - min_age_s)

    owners = _owners(store, layout, after, limit, canonical)
    roots = {layout.documents_root} if settled is None else set(owners)  # settled: the new folders only
    undecided = 0  # files of the applications' folders left for a later start: the mark waits for them
    for folder in roots | {layout.printed_root} | {path.parent for path in present}:
        for temporary in _temporaries(folder):
            if old_enough(temporary):
                temporary.unlink(missing_ok=True)
                report.temporaries_removed.append(temporary)
            elif folder != layout.printed_root:  # the printed folder's are looked at every start
                undecided += 1

    undecided += _adopt_documents(store, roots, owners, after, present, old_enough, report, canonical)
    captures_seen = _adopt_captures(store, layout.printed_root, present, old_enough, report, limit, canonical,
                                    settled.captures if settled is not None else 0)

    for stored in missing_documents(store, up_to_id, after_id=after):
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
    if settled is not None:
        whole = not report.failed and not undecided
        report.marks = RepairMarks(max(after, min(limit, last_application_id(store))) if whole else after,
                                   captures_seen)
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


def _unregistered(store: Store, candidates: list[Path], canonical: _Canonical, after: int) -> list[Path]:
    """The candidates still unregistered now (another thread or process may have registered one since),
    to any application after `after`."""
    if not candidates:
        return []
    now = {canonical(d.path) for d in registered_documents(store, after_id=after)}
    return [path for path in candidates if path not in now]


def _unregistered_anywhere(store: Store, candidates: list[Path], canonical: _Canonical) -> list[Path]:
    """The candidates registered to no application at all. A slip capture may belong to an application
    of any age (`kiosk reprint`): only the rows naming a file of the same name are compared."""
    if len(candidates) > CANDIDATES_BY_NAME:
        return _unregistered(store, candidates, canonical, 0)
    now: set[Path] = set()
    for path in candidates:
        pattern = "%/" + path.name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        now.update(canonical(row["path"]) for row in store.select(
            "SELECT path FROM documents WHERE path LIKE ? ESCAPE '\\'", (pattern,)))
    return [path for path in candidates if path not in now]


def _owners(store: Store, layout: DataLayout, after: int, limit: int, canonical: _Canonical) -> dict[Path, int]:
    """The documents folder of each live application in (after, limit], and its id."""
    return {Path(canonical.folder(layout.folder_for(row["number"]))): row["id"] for row in store.select(
        "SELECT id, COALESCE(licence_no, receipt_no) AS number FROM applications "
        "WHERE purged_at IS NULL AND COALESCE(licence_no, receipt_no) IS NOT NULL AND id > ? AND id <= ?",
        (after, limit))}


def _adopt_documents(store: Store, roots: set[Path], owners: dict[Path, int], after: int, present: set[Path],
                     old_enough: Callable[[Path], bool], report: RepairReport, canonical: _Canonical) -> int:
    """Unregistered files under `roots` (the documents folder, or the new applications' folders): register
    them to their application, or remove them. Returns how many were too young to decide on."""
    found = (canonical(p) for root in roots if root.is_dir() for p in root.rglob("*"))
    candidates = [path for path in sorted(found)
                  if path.is_file() and not path.name.endswith(TEMP_SUFFIX) and path not in present]
    young = 0
    for path in _unregistered(store, candidates, canonical, after):
        owner = owners.get(path.parent)
        if owner is not None:
            store.add_document(owner, path.stem if path.suffix == ".pdf" else path.name, path)
            report.adopted.append(path)
        elif old_enough(path):
            path.unlink(missing_ok=True)
            report.removed.append(path)
        else:
            young += 1
    return young


def _capture_number(name: str) -> int:
    stem = name.partition(".")[0]
    return int(stem[4:]) if stem.startswith("job-") and stem[4:].isdigit() else 0


def _adopt_captures(store: Store, printed: Path, present: set[Path], old_enough: Callable[[Path], bool],
                    report: RepairReport, limit: int, canonical: _Canonical, settled_through: int = 0) -> int:
    """Unregistered job-N.bin / job-N.png captures after `settled_through`: register them to the
    application printed, or remove. A capture of an application after `limit` is left alone: this process
    printed it just now, and the sim printer's listener registers it in a moment (adopting it here raced
    that listener). Returns the capture number up to which every capture is now decided."""
    if not printed.is_dir():
        return settled_through
    numbers = {name: _capture_number(name) for name in os.listdir(printed) if name.startswith("job-")}
    newer = [printed / name for name, number in numbers.items() if number > settled_through]
    candidates = [p for p in sorted(canonical(p) for p in newer) if p not in present]
    unregistered = set(_unregistered_anywhere(store, candidates, canonical))
    undecided: list[int] = []
    for path in sorted(p for p in unregistered if p.suffix == ".bin"):
        pair = [p for p in (path, path.with_suffix(".png")) if p in unregistered and p.is_file()]
        owner = capture_owner(store, path.read_bytes())
        if owner is not None and owner > limit:
            undecided.append(_capture_number(path.name))
            continue
        for capture in pair:
            if owner is not None:
                store.add_document(owner, CAPTURE_KINDS[capture.suffix], capture)
                report.adopted.append(capture)
            elif old_enough(capture):
                capture.unlink(missing_ok=True)
                report.removed.append(capture)
            else:
                undecided.append(_capture_number(capture.name))
    for path in sorted(p for p in unregistered if p.suffix == ".png"):
        if not path.with_suffix(".bin").exists():
            if old_enough(path):
                path.unlink(missing_ok=True)
                report.removed.append(path)
            else:
                undecided.append(_capture_number(path.name))
    if undecided:
        return max(settled_through, min(undecided) - 1)
    return max([settled_through, *numbers.values()])


def capture_owner(store: Store, data: bytes) -> int | None:
    """The live application whose print job carried exactly these bytes (None when none does)."""
    if not data:
        return None
    rows = store.select(
        "SELECT a.id FROM print_jobs j JOIN applications a ON a.purged_at IS NULL AND "
        "(a.licence_no = j.reference OR a.receipt_no = j.reference) "
        "WHERE length(j.payload) = ? AND j.payload = ? ORDER BY j.id DESC LIMIT 1", (len(data), data))
    return int(rows[0]["id"]) if rows else None

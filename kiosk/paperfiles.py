"""An application's files on disk, each registered in `documents` before it exists.

    files = render(kinds, ctx)                                   # [(kind, "licence.pdf", bytes)], pure
    paths = write_registered(store, app_id, folder, files)       # rows committed, then the files

Order matters after a kill -9: the rows (path and SHA-256) are committed first, then each file is
written to a temporary in the same folder (`.NAME.XXXX.tmp`, mode 0600), fsynced and renamed. So a
file holding personal data is never on disk unregistered (`kiosk purge` finds every one), a crash
leaves at worst a registered path without its file (regenerated at the next start or by `kiosk
doctor`) and a stale temporary (removed by them). A write that fails is unregistered again and the
error raised (DocumentWriteError); the caller says what is incomplete. The registration also puts the
PDFs into the application's unsent hall event (kiosk.sync.outbox.attach_documents) in its transaction.

`on_stage(stage, path)` is a test hook of the composition root: "registered" (rows committed),
"temporary" (a temporary written, not yet renamed), "written" (the file in place).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from forms import documents as docs
from forms.atomicfile import TEMP_SUFFIX as TEMP_SUFFIX  # re-exported: kiosk.recovery removes stray temporaries
from forms.atomicfile import write_private_file
from kiosk.store import Store
from kiosk.store.paperwork import unregister_documents
from kiosk.sync.outbox import attach_documents

Stage = Callable[[str, Path], None]



class DocumentWriteError(OSError):
    """A file of an application could not be written; the message names the file and the reason."""


#: How the files of `kinds` are made from a context: `render`, or a child process's (forms.documents.worker).
Render = Callable[[Sequence[str], docs.DocumentContext], list[tuple[str, str, bytes]]]


def render(kinds: Sequence[str], ctx: docs.DocumentContext) -> list[tuple[str, str, bytes]]:
    """(kind, file name, PDF bytes) of each document kind, in order."""
    return [(kind, f"{docs.DocumentKind(kind).value}.pdf", docs.render_document(kind, ctx)) for kind in kinds]


def write_registered(store: Store, application_id: int, folder: Path, files: Sequence[tuple[str, str, bytes]],
                     on_stage: Stage | None = None) -> list[Path]:
    """Register every file, then write them into `folder`; return the paths."""
    paths = [folder / name for _, name, _ in files]
    with store.transaction():
        records = [store.add_document(application_id, kind, path, hashlib.sha256(data).hexdigest())
                   for (kind, _, data), path in zip(files, paths, strict=True)]
        attach_documents(store, application_id, files)  # the hall's event gets the PDFs, same commit
    if on_stage is not None:
        on_stage("registered", folder)
    for index, ((_, _, data), path) in enumerate(zip(files, paths, strict=True)):
        try:
            write_atomically(path, data, on_stage)
        except OSError as exc:
            unregister_documents(store, [record.id for record in records[index:]])
            raise DocumentWriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return paths


def write_atomically(path: Path, data: bytes, on_stage: Stage | None = None) -> Path:
    """Write `data` to `path` through a 0600 temporary in the same folder (fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private_file(path, data, on_temporary=(lambda temporary: on_stage("temporary", temporary))
                       if on_stage is not None else None)
    if on_stage is not None:
        on_stage("written", path)
    return path

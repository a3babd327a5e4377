"""The one atomic write of a private file: nobody ever reads half of it, nobody else can read it.

    write_private_file(path, data)                     # replace whatever is there
    write_private_file(path, data, exclusive=True)     # create once: False when another process won
    write_private_file(path, data, sync_folder=True)   # also fsync the folder (keys, the audit head)

The bytes go to a temporary in the same folder (`.NAME.XXXX.tmp`, mode 0600 from `tempfile.mkstemp`,
so a crash leaves only a dot-file ending in `TEMP_SUFFIX` that the kiosk's recovery removes), are
fsynced, then renamed into place (`os.replace`) or, with `exclusive`, hard-linked (`os.link` fails
when the file exists: the first writer wins and the others read its file). The temporary never
outlives the call. Used by forms' PDF writer and the kiosk's keys, audit head and paper files; it lives
in `forms` because that is the lowest package both reach (forms never imports kiosk).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

#: The suffix of every temporary written here.
TEMP_SUFFIX = ".tmp"


def write_private_file(path: Path | str, data: bytes, *, exclusive: bool = False, sync_folder: bool = False,
                       on_temporary: Callable[[Path], None] | None = None) -> bool:
    """Write `data` to `path` atomically with mode 0600; True when this call put the file in place
    (False only with `exclusive`, when the file already existed). `on_temporary(temporary)` is called
    once the temporary is complete, before the rename (a test hook)."""
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if on_temporary is not None:
            on_temporary(temporary)
        if exclusive:
            try:
                os.link(temporary, path)
            except FileExistsError:
                return False
        else:
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    if sync_folder and hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return True

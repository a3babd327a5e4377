"""The C heap of a long-running kiosk process: glibc's mmap threshold fixed, free pages given back (issue 17).

Qt-free, so every kiosk process uses it: the touchscreen (`create_qt_app`, and `kiosk.ui.housekeeping`
after each visit) and the headless core (`Kiosk` fixes the threshold when it is built; `kiosk apply`
and a script playing applications on one `Kiosk`).

`bound_mmap_threshold()` fixes glibc's mmap threshold at 128 KiB. By default glibc raises it after each
large block it frees, up to 32 MiB, so the large transient buffers of an application (PDFs, slips and
page images, the hall's batches of up to 8 MB of JSON on the uploader thread) came from the heaps
afterwards, scattered between small live blocks, and their pages were never given back. With the
threshold fixed, such buffers are mapped and unmapped whole (unless the heap happens to have a free chunk
that size: glibc serves it from there first). The same as `MALLOC_MMAP_THRESHOLD_=131072`.

`trim()` is glibc's `malloc_trim(0)`: the free pages of every arena back to the system (a few ms).

On a C library without them (musl, macOS) both do nothing and say so (False).
"""

from __future__ import annotations

import ctypes
import functools

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
MMAP_THRESHOLD_BYTES = 128 * 1024


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library the process already runs on: dlopen(NULL), the process's own symbols. Not
    `ctypes.util.find_library("c")`: that runs `ldconfig -p` as a child process (a fork of the whole
    interpreter and ~10 ms on every `kiosk apply`, on its critical path)."""
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def bound_mmap_threshold() -> bool:
    """Blocks of MMAP_THRESHOLD_BYTES and more are mapped on their own, always (glibc; False elsewhere)."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1


def trim() -> bool:
    """glibc's malloc_trim(0): True when memory went back to the system (False: none, or no glibc)."""
    libc = _libc()
    malloc_trim = getattr(libc, "malloc_trim", None)
    if malloc_trim is None:
        return False
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int
    return malloc_trim(0) == 1

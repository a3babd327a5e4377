"""glibc's mmap threshold stays fixed (kiosk.ui.housekeeping.bound_mmap_threshold): a large block freed no
longer makes the next large blocks come from the heap, where their pages stayed after they were freed.

Each case runs in a fresh interpreter: in a long process (the whole suite) the heap already has free
chunks large enough, and glibc serves a large block from them whatever the threshold."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

CHILD = """
import ctypes, ctypes.util, sys

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                                      "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

mallinfo2 = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallinfo2
mallinfo2.restype = MallInfo2
from kiosk.ui.housekeeping import bound_mmap_threshold

large = bytearray(16 * 2**20)  # mapped; freed, it raises glibc's threshold to 16 MiB
del large
if sys.argv[1] == "bound":
    assert bound_mmap_threshold()
before = mallinfo2().hblkhd  # bytes in blocks mapped on their own
block = bytearray(2 * 2**20)
print(mallinfo2().hblkhd - before)
"""


def _newly_mapped(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_a_large_block_is_mapped_whole_after_a_larger_one_was_freed():
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallinfo2  # noqa: B018
    except (OSError, AttributeError):
        pytest.skip("not glibc")
    assert _newly_mapped("default") < 2 * 2**20, "glibc's own behaviour: the raised threshold keeps it in the heap"
    assert _newly_mapped("bound") >= 2 * 2**20

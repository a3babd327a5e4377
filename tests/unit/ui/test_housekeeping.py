"""glibc's mmap threshold stays fixed (kiosk.ui.housekeeping.bound_mmap_threshold): a large block freed no
longer makes the next large blocks come from the heap, where their pages stayed after they were freed."""

from __future__ import annotations

import ctypes
import ctypes.util

import pytest

from kiosk.ui.housekeeping import MMAP_THRESHOLD_BYTES, bound_mmap_threshold


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _mapped_bytes():
    """Bytes glibc holds in blocks mapped on their own (mallinfo2's hblkhd), or None off glibc."""
    try:
        mallinfo2 = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return None
    mallinfo2.restype = _MallInfo2
    return lambda: mallinfo2().hblkhd


def test_a_large_block_is_mapped_whole_after_a_larger_one_was_freed():
    mapped = _mapped_bytes()
    if mapped is None:
        pytest.skip("not glibc")
    large = bytearray(16 * 2**20)  # mapped; freed, it would raise glibc's threshold to 16 MiB
    del large
    assert bound_mmap_threshold()
    before = mapped()
    block = bytearray(2 * 2**20)  # with the threshold raised, this came from the heap
    assert mapped() - before >= 2 * 2**20
    assert len(block) > MMAP_THRESHOLD_BYTES

"""The C heap of a long-running kiosk process (kiosk.heap): glibc's mmap threshold stays fixed in every kiosk
process, the touchscreen's and the headless core's, and `trim()` gives the free pages back.

Each case runs in a fresh interpreter: in a long process (the whole suite) the heap already has free
chunks large enough, and glibc serves a large block from them whatever the threshold."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

MALLINFO = """
import ctypes, ctypes.util, sys

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                                      "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

mallinfo2 = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallinfo2
mallinfo2.restype = MallInfo2
"""

THRESHOLD = MALLINFO + """
large = bytearray(24 * 2**20)  # mapped; freed, it raises glibc's threshold to 24 MiB
del large
if sys.argv[1] == "bound":
    from kiosk.heap import bound_mmap_threshold
    assert bound_mmap_threshold()
elif sys.argv[1] == "kiosk":  # the headless core (kiosk apply, a script on one Kiosk): building it is enough
    import shutil
    import tempfile
    from pathlib import Path
    from kiosk.app import Kiosk
    from kiosk.config import demo_config

    data_dir = Path(tempfile.mkdtemp(prefix="heap-test-"))
    Kiosk.build(demo_config(data_dir)).close()
    shutil.rmtree(data_dir)
before = mallinfo2().hblkhd  # bytes in blocks mapped on their own
block = bytearray(8 * 2**20)
print(mallinfo2().hblkhd - before)
"""

TRIM = """
import sys
from pathlib import Path
from kiosk.heap import trim

def rss_mb():
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20

blocks = [bytearray(64 * 1024) for _ in range(800)]  # 50 MB under the mmap threshold: from the heap
keep = bytearray(64 * 1024)  # a live block above them: the heap's top is not free, free() cannot shrink it
del blocks
before = rss_mb()
trimmed = trim() if sys.argv[1] == "trim" else None
print(before - rss_mb(), trimmed)
"""


def _glibc() -> None:
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallinfo2  # noqa: B018
    except (OSError, AttributeError):
        pytest.skip("not glibc")


def _child(script: str, mode: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[-2:] if script is TRIM else done.stdout.split()[-1:]


HEADLESS_VISIT = """
import shutil, tempfile
from pathlib import Path
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.headless import HeadlessApplicant

def rss_mb():
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20

data_dir = Path(tempfile.mkdtemp(prefix="heap-test-"))
with Kiosk.build(demo_config(data_dir)) as kiosk:
    applicant = HeadlessApplicant(kiosk)
    blocks = [bytearray(64 * 1024) for _ in range(800)]  # what a visit left: 50 MB freed under live blocks
    keep = bytearray(64 * 1024)
    del blocks
    before = rss_mb()
    applicant.close()
    print(before - rss_mb())
shutil.rmtree(data_dir)
"""


def test_a_large_block_is_mapped_whole_after_a_larger_one_was_freed():
    _glibc()
    assert int(_child(THRESHOLD, "default")[0]) < 8 * 2**20, "glibc's own: the raised threshold keeps it in the heap"
    assert int(_child(THRESHOLD, "bound")[0]) >= 8 * 2**20


def test_the_headless_core_fixes_the_threshold_when_the_kiosk_is_built():
    """`kiosk apply` and the soak's headless phase never create the Qt app: building the Kiosk fixes it
    (before the fix only `create_qt_app` did, and the headless soak grew +47 MB over 4,587 applications)."""
    _glibc()
    assert int(_child(THRESHOLD, "kiosk")[0]) >= 8 * 2**20


def test_trim_gives_the_free_pages_inside_the_heap_back():
    _glibc()
    kept, _ = _child(TRIM, "keep")
    given, trimmed = _child(TRIM, "trim")
    assert float(kept) < 5, "glibc's own: freed blocks under a live one stay resident"
    assert float(given) > 30 and trimmed == "True"


def test_the_end_of_a_headless_visit_gives_the_free_pages_back():
    """The headless core (a script playing thousands of applications on one Kiosk, as the soak does) kept
    the free pages its PDFs and batches left between live blocks: its RSS grew, slowing, for hours."""
    _glibc()
    assert float(_child(HEADLESS_VISIT, "")[0]) > 30


def test_finding_the_c_library_starts_no_process():
    """`ctypes.util.find_library` runs `ldconfig -p` as a child process: ~10 ms of every `kiosk apply`.
    The heap functions use the process's own symbols instead (a fresh interpreter: nothing cached)."""
    probe = ("import ctypes.util, subprocess\n"
             "def refuse(*args, **kwargs):\n"
             "    raise AssertionError('a process was started')\n"
             "subprocess.Popen = refuse\n"
             "ctypes.util.find_library = refuse\n"
             "from kiosk import heap\n"
             "assert heap.bound_mmap_threshold() and heap.trim() in (True, False)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

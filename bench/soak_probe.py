"""What grows in a soak (issue 17): `SOAK_PROBE=DIR [SOAK_PROBE_FROM=50] .venv/bin/python bench/soak.py …`.

From the baseline visit on, the touchscreen child traces Python allocations (tracemalloc,
SOAK_PROBE_FRAMES frames, 6 unless set) and, at every sample and at the end, writes DIR/probe.txt:
the Python allocations still alive that were made after the baseline, grouped by traceback (largest
first), the growth in live objects by type (gc), the C heap in use (glibc's mallinfo2: what malloc
handed out and not freed, Python's and Qt's) against resident memory, and QObject counts under the
window, the bridge and the engine by class. Python-side growth is the tracemalloc total; C++-side
growth is the heap in use minus it. It is slow (tracemalloc: 7-25 s a visit on 2 shared cores), so
keep such runs short. Its own QObject counting (`findChildren`) leaves Python wrappers of QQuickItems
alive: the QQuickItem/QObject rows of the type counts are the probe's, not the app's (without it they
stay flat).
"""

from __future__ import annotations

import collections
import ctypes
import gc
import linecache
import os
import tracemalloc
from pathlib import Path


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def heap_in_use_mb() -> float:
    """Bytes malloc handed out and not yet freed (the brk heap and mmapped blocks), in MB."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return float("nan")
    return (info.uordblks + info.hblkhd) / 2**20


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def type_counts() -> collections.Counter[str]:
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def qobject_counts(root) -> collections.Counter[str]:
    from PySide6.QtCore import QObject

    return collections.Counter(child.metaObject().className() for child in root.findChildren(QObject))


class Probe:
    """Start at the baseline visit, report at the end; a no-op unless SOAK_PROBE names a folder."""

    def __init__(self) -> None:
        folder = os.environ.get("SOAK_PROBE")
        self.out = Path(folder) if folder else None
        self.base: dict | None = None
        self.from_session = int(os.environ.get("SOAK_PROBE_FROM", "50"))

    def start(self, ui, session: int) -> None:
        if self.out is None or self.base is not None:
            return
        gc.collect()
        self.base = {"session": session, "rss": rss_mb(), "heap": heap_in_use_mb(), "types": type_counts(),
                     "window": qobject_counts(ui.window), "bridge": qobject_counts(ui.bridge),
                     "engine": qobject_counts(ui.engine)}
        self._ui = ui
        tracemalloc.start(int(os.environ.get("SOAK_PROBE_FRAMES", "6")))

    def mark(self, session: int) -> None:
        if self.out is not None and self.base is not None:
            gc.collect()
            traced = tracemalloc.get_traced_memory()[0] / 2**20
            print(f"probe {session}: rss {rss_mb():.1f} heap {heap_in_use_mb():.1f} traced {traced:.2f} MB",
                  flush=True)
            self.report(self._ui, session)

    def finish(self, ui, session: int) -> None:
        if self.out is not None and self.base is not None:
            self.report(ui, session)
            tracemalloc.stop()

    def report(self, ui, session: int) -> None:
        gc.collect()
        snapshot = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, linecache.__file__),
             tracemalloc.Filter(False, __file__)])  # the report's own source lines and counters
        traced = sum(stat.size for stat in snapshot.statistics("filename")) / 2**20
        base = self.base
        lines = [f"probe: visits {base['session']} -> {session}",
                 f"RSS {base['rss']:.1f} -> {rss_mb():.1f} MB; C heap in use {base['heap']:.1f} -> "
                 f"{heap_in_use_mb():.1f} MB; Python allocations made since and alive: {traced:.2f} MB", ""]
        types = type_counts()
        grown = sorted(((types[k] - base["types"].get(k, 0), k) for k in types), reverse=True)[:40]
        lines.append("live objects by type, growth:")
        lines += [f"  {n:+7d}  {k} ({types[k]})" for n, k in grown if n > 0]
        for name in ("window", "bridge", "engine"):
            now = qobject_counts(getattr(ui, name))
            diff = sorted(((now[k] - base[name].get(k, 0), k) for k in set(now) | set(base[name])), reverse=True)
            lines.append(f"QObjects under the {name}: {sum(base[name].values())} -> {sum(now.values())}")
            lines += [f"  {n:+6d}  {k} ({now[k]})" for n, k in diff if n != 0][:25]
        lines.append("")
        lines.append("Python allocations alive, made after the baseline, by traceback:")
        for stat in snapshot.statistics("traceback")[:40]:
            lines.append(f"{stat.size / 1024:9.1f} KB in {stat.count} blocks")
            lines += ["    " + line for line in stat.traceback.format(most_recent_first=True)[:24]]
        lines.append("")
        lines.append("by line:")
        for stat in snapshot.statistics("lineno")[:40]:
            lines.append(f"{stat.size / 1024:9.1f} KB {stat.count:7d}  {stat.traceback[0]}")
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "probe.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


GLIBC_HEAP_ALIGN = 64 * 2**20  # glibc's thread arenas are heaps mapped at 64 MiB boundaries (HEAP_MAX_SIZE)


def smaps_by_kind(path: str = "/proc/self/smaps") -> dict[str, float]:
    """Resident memory (MB) by kind of mapping: files, glibc's main heap ([heap]), glibc's thread arenas
    (anonymous, at a 64 MiB boundary), pymalloc-sized arenas (1 MiB anonymous), the stacks, and the rest of
    the anonymous memory by mapping size (where Qt's own allocators, the JS engine's chunks, live).
    `SOAK_SMAPS=FILE` appends it to FILE as one JSON line per sample (cheap: no tracemalloc)."""
    kinds: dict[str, float] = collections.Counter()
    head: list[str] | None = None
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if parts and "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
            head = parts
            continue
        if head is None or not line.startswith("Rss:"):
            continue
        kb = int(parts[1])
        start, end = (int(x, 16) for x in head[0].split("-"))
        name = head[5] if len(head) > 5 else ""
        size_kb = (end - start) // 1024
        if name.startswith("/"):
            kind = "file"
        elif name == "[heap]":
            kind = "glibc main heap"
        elif name.startswith("[stack"):
            kind = "stack"
        elif name:
            kind = name
        elif start % GLIBC_HEAP_ALIGN == 0 and size_kb <= GLIBC_HEAP_ALIGN // 1024:
            kind = "glibc thread arenas"
        elif size_kb == 1024:
            kind = "anon 1 MiB (pymalloc arenas)"
        else:
            bucket = 1 << max(0, (size_kb - 1).bit_length())
            kind = f"anon other <= {bucket} KiB"
        kinds[kind] += kb / 1024
    return dict(kinds)

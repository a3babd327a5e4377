"""The print queue is the only writer of print_jobs: no other module of the kiosk, the printers package,
the ID reader, forms or the benchmarks holds SQL (or sqlite-utils calls) that inserts, updates or
deletes its rows. Before issue 11 the store, retention and `kiosk jobs` each wrote the table too."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("kiosk", "printers", "idreader", "forms", "bench")
#: The print queue: PrintQueue and the same writes on a caller's connection (inside the store's commit).
QUEUE_MODULES = {"printers/queue.py", "printers/queue_rows.py", "printers/queue_schema.py"}

_SQL_WRITE = re.compile(r"\b(insert\s+(or\s+\w+\s+)?into|update|delete\s+from|replace\s+into)\s+[\"'`]?"
                        r"(print_jobs\b|\{TABLE\})", re.IGNORECASE)
_TABLE_CALL = re.compile(r"\[\s*(TABLE|[\"']print_jobs[\"'])\s*\]\s*\.\s*(insert|upsert|update|delete)")


def writers() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            hits = [m.group(0) for m in _SQL_WRITE.finditer(text)] + [m.group(0) for m in _TABLE_CALL.finditer(text)]
            if hits:
                found[path.relative_to(ROOT).as_posix()] = hits
    return found


def test_only_the_print_queue_writes_print_jobs():
    outside = {path: hits for path, hits in writers().items() if path not in QUEUE_MODULES}
    assert outside == {}, f"print_jobs written outside the print queue: {outside}"


def test_the_scan_finds_the_queues_own_writes():  # the patterns would catch a writer: they catch the queue's
    found = writers()
    assert "printers/queue.py" in found and "printers/queue_rows.py" in found

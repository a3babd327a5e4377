"""热门: the items applied for most on this terminal lately, for the catalog screen's 热门 row.

Qt-free. `applied_counts(store, since)` counts this terminal's applications per service since an ISO
time (the store's `applications.created_at`, indexed); `hot_items(counts, fallback, available)` orders
them most-applied first (ties in the configured order, then by id) and fills the row up from the
configured list (`[display] hot_items`), keeping only items the screen can offer (`available`, e.g. the
chosen audience's). A new terminal (no applications yet) shows the configured list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping, Sequence
from typing import Any

HOT_DAYS = 30
HOT_LIMIT = 4


def applied_counts(store: Any, since: dt.datetime) -> dict[str, int]:
    """Applications per service created at or after `since` (kiosk.store.Store: `created_at` is UTC ISO
    with microseconds, so the text comparison is a time comparison)."""
    rows = store.select(
        "SELECT service, COUNT(*) AS n FROM applications WHERE created_at >= ? GROUP BY service",
        [since.astimezone(dt.UTC).isoformat(timespec="microseconds")],
    )
    return {row["service"]: int(row["n"]) for row in rows}


def hot_items(counts: Mapping[str, int], fallback: Sequence[str], available: Container[str],
              limit: int = HOT_LIMIT) -> list[str]:
    """Up to `limit` service ids: most applied for first, then the configured ones."""
    place = {service: index for index, service in enumerate(fallback)}
    applied = sorted((s for s, n in counts.items() if n > 0 and s in available),
                     key=lambda s: (-counts[s], place.get(s, len(place)), s))
    chosen = list(dict.fromkeys([*applied, *(s for s in fallback if s in available)]))
    return chosen[:limit]

"""How well the catalog search answers what people type: precision@1 and @3 over a fixture of real
queries (kiosk/services/search_queries.yaml), for `kiosk services search --eval` and bench_catalog.

Pure. A query counts at @k when one of its wanted items is among the first k results; a query whose
`want` is empty (the kiosk does not offer it) counts only when nothing is found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.services.catalog_search import CatalogEntry, search

QUERIES_FILE = Path(__file__).with_name("search_queries.yaml")


@dataclass(frozen=True)
class Query:
    text: str
    want: tuple[str, ...]


@dataclass
class Evaluation:
    queries: int = 0
    at1: int = 0
    at3: int = 0
    misses: list[tuple[str, tuple[str, ...], list[str]]] = field(default_factory=list)  # (query, want, top 3)

    @property
    def precision_at_1(self) -> float:
        return self.at1 / self.queries if self.queries else 0.0

    @property
    def precision_at_3(self) -> float:
        return self.at3 / self.queries if self.queries else 0.0


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    import yaml

    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(str(row["q"]), tuple(row.get("want") or ())) for row in rows]


def evaluate(entries: Sequence[CatalogEntry], queries: Sequence[Query]) -> Evaluation:
    result = Evaluation()
    for query in queries:
        top = [entry.id for entry in search(entries, query.text)][:3]
        result.queries += 1
        hit1 = (not query.want and not top) or (bool(top) and top[0] in query.want)
        hit3 = (not query.want and not top) or any(item in query.want for item in top)
        result.at1 += hit1
        result.at3 += hit3
        if not hit1:
            result.misses.append((query.text, query.want, top))
    return result

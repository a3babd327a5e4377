"""Catalog entries for the touchscreen and their ranked search: by Chinese, pinyin, initials and the
words people use.

Pure (no Qt): `CatalogEntry.from_spec(spec)` keeps what the catalog and intro screens show, plus its
search keys (titles and keywords folded, with their full pinyin and initials from pypinyin);
`search(entries, query)` ranks the entries that match: exact title > title prefix (汉字 or pinyin) >
pinyin initials > keyword / synonym (健康证, 开饭店) or a word inside the title > fuzzy (most of the
query's two-character pieces in a title or keyword); an empty query lists them all grouped by life event
(`group_by_life_event`, the catalog screen's order). pypinyin takes 0.3-0.4 s to import, so
`catalog_entries(catalog)` keeps the built entries in the compiled cache (forms.compiled) under the
catalog's key: a warm start never imports it. `categories(entries)` lists the categories present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The catalog's categories (a spec's `life_event`) in the order the catalog screen shows them; a category
#: not listed follows them in text order.
LIFE_EVENT_ORDER = (
    "开办经营", "出生", "社保与就业", "医保", "户籍与居住", "公积金", "证明", "民政", "残疾人服务", "教育",
)
#: Match tiers, best first (`rank`).
EXACT, PREFIX, INITIALS, KEYWORD, FUZZY, NO_MATCH = range(6)
TIER_NAMES = ("exact title", "prefix", "pinyin initials", "keyword", "fuzzy", "")
INDEX_CACHE_SUFFIX = "-index.pickle"
_NOT_LETTERS = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def fold(text: str) -> str:
    """Lower case, without spaces or punctuation (ASCII and full-width)."""
    return _NOT_LETTERS.sub("", text.lower())


def pinyin_keys(text: str) -> tuple[str, str]:
    """The full pinyin (no tones, joined) and the initials of the Chinese characters in `text`."""
    hanzi = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    if not hanzi:
        return "", ""
    from pypinyin import Style, lazy_pinyin  # 0.3 s to import: only when the index is built

    syllables = lazy_pinyin(hanzi)
    initials = lazy_pinyin(hanzi, style=Style.FIRST_LETTER)
    return "".join(syllables), "".join(initials)


@dataclass(frozen=True)
class SearchKeys:
    """One name's forms a query is compared with: folded text, full pinyin, initials."""

    text: str
    pinyin: str
    initials: str

    @classmethod
    def of(cls, name: str) -> SearchKeys:
        full, initials = pinyin_keys(name)
        return cls(fold(name), full, initials)


@dataclass(frozen=True)
class CatalogEntry:
    """One service item as the catalog and intro screens show it."""

    id: str
    title: str
    short_title: str
    department: str
    audience: str
    mode: str
    life_event: str
    minutes: int
    conditions: str
    bring: tuple[str, ...]
    materials: tuple[str, ...]
    commitment: str
    keywords: tuple[str, ...] = ()
    order: int = 100
    names: tuple[SearchKeys, ...] = field(default=(), repr=False)      # title, short title
    words: tuple[SearchKeys, ...] = field(default=(), repr=False)      # keywords and synonyms

    @classmethod
    def from_spec(cls, spec: Any) -> CatalogEntry:
        """Build from a forms `ServiceSpec` (duck-typed so tests can pass a small stand-in)."""
        titles = dict.fromkeys(name for name in (spec.title, spec.short_title) if name)
        return cls(
            id=spec.id, title=spec.title, short_title=spec.short_title or spec.title,
            department=spec.department, audience=spec.audience, mode=spec.mode,
            life_event=spec.life_event, minutes=spec.minutes, conditions=spec.conditions,
            bring=tuple(spec.bring), materials=tuple(m.name for m in spec.materials),
            commitment=spec.commitment or "", keywords=tuple(spec.keywords), order=spec.order,
            names=tuple(SearchKeys.of(name) for name in titles),
            words=tuple(SearchKeys.of(word) for word in spec.keywords if word),
        )

    @property
    def instant(self) -> bool:
        """秒办: approved on the spot when the pre-review passes."""
        return self.mode == "instant"

    def rank(self, query: str) -> tuple[tuple[int, float], ...] | None:
        """Every way a folded, non-empty query matches, best first (tier, closeness), or None when it
        does not match. Ranks compare best match first, then the next best: a lower rank is a better
        answer (卫生许可: the item whose keyword is exactly 卫生许可 before its siblings that only start so)."""
        found = _matches(query, self.names, self.words)
        return (*sorted(found), (NO_MATCH, 0)) if found else None  # the end: worse than one more match

    def matches(self, query: str) -> bool:
        folded = fold(query)
        return not folded or self.rank(folded) is not None

    def to_row(self) -> dict[str, Any]:
        """The plain values the QML catalog list shows."""
        return {
            "key": self.id, "title": self.title, "shortTitle": self.short_title,
            "department": self.department, "audience": self.audience, "instant": self.instant,
            "lifeEvent": self.life_event, "minutes": self.minutes, "bring": "、".join(self.bring),
        }


def _matches(query: str, names: Sequence[SearchKeys], words: Sequence[SearchKeys]) -> list[tuple[int, float]]:
    """Every way `query` (folded) matches an entry's names or words, as (tier, closeness) — closeness
    orders matches within a tier: 0 the whole word, 1 its beginning, 2 inside it, 3+ a keyword found
    inside a longer query (more of the query covered is closer)."""
    found: list[tuple[int, float]] = []
    latin = not _HAN.search(query)
    for name in names:
        if query in (name.text, name.pinyin):
            found.append((EXACT, 0))
        elif name.text.startswith(query) or (latin and name.pinyin.startswith(query)):
            found.append((PREFIX, 1))
        if latin and len(query) >= 2 and query in name.initials:
            found.append((INITIALS, 0 if name.initials.startswith(query) else 2))
        if len(query) >= 2 and query in name.text and not name.text.startswith(query):
            found.append((KEYWORD, 2))  # a word inside the title: 卫生 in 公共场所卫生许可
    for word in words:
        if query in (word.text, word.pinyin) or (latin and query == word.initials):
            found.append((KEYWORD, 0))
        elif word.text.startswith(query) or (latin and word.pinyin.startswith(query)):
            found.append((KEYWORD, 1))
        elif query in word.text:
            found.append((KEYWORD, 2))
        elif len(word.text) >= 2 and word.text in query:  # 开饭店 in 我要开饭店
            found.append((KEYWORD, 4 - len(word.text) / len(query)))
    if not found and not latin and len(query) >= 2:
        pieces = {query[i:i + 2] for i in range(len(query) - 1)}
        texts = [keys.text for keys in (*names, *words)]
        hits = sum(1 for piece in pieces if any(piece in text for text in texts))
        if hits and hits * 2 >= len(pieces) + 1:  # more than half of the query's two-character pieces
            found.append((FUZZY, 1 - hits / len(pieces)))
    return found


def search(entries: Iterable[CatalogEntry], query: str, audience: str | None = None) -> list[CatalogEntry]:
    """The entries for `audience` (个人 / 企业, None for both) matching `query`, best first; all of them
    grouped by life event when the query is empty."""
    chosen = [e for e in entries if audience is None or e.audience == audience]
    folded = fold(query)
    if not folded:
        return group_by_life_event(chosen)
    ranked = []
    for entry in chosen:
        rank = entry.rank(folded)
        if rank is not None:
            ranked.append((rank, entry.order, entry.id, entry))
    return [entry for *_, entry in sorted(ranked, key=lambda item: item[:3])]


def categories(entries: Iterable[CatalogEntry]) -> list[str]:
    """The categories (life events) the entries belong to, in the catalog screen's order."""
    return list(dict.fromkeys(entry.life_event for entry in group_by_life_event(list(entries))))


def catalog_entries(catalog: Mapping[str, Any]) -> list[CatalogEntry]:
    """The catalog's entries, from the compiled cache beside the catalog's own (`forms.loader.Catalog`
    `key` and `cache_file`, set when the catalog came through the cache) when it holds them for this
    catalog and this code, else built (with pypinyin) and written there. A catalog loaded from source
    (no key) is always built."""
    key, cache_file = getattr(catalog, "key", None), getattr(catalog, "cache_file", None)
    if key is None or cache_file is None:
        return [CatalogEntry.from_spec(spec) for spec in catalog.values()]
    from forms import compiled

    path = Path(cache_file).with_name(Path(cache_file).stem + INDEX_CACHE_SUFFIX)
    # pypinyin's own __init__ (it holds its __version__) read without importing it; importlib.metadata
    # would cost the kiosk's start 10-20 ms (its import and a scan of site-packages)
    full_key = key + compiled.code_version(__name__, "pypinyin")
    cached = compiled.read(path, full_key)
    if isinstance(cached, list) and all(isinstance(entry, CatalogEntry) for entry in cached):
        return cached
    entries = [CatalogEntry.from_spec(spec) for spec in catalog.values()]
    compiled.write(path, full_key, entries)
    return entries


def group_by_life_event(entries: Sequence[CatalogEntry]) -> list[CatalogEntry]:
    def rank(entry: CatalogEntry) -> tuple[int, str, int, str]:
        known = entry.life_event in LIFE_EVENT_ORDER
        position = LIFE_EVENT_ORDER.index(entry.life_event) if known else len(LIFE_EVENT_ORDER)
        return position, entry.life_event, entry.order, entry.id

    return sorted(entries, key=rank)

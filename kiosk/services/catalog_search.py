"""Catalog entries for the touchscreen and their search: by Chinese, by pinyin and by pinyin initials.

Pure (no Qt): `CatalogEntry.from_spec(spec)` keeps what the catalog and intro screens show, plus a
search key built with pypinyin; `search(entries, query)` filters them, so "ggcs", "gonggong" and
"卫生" all find 公共场所卫生许可. `group_by_life_event` orders the groups as the catalog screen shows them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The catalog's categories (a spec's `life_event`) in the order the catalog screen shows them; a category
#: not listed follows them in text order.
LIFE_EVENT_ORDER = (
    "开办经营", "出生", "社保与就业", "医保", "户籍与居住", "公积金", "证明", "民政", "残疾人服务", "教育",
)
_NOT_LETTERS = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def _fold(text: str) -> str:
    """Lower case, without spaces or punctuation (ASCII and full-width)."""
    return _NOT_LETTERS.sub("", text.lower())


def pinyin_keys(text: str) -> tuple[str, str]:
    """The full pinyin (no tones, joined) and the initials of the Chinese characters in `text`."""
    hanzi = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    if not hanzi:
        return "", ""
    from pypinyin import Style, lazy_pinyin  # 0.3 s to import: only when the catalog is built

    syllables = lazy_pinyin(hanzi)
    initials = lazy_pinyin(hanzi, style=Style.FIRST_LETTER)
    return "".join(syllables), "".join(initials)


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
    search_texts: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def from_spec(cls, spec: Any) -> CatalogEntry:
        """Build from a forms `ServiceSpec` (duck-typed so tests can pass a small stand-in)."""
        names = (spec.title, spec.short_title or "", *spec.keywords)
        texts: list[str] = []
        for name in names:
            if not name:
                continue
            full, initials = pinyin_keys(name)
            texts.extend(text for text in (_fold(name), full, initials) if text)
        return cls(
            id=spec.id, title=spec.title, short_title=spec.short_title or spec.title,
            department=spec.department, audience=spec.audience, mode=spec.mode,
            life_event=spec.life_event, minutes=spec.minutes, conditions=spec.conditions,
            bring=tuple(spec.bring), materials=tuple(m.name for m in spec.materials),
            commitment=spec.commitment or "", keywords=tuple(spec.keywords), order=spec.order,
            search_texts=tuple(texts),
        )

    @property
    def instant(self) -> bool:
        """秒办: approved on the spot when the pre-review passes."""
        return self.mode == "instant"

    def matches(self, query: str) -> bool:
        folded = _fold(query)
        return not folded or any(folded in text for text in self.search_texts)

    def to_row(self) -> dict[str, Any]:
        """The plain values the QML catalog list shows."""
        return {
            "key": self.id, "title": self.title, "shortTitle": self.short_title,
            "department": self.department, "audience": self.audience, "instant": self.instant,
            "lifeEvent": self.life_event, "minutes": self.minutes, "bring": "、".join(self.bring),
        }


def search(entries: Iterable[CatalogEntry], query: str, audience: str | None = None) -> list[CatalogEntry]:
    """The entries matching `query` (all when empty) for `audience` (个人 / 企业, None for both), in
    catalog order grouped by life event."""
    found = [e for e in entries if (audience is None or e.audience == audience) and e.matches(query)]
    return group_by_life_event(found)


def group_by_life_event(entries: Sequence[CatalogEntry]) -> list[CatalogEntry]:
    def rank(entry: CatalogEntry) -> tuple[int, str, int, str]:
        known = entry.life_event in LIFE_EVENT_ORDER
        position = LIFE_EVENT_ORDER.index(entry.life_event) if known else len(LIFE_EVENT_ORDER)
        return position, entry.life_event, entry.order, entry.id

    return sorted(entries, key=rank)

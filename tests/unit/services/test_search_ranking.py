"""Search ranking: exact title > prefix > pinyin initials > keyword / synonym > fuzzy, on stand-in specs;
and the fixture of real queries (kiosk/services/search_queries.yaml) over the real catalog."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from forms.loader import load_catalog
from kiosk.services.catalog_search import CatalogEntry, search
from kiosk.services.search_eval import evaluate, load_queries


def entry(service_id: str, title: str, keywords: tuple[str, ...] = (), order: int = 100) -> CatalogEntry:
    spec = SimpleNamespace(id=service_id, title=title, short_title=None, keywords=keywords, department="d",
                           audience="个人", mode="accept", life_event="证明", minutes=5, conditions="",
                           bring=(), materials=(), commitment=None, order=order)
    return CatalogEntry.from_spec(spec)


STAND_INS = [
    entry("fuzzy", "户口及户籍信息的证明", order=1),               # 户口 ... 证明: two-character pieces only
    entry("keyword", "居民户口簿补领", ("户口证明",), order=2),     # a synonym
    entry("prefix", "户口证明（集体户）", order=4),                  # starts with the query
    entry("exact", "户口证明", order=5),
]


def test_tiers_order_exact_prefix_keyword_fuzzy() -> None:
    ids = [e.id for e in search(STAND_INS, "户口证明")]
    assert ids[:2] == ["exact", "prefix"]
    assert ids.index("keyword") < ids.index("fuzzy")


def test_initials_rank_after_prefix_and_before_keywords() -> None:
    entries = [entry("kw", "其他事项", ("hkqy",), order=1), entry("ini", "户口迁移证明申请", order=2),
               entry("pre", "hkqy 开头的事项", order=3)]
    assert [e.id for e in search(entries, "hkqy")] == ["pre", "ini", "kw"]


def test_a_longer_sentence_finds_the_keyword_inside_it() -> None:
    assert [e.id for e in search(STAND_INS, "我想开个户口证明")][:1] == ["keyword"]


def test_fuzzy_needs_most_of_the_query() -> None:
    assert search(STAND_INS, "身份证") == []
    assert [e.id for e in search(STAND_INS, "户籍信证明")] == ["fuzzy"]


@pytest.fixture(scope="module")
def real_entries() -> list[CatalogEntry]:
    return [CatalogEntry.from_spec(spec) for spec in load_catalog().values()]


def test_every_fixture_query_finds_its_item_in_the_first_three(real_entries) -> None:
    queries = load_queries()
    assert len(queries) >= 60
    known = {e.id for e in real_entries}
    assert all(set(q.want) <= known for q in queries), "a fixture names an item the catalog lacks"
    result = evaluate(real_entries, queries)
    assert result.precision_at_3 == 1.0, result.misses
    assert result.precision_at_1 >= 0.95, result.misses


@pytest.mark.parametrize(("query", "top"), [
    ("卫生许可", "public-place-health-permit"), ("wsxk", "public-place-health-permit"),
    ("开饭店", "restaurant-bundle"), ("公积金", "housing-fund-deposit-certificate"),
    ("失业金", "unemployment-insurance-benefit"), ("营业执照丢了", "business-licence-replacement"),
])
def test_first_answer(real_entries, query: str, top: str) -> None:
    assert search(real_entries, query)[0].id == top


def test_an_item_not_offered_finds_nothing(real_entries) -> None:
    assert search(real_entries, "身份证") == [] and search(real_entries, "护照") == []

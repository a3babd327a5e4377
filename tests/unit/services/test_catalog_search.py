"""Catalog search by Chinese, full pinyin and pinyin initials, over the real catalog."""

from __future__ import annotations

import pytest

from forms.loader import load_catalog
from kiosk.services.catalog_search import LIFE_EVENT_ORDER, CatalogEntry, pinyin_keys, search


@pytest.fixture(scope="module")
def entries() -> list[CatalogEntry]:
    return [CatalogEntry.from_spec(spec) for spec in load_catalog().values()]


@pytest.mark.parametrize(("query", "expected"), [
    ("ggcs", "public-place-health-permit"),
    ("GGCS", "public-place-health-permit"),
    ("gonggongchangsuo", "public-place-health-permit"),
    ("卫生许可", "public-place-health-permit"),
    ("lifa", "public-place-health-permit"),          # keyword 理发
    ("jzz", "residence-permit"),                    # 居住证
    ("getihu", "individual-business-registration"),
    ("csyjs", "birth-bundle"),                       # 出生一件事
    ("预包装", "food-prepackaged-filing"),
])
def test_query_finds_the_item(entries, query, expected):
    assert expected in [entry.id for entry in search(entries, query)]


def test_unrelated_query_finds_nothing(entries):
    assert search(entries, "zzzzqq") == []


def test_empty_query_lists_an_audience_grouped_by_life_event(entries):
    business = search(entries, "", audience="企业")
    assert business and all(entry.audience == "企业" for entry in business)
    events = [entry.life_event for entry in search(entries, "")]
    assert events == sorted(events, key=lambda event: (LIFE_EVENT_ORDER.index(event), event))
    assert len(search(entries, "")) == len(entries)


def test_pinyin_keys_ignore_punctuation():
    assert pinyin_keys("卫生（新办）") == ("weishengxinban", "wsxb")
    assert pinyin_keys("ABC") == ("", "")


def test_row_for_qml_carries_badge_time_and_what_to_bring(entries):
    row = next(e for e in entries if e.id == "public-place-health-permit").to_row()
    assert row["instant"] is True and row["minutes"] == 10 and "本人身份证" in row["bring"]

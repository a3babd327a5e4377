"""The built-in demo cards: stable names, JSON files, synthetic but valid data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from idreader import IdCard, demo_cards
from idreader.errors import CardFileError
from idreader.idnumber import is_permit_2017_number, parse

TODAY = dt.date(2026, 11, 21)


def test_names_are_stable():
    assert demo_cards.names() == (
        "adult", "longterm", "elderly", "minor", "expired", "hmt", "foreign2017", "foreign2023", "rare_char",
    )


@pytest.mark.parametrize("name", demo_cards.names())
def test_each_card_is_a_valid_idcard_json_file(name):
    data = json.loads(demo_cards.path(name).read_text(encoding="utf-8"))
    card = IdCard.from_dict(data)
    assert card == demo_cards.get(name)
    assert card.to_dict() == data
    if card.card_type == "foreign_2017":
        assert is_permit_2017_number(card.id_number)
    else:
        info = parse(card.id_number)  # raises on a bad check character
        assert info.birth_date == card.birth_date
        assert info.sex == card.sex


def test_the_set_covers_what_the_kiosk_needs():
    cards = demo_cards.all_cards()
    adult = cards["adult"]
    assert (adult.name, adult.birth_date.year) == ("张伟", 1985)
    assert adult.id_number.startswith("500151") and "重庆市铜梁区" in adult.address
    assert cards["longterm"].valid_to is None
    assert cards["elderly"].age_on(TODAY) >= 60
    assert cards["minor"].age_on(TODAY) < 18
    assert cards["expired"].is_expired(TODAY)
    assert not any(card.is_expired(TODAY) for name, card in cards.items() if name != "expired")
    assert {card.card_type for card in cards.values()} == {"resident", "hmt_residence", "foreign_2017",
                                                          "foreign_2023"}
    assert len(cards["foreign2023"].name_en) > 35  # exercises the continuation field
    with pytest.raises(UnicodeEncodeError):
        cards["rare_char"].name.encode("gb2312")


def test_unknown_name():
    with pytest.raises(CardFileError, match="known: adult"):
        demo_cards.get("nobody")


def test_load_accepts_names_files_and_cards(tmp_path):
    adult = demo_cards.get("adult")
    assert demo_cards.load("adult") == adult
    assert demo_cards.load(demo_cards.path("adult")) == adult
    assert demo_cards.load(adult) is adult
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CardFileError, match="not an IdCard"):
        demo_cards.load(bad)
    with pytest.raises(CardFileError, match="neither"):
        demo_cards.load(tmp_path / "missing.json")

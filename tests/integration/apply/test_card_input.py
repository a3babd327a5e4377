"""`kiosk apply --card FILE` with malformed card JSON: exit 2, one line naming the file and the problem,
nothing stored; integer code fields are accepted and normalised (`issue_count` 1 -> "01")."""

from __future__ import annotations

import json

import pytest

from idreader import demo_cards
from kiosk.store import Store

PP = "public-place-health-permit"
FOOD = "food-prepackaged-filing"


def adult(**changes: object) -> str:
    return json.dumps({**demo_cards.get("adult").to_dict(), **changes}, ensure_ascii=False)


CASES = [
    ("nested 10000 deep", "[" * 10_000 + "]" * 10_000, "JSON nested 10000 levels deep"),
    ("4000-digit integer", adult(issue_count=0).replace('"issue_count": 0', '"issue_count": ' + "9" * 4000),
     "issue_count: an integer of 4000 digits"),
    ("no name", json.dumps({k: v for k, v in json.loads(adult()).items() if k != "name"}),
     "missing IdCard keys: name"),
    ("empty name", adult(name=""), "name is empty"),
    ("name true", adult(name=True), "name must be a string, not true"),
    ("address object", adult(address={"a": 1}), "address must be a string, not an object"),
    ("sex_code array", adult(sex_code=[1]), "sex_code must be 1 digit"),
    ("ethnicity_code 3 digits", adult(ethnicity_code=100), "ethnicity_code must be at most 2 digits (0-99), not 100"),
    ("huge file", " " * (100 * 1024) + adult(), "the card file is larger than 64 KiB"),
]


@pytest.mark.parametrize(("what", "content", "words"), CASES, ids=[case[0] for case in CASES])
def test_a_malformed_card_file_exits_2_with_one_line(run_cli, kit, tmp_path, what, content, words):
    card = tmp_path / "card.json"
    card.write_text(content, encoding="utf-8")
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    data = tmp_path / "data"
    run = run_cli("apply", "--data-dir", data, "--service", PP, "--card", card, "--answers", answers, "--json")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(f"kiosk apply: invalid card '{card}': {card}: ") and run.err.count("\n") == 1, run.err
    assert words in run.err
    if (data / "kiosk.db").exists():
        with Store.open(data, create=False) as store:
            assert store.recent_applications() == []


def test_integer_code_fields_are_normalised_and_apply(run_cli, kit, tmp_path):
    data = {**demo_cards.get("hmt").to_dict(), "sex_code": 1, "issue_count": 1}
    card = kit.write_json(tmp_path / "hmt.json", data)
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(FOOD))
    run = run_cli("apply", "--data-dir", tmp_path / "data", "--service", FOOD, "--card", card,
                  "--answers", answers, "--json")
    assert run.code == 0, run.err
    assert run.json()["decision"] in ("approved", "accepted")

"""`kiosk apply` refuses bad input with exit 2 and one line (and stores nothing); a data dir used again
continues its sequences 0001, 0002, ... and a blocked application uses no number."""

from __future__ import annotations

import re

import pytest

from kiosk.store import Store

PP = "public-place-health-permit"


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    files = {
        "not_json": "{staff_count: 3",
        "not_object": "[1, 2, 3]",
        "not_utf8": b"\xff\xfe{}",
        "unknown_field": '{"staff_count": 3, "favourite_colour": "red"}',
        "locked_field": '{"business_name": "别的名字"}',
        "bad_card": '{"name": "张伟"}',
        "card_not_json": "张伟",
        "ok": '{"staff_count": 3}',
    }
    for name, text in files.items():
        path = folder / f"{name}.json"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


CASES = [
    ("unknown service", "no-such-service", "adult", "ok", "unknown service"),
    ("answers missing", PP, "adult", "missing", "cannot read answers file"),
    ("answers not JSON", PP, "adult", "not_json", "not valid JSON"),
    ("answers not UTF-8", PP, "adult", "not_utf8", "not valid JSON"),
    ("answers not an object", PP, "adult", "not_object", "must hold a JSON object"),
    ("unknown field", PP, "adult", "unknown_field", "favourite_colour"),
    ("locked field contradicted", PP, "adult", "locked_field", "business_name"),
    ("card file not an IdCard", PP, "bad_card", "ok", "invalid card"),
    ("card file not JSON", PP, "card_not_json", "ok", "invalid card"),
    ("no such demo card", PP, "nobody", "ok", "invalid card"),
]


@pytest.mark.parametrize(("what", "service", "card", "answers", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_one_line(run_cli, bad_inputs, tmp_path, what, service, card, answers, words):
    data = tmp_path / "data"
    card_arg = str(bad_inputs / f"{card}.json") if card in ("bad_card", "card_not_json") else card
    run = run_cli("apply", "--data-dir", data, "--service", service, "--card", card_arg,
                  "--answers", bad_inputs / f"{answers}.json", "--json")
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith("kiosk apply: ") and run.err.count("\n") == 1, run.err
    assert words in run.err
    if (data / "kiosk.db").exists():
        with Store.open(data, create=False) as store:
            assert store.recent_applications() == []


def test_a_data_dir_used_again_continues_its_sequences(run_cli, kit, tmp_path):
    data = tmp_path / "data"
    ok = kit.write_json(tmp_path / "ok.json", kit.base_answers(PP))
    blocked = kit.write_json(tmp_path / "blocked.json", {**kit.base_answers(PP), "staff_trained": 0})

    def apply(answers):
        run = run_cli("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers", answers,
                      "--json")
        assert run.code == 0, run.err
        return run.json()

    numbers = []
    for answers in (ok, blocked, ok, blocked, ok):
        result = apply(answers)
        if result["decision"] == "blocked":
            assert result["receipt_no"] is None
            continue
        receipt = re.fullmatch(r"500151-\d{8}-K01-(\d{4})", result["receipt_no"]).group(1)
        licence = re.fullmatch(r"铜卫公证字〔\d{4}〕第(\d{6})号", result["licence_no"]).group(1)
        numbers.append((receipt, licence))
    assert numbers == [("0001", "000001"), ("0002", "000002"), ("0003", "000003")]

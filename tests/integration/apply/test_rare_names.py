"""A holder whose name has rare characters gets the licence like anyone: card -> form -> PDF -> slip.

Names from several CJK blocks go through `kiosk apply --card FILE`: Extension A (䶮), Extension B
(𠮷, 𠀀, and 𠀁, which only HanaMinB has) and a minority name with a middle dot. The application
PDF's extracted text holds the name exactly and every font in it is embedded; on the slip (the name
masked to its first character) a character the printer's GBK cannot carry is a raster line whose
glyph is the font chain's, not the missing-glyph box. Before the fix the Extension B names were
refused as emoji (decision blocked, FIELD-FORMAT) and 䶮 printed as a box.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from PIL import Image

from idreader import demo_cards
from kiosk.store.store import DB_FILE_NAME
from printers.escpos_interpreter import parse
from printers.raster import glyph

PP = "public-place-health-permit"
GS_V0 = b"\x1dv0"
NAMES = ["䶮明", "𠮷田", "𠀀𠀁", "阿依古丽·买买提"]
#: The slip's line is "申请人：" + the masked name: the name starts 8 half-width cells (96 dots) in.
NAME_X = 96
CELL = 24


def rare_card(name: str) -> dict:
    card = demo_cards.load("adult").to_dict()
    card.update(name=name, photo_wlt=None)
    return card


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=30).stdout


def pdf_fonts(path) -> list[str]:
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=30)
    return [row for row in listing.stdout.splitlines()[2:] if row.strip()]


def raster_lines(data: bytes) -> list[Image.Image]:
    """Every GS v 0 image in ESC/POS bytes, as mode "1" (ink = 1)."""
    images = []
    at = data.find(GS_V0)
    while at >= 0:
        x_bytes = data[at + 4] | data[at + 5] << 8
        rows = data[at + 6] | data[at + 7] << 8
        bits = data[at + 8 : at + 8 + x_bytes * rows]
        images.append(Image.frombytes("1", (x_bytes * 8, rows), bits))
        at = data.find(GS_V0, at + 8 + x_bytes * rows)
    return images


def printed_cell(image: Image.Image, x: int) -> bytes:
    """The pixels of one 24x24 cell of a decoded raster line (255 = ink)."""
    return image.crop((x, 0, x + CELL, CELL)).convert("L").tobytes()


def expected_cell(ch: str) -> bytes:
    """The chain's glyph for ``ch`` thresholded as the printer does (255 = ink)."""
    return glyph(ch).point(lambda value: 255 if value >= 128 else 0).tobytes()


@pytest.mark.parametrize("name", NAMES)
def test_a_rare_name_goes_from_card_to_pdf_and_slip(run_cli, kit, module_dir, tmp_path, name):
    card = kit.write_json(tmp_path / "card.json", rare_card(name))
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    out = tmp_path / "out"
    run = run_cli("apply", "--data-dir", module_dir / "data", "--service", PP, "--card", card,
                  "--answers", answers, "--out", out, "--json")
    assert (run.code, run.err) == (0, "")
    result = run.json()
    assert (result["decision"], result["findings"]) == ("approved", [])

    text = pdf_text(out / "application.pdf")
    assert name in re.sub(r"\s+", "", text)
    fonts = pdf_fonts(out / "application.pdf")
    assert all(re.search(r"\byes\s+yes\s+yes\b", row) for row in fonts), fonts
    if name != "阿依古丽·买买提":
        assert any("HanaMin" in row for row in fonts), fonts

    slip = (out / "receipt.bin").read_bytes()
    first = name[0]
    if first.encode("gbk", errors="replace") == first.encode("gbk", errors="ignore"):
        assert GS_V0 not in slip  # 阿: the whole slip stays text
        assert any(line.startswith("申请人：阿*") for line in parse(slip, 576, draw=False).text_lines)
        return
    lines = raster_lines(slip)
    assert len(lines) == 1 and lines[0].height == 30 and len(slip) < 6_000
    cell = printed_cell(lines[0], NAME_X)
    assert cell == expected_cell(first)  # drawn from HanaMin (tests/unit/printers/test_rare_raster.py)
    assert cell != expected_cell("\U000f0000")  # not the missing-glyph box


def test_a_card_name_with_a_lone_surrogate_is_refused_with_the_code_point(run_cli, kit, module_dir, tmp_path):
    card = tmp_path / "card.json"
    card.write_text(json.dumps(rare_card("\ud842田")), encoding="ascii")  # half of 𠮷, as a broken bridge sends
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    before = applications_in(module_dir / "data")
    run = run_cli("apply", "--data-dir", module_dir / "data", "--service", PP, "--card", card,
                  "--answers", answers, "--out", tmp_path / "out", "--json")
    # the card file itself is refused (idreader.idcard): one line naming the field and the code point
    assert run.code == 2 and run.out == ""
    assert len(run.err.strip().splitlines()) == 1 and "name" in run.err and "U+D842" in run.err
    assert applications_in(module_dir / "data") == before, "nothing stored"


def applications_in(data_dir: Path) -> int:
    database = data_dir / DB_FILE_NAME
    if not database.exists():
        return 0
    with closing(sqlite3.connect(database)) as db:
        return db.execute("SELECT COUNT(*) FROM applications").fetchone()[0]

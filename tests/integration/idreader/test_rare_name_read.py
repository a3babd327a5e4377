"""A card whose name has characters above U+FFFF (UTF-16 surrogate pairs in the chip's UCS-2 block)
is read through the reader simulator over TCP with the name intact, ready for the form."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from idreader import IdCard, demo_cards

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT = 30
NAME = "𠮷田䶮"  # 4 UTF-16 units of the name field's 15, the first two a surrogate pair


def test_a_rare_name_survives_the_card_block_and_the_wire(tmp_path):
    card_file = tmp_path / "card.json"
    card_file.write_text(json.dumps({**demo_cards.get("adult").to_dict(), "name": NAME}, ensure_ascii=False),
                         encoding="utf-8")
    simulator = subprocess.Popen([sys.executable, "-m", "idreader", "simulate", "--tcp", "127.0.0.1:0",
                                  "--card", str(card_file)], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    try:
        assert simulator.stdout is not None
        url = simulator.stdout.readline().strip()
        read = subprocess.run([sys.executable, "-m", "idreader", "read", "--port", url, "--json", "--timeout", "10"],
                              cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    finally:
        simulator.send_signal(signal.SIGTERM)
        simulator.wait(timeout=TIMEOUT)
    assert read.returncode == 0, read.stderr
    assert IdCard.from_dict(json.loads(read.stdout)).name == NAME

"""Golden files: the ESC/POS bytes of every layout, text and raster mode, 58 and 80 mm, byte for byte.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/printers``
and review the difference (``printers.escpos_interpreter.interpret`` turns a .bin into a picture).
Without UPDATE_GOLDEN a missing or different file fails the test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from samples import LAYOUTS, sample_test_page

from printers.escpos_render import render_escpos
from printers.profiles import get_profile

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "golden" / "printers"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
CASES = [(layout, profile, mode)
         for layout in (*LAYOUTS, "test")
         for profile in ("xprinter-58", "xprinter-80")
         for mode in ("text", "raster")]


def _render(layout: str, profile: str, mode: str) -> bytes:
    receipt = sample_test_page(profile) if layout == "test" else LAYOUTS[layout]()
    return render_escpos(receipt, get_profile(profile), mode)


@pytest.mark.parametrize(("layout", "profile", "mode"), CASES)
def test_bytes_match_the_golden_file(layout: str, profile: str, mode: str) -> None:
    path = GOLDEN_DIR / f"{layout}-{profile}-{mode}.bin"
    data = _render(layout, profile, mode)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"missing golden file {path}: run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes()
    if data != expected:
        first = next((i for i, (a, b) in enumerate(zip(data, expected, strict=False)) if a != b),
                     min(len(data), len(expected)))
        pytest.fail(f"{path.name}: {len(data)} bytes rendered, {len(expected)} golden; first difference at "
                    f"byte {first}. If the change is intended, regenerate with UPDATE_GOLDEN=1.")

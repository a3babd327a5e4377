"""Fixtures for the PDF document tests: a realistic context, a finger-drawn signature, pdftotext/pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from forms.documents.demo import (
    DEMO_ID_NUMBER,
    DEMO_QR_TEXT,
    demo_accepted_context,
    demo_bundle_context,
    demo_context,
    demo_signature_png,
)

TOOL_TIMEOUT_S = 30.0


def _run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, capture_output=True, timeout=TOOL_TIMEOUT_S, check=True)


@pytest.fixture(scope="session")
def poppler() -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.fail("poppler-utils (pdftotext, pdftoppm) is required for the document tests")


@pytest.fixture
def pdf_text(poppler: None) -> Callable[[Path], str]:
    def extract(path: Path) -> str:
        return _run(["pdftotext", "-enc", "UTF-8", str(path), "-"]).stdout.decode("utf-8")

    return extract


@pytest.fixture
def page_count(poppler: None) -> Callable[[Path], int]:
    def count(path: Path) -> int:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, timeout=TOOL_TIMEOUT_S, check=True)
        for line in info.stdout.decode().splitlines():
            if line.startswith("Pages:"):
                return int(line.split()[1])
        raise AssertionError("pdfinfo printed no page count")

    return count


@pytest.fixture
def rasterise(poppler: None) -> Callable[[Path, Path], Path]:
    """Render page 1 of a PDF to a PNG at 100 dpi; returns the PNG path."""

    def render(pdf: Path, out_dir: Path) -> Path:
        stem = out_dir / pdf.stem
        _run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)])
        return stem.with_suffix(".png")

    return render


class Samples:
    """The sample contexts and constants, handed to tests as a fixture (conftest is not importable)."""

    id_number = DEMO_ID_NUMBER
    qr_text = DEMO_QR_TEXT
    make = staticmethod(demo_context)
    accepted = staticmethod(demo_accepted_context)
    bundle = staticmethod(demo_bundle_context)
    signature_png = staticmethod(demo_signature_png)


@pytest.fixture
def samples() -> Samples:
    return Samples()

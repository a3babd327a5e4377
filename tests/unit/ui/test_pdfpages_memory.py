"""Rendering previews does not grow PDFium's memory (kiosk.ui.pdfpages): QtPdf tore PDFium down after each
preview (its last QPdfDocument gone) and set it up again for the next, and PDFium's allocator never gave
back the pages of a torn-down library (two 2 MiB super pages, 16 KB resident, per preview).

Runs in a fresh interpreter: the count is of that process's PartitionAlloc reservation (the one anonymous
mapping of tens of GB that PDFium reserves)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FONT = Path(__file__).resolve().parents[3] / "assets" / "fonts" / "wqy-microhei.ttc"

CHILD = """
import io, os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtGui import QGuiApplication
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

app = QGuiApplication([])
from kiosk.ui.pdfpages import render_pages

pdfmetrics.registerFont(TTFont("wqy", sys.argv[1], subfontIndex=0))

def pdf(n):  # an embedded font, as the application form has (a PDF in the standard fonts does not show it)
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("wqy", 14)
    page.drawString(72, 720, f"申请表 预览 {n}")
    page.save()
    return out.getvalue()

def partition_pages():
    reserved = []
    for line in open("/proc/self/maps"):
        start, end = (int(x, 16) for x in line.split()[0].split("-"))
        if end - start > 8 * 2**30:  # what is left of the pool's reservation: the used pages are below it
            reserved.append((end - 64 * 2**30, end))
    pages = set()
    for line in open("/proc/self/maps"):
        fields = line.split()
        start = int(fields[0].split("-")[0], 16)
        if fields[1] != "---p" and any(a <= start < b for a, b in reserved):
            pages.add(start >> 21)
    return len(pages)

assert len(render_pages(pdf(0), 300)) == 1
before = partition_pages()
for n in range(1, 21):
    render_pages(pdf(n), 300)
print(partition_pages() - before)
"""


def test_twenty_previews_leave_no_pdfium_pages_behind():
    done = subprocess.run([sys.executable, "-c", CHILD, str(FONT)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) <= 2  # before: about 40 (two per preview)

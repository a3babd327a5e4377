"""The slip's glyph cache (printers.glyphcache): cells read back are the very bytes drawn, a slip's picture
is the same with and without it; stale after a font file changes, a corrupt file ignored and rewritten."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from unit.printers.samples import sample_licence

from printers import raster
from printers.escpos_interpreter import interpret
from printers.escpos_render import render_escpos
from printers.glyphcache import CACHE_NAME, GlyphStore
from printers.profiles import get_profile

TEXT = "公共场所卫生许可证 张伟 No.42 䶮"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of this test; raster's in-memory cells forgotten before and after."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(folder))

    def forget() -> None:
        raster.glyph.cache_clear()
        monkeypatch.setattr(raster, "_store", None)

    forget()
    yield folder
    raster.glyph.cache_clear()


def drawn(text: str) -> dict[str, bytes]:
    return {ch: raster._draw_glyph(ch, 1, False).tobytes() for ch in text}


def test_cells_from_the_cache_are_the_cells_drawn(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {ch: raster.glyph(ch).tobytes() for ch in TEXT}
    raster.keep_glyphs()
    assert (cache_dir / CACHE_NAME).is_file()
    raster.glyph.cache_clear()  # a new process: only the file
    monkeypatch.setattr(raster, "_store", None)

    def no_drawing(*args: object) -> Image.Image:
        raise AssertionError("drawn again")

    monkeypatch.setattr(raster, "_draw_glyph", no_drawing)
    again = {ch: raster.glyph(ch).tobytes() for ch in TEXT}
    monkeypatch.undo()
    assert again == first == drawn(TEXT)


def test_a_slips_picture_is_the_same_with_the_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = render_escpos(sample_licence(), get_profile("generic-80"), "text")
    fresh = interpret(data).tobytes()  # draws every cell and keeps them
    assert len(GlyphStore.open(font.path for font in raster._chain()[0])) > 50
    raster.glyph.cache_clear()
    monkeypatch.setattr(raster, "_store", None)
    assert interpret(data).tobytes() == fresh


def test_the_cache_is_stale_after_a_font_file_changes(tmp_path: Path) -> None:
    (body,) = [font.path for font in raster._chain()[0][:1]]
    font = tmp_path / body.name
    shutil.copyfile(body, font)
    store = GlyphStore.open([font], tmp_path)
    store.add(("张", 1, False), (24, 24), bytes(576))
    assert store.save()
    assert len(GlyphStore.open([font], tmp_path)) == 1
    with font.open("ab") as stream:  # another font file under the same name
        stream.write(b"\0")
    assert len(GlyphStore.open([font], tmp_path)) == 0


def test_a_corrupt_cache_file_is_ignored_and_rewritten(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fonts = [font.path for font in raster._chain()[0][:1]]
    (tmp_path / CACHE_NAME).write_bytes(b"miaoban-compiled-1\n" + b"\0" * 40 + b"not a pickle")
    with caplog.at_level("INFO", "forms.compiled"):
        store = GlyphStore.open(fonts, tmp_path)
    assert len(store) == 0
    assert "corrupt" in caplog.text
    store.add(("伟", 1, True), (24, 24), bytes(range(256)) * 2 + bytes(64))
    assert store.save()
    assert GlyphStore.open(fonts, tmp_path).get(("伟", 1, True)) == ((24, 24), bytes(range(256)) * 2 + bytes(64))
    assert not store.save()  # nothing new: not written again

"""The parsed-font cache (forms.documents.fontcache): a font read back from it draws the same PDF bytes
as a freshly parsed one, with the Chinese text extractable; stale after the font file changes, a corrupt
file ignored (logged) and rewritten; a settled font file known by its status without hashing it."""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from assets.fontchain import FONT_CHAIN
from forms import compiled
from forms.documents import fontcache
from forms.documents.fontcache import _same as same
from forms.documents.fontcache import cache_file, font_key, load_font

BODY = FONT_CHAIN[0]
TEXT = "公共场所卫生许可证 铜仁市 张伟 No. 000002"


@pytest.fixture
def font_file(tmp_path: Path) -> Path:
    """A private copy of the shipped body font, so a test may change its bytes."""
    (source,) = [FONT_CHAIN[0].locate()]
    assert source is not None
    copy = tmp_path / "fonts" / source.name
    copy.parent.mkdir()
    shutil.copyfile(source, copy)
    return copy


def draw(font) -> bytes:
    """A one-page PDF (invariant: no dates or random ids) drawing TEXT with `font`."""
    pdfmetrics.registerFont(font)
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1)
    page.setFont(font.fontName, 14)
    page.drawString(40, 700, TEXT)
    page.save()
    return out.getvalue()


def test_a_cached_font_draws_the_same_bytes_as_a_parsed_one(font_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    parsed = load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)  # parses, writes
    where = cache_file(font_file, BODY.subfont_index, cache)
    assert where.is_file()
    cached = load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)
    assert cached.face is not parsed.face and cached.face._ttf_data == parsed.face._ttf_data
    assert sorted(vars(cached)) == sorted(vars(parsed)) and sorted(vars(cached.face)) == sorted(vars(parsed.face))
    stored = compiled.read(where, font_key(font_file.read_bytes(), BODY.subfont_index))
    assert "packed" in stored["face"]  # the big tables as arrays, rebuilt to the very same values and types
    for name in ("charToGlyph", "charWidths", "glyphPos", "name", "bbox", "table"):
        assert same(getattr(cached.face, name), getattr(parsed.face, name)), name
    # read on use (rendering reads a subset's glyphs of hmetrics, and glyphToChar never): the same values
    assert same(list(cached.face.hmetrics), parsed.face.hmetrics)
    assert cached.face.hmetrics[5:9] == parsed.face.hmetrics[5:9]
    assert len(cached.face.hmetrics) == len(parsed.face.hmetrics)
    assert same(dict(cached.face.glyphToChar), parsed.face.glyphToChar)
    first, second = draw(parsed), draw(cached)
    assert first == second
    if shutil.which("pdftotext"):
        pdf = tmp_path / "cached.pdf"
        pdf.write_bytes(second)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        assert TEXT in text


def test_the_cache_is_stale_after_the_font_file_changes(font_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)
    where = cache_file(font_file, BODY.subfont_index, cache)
    old_key = font_key(font_file.read_bytes(), BODY.subfont_index)
    assert compiled.read(where, old_key) is not None
    with font_file.open("ab") as stream:  # new bytes (a TTC is read by its offsets: still a valid font)
        stream.write(b"\0" * 16)
    new_key = font_key(font_file.read_bytes(), BODY.subfont_index)
    assert new_key != old_key and compiled.read(where, new_key) is None  # stale for the new file
    font = load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)
    assert font.face._ttf_data == font_file.read_bytes()
    assert compiled.read(where, new_key) is not None  # rebuilt for the new bytes
    assert draw(font).startswith(b"%PDF")


def test_a_corrupt_cache_file_is_ignored_logged_and_rewritten(font_file: Path, tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    cache = tmp_path / "cache"
    reference = draw(load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache))
    where = cache_file(font_file, BODY.subfont_index, cache)
    data = bytearray(where.read_bytes())
    data[len(data) // 2] ^= 0xFF
    where.write_bytes(bytes(data))
    with caplog.at_level(logging.INFO, logger="forms.compiled"):
        font = load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)
    assert any("corrupt" in record.getMessage() for record in caplog.records)
    assert draw(font) == reference
    key = font_key(font_file.read_bytes(), BODY.subfont_index)
    assert compiled.read(where, key) is not None  # rewritten whole


def test_an_entry_from_another_reportlab_layout_is_not_used(font_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reference = draw(load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache))
    where = cache_file(font_file, BODY.subfont_index, cache)
    key = font_key(font_file.read_bytes(), BODY.subfont_index)
    state = compiled.read(where, key)
    state["font_attrs"] = [*state["font_attrs"], "attribute_of_another_reportlab"]
    compiled.write(where, key, state)
    font = load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)  # parsed instead
    assert draw(font) == reference
    assert "attribute_of_another_reportlab" not in compiled.read(where, key)["font_attrs"]


class CountingHashes:
    """`hashlib` for forms.documents.fontcache, recording the size of everything it hashes."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def sha256(self, data: bytes = b""):
        self.sizes.append(len(data))
        return hashlib.sha256(data)


def test_a_settled_font_file_is_known_by_its_status_and_a_changed_one_is_hashed_again(
        font_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    reference = draw(load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache))
    where = cache_file(font_file, BODY.subfont_index, cache)
    key, value = compiled.read_entry(where)
    size = font_file.stat().st_size
    hashes = CountingHashes()
    monkeypatch.setattr(fontcache, "hashlib", hashes)
    # built just after the copy was made: not settled, so the bytes are hashed (git's racily clean rule)
    assert draw(load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)) == reference
    assert hashes.sizes == [size]
    # the same entry, as if built long after the file last changed: known by its status, not hashed
    value["source"]["built"] = font_file.stat().st_ctime + fontcache.SETTLED_SECONDS + 1
    compiled.write(where, key, value)
    hashes.sizes.clear()
    assert draw(load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)) == reference
    assert hashes.sizes == []
    # new bytes: another status, hashed again, the entry stale and rebuilt for them
    with font_file.open("ab") as stream:
        stream.write(b"\0" * 16)
    font = load_font("FontCacheTest", font_file, BODY.subfont_index, cache_dir=cache)
    assert hashes.sizes == [size + 16]
    assert font.face._ttf_data == font_file.read_bytes()
    assert compiled.read(where, font_key(font_file.read_bytes(), BODY.subfont_index)) is not None
    assert compiled.read_entry(where)[1]["source"]["status"][2] == size + 16

"""`kiosk verify --image` refuses an image with too many pixels from its header, before decoding it: a
9000x9000 PNG (81 MP, 900 MB to decode before) and a decompression bomb (a 40000x40000 PNG of 1.3 MB)
get one line and exit 2; a real licence QR still verifies."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from kiosk.cli import main
from kiosk.credentials import issue_credential, load_or_create_signing_key, make_qr
from kiosk.credentials.claims import Claims
from kiosk.credentials.qr import MAX_IMAGE_PIXELS

REPO = Path(__file__).resolve().parents[3]


def run_main(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_bomb(path: Path, side: int) -> Path:
    """A valid 1-bit grayscale PNG of side x side white pixels: tiny on disk, huge decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b""))
    return path


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A data dir with its signing key, as on a kiosk that has run."""
    load_or_create_signing_key(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def big_png(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("img") / "9000.png"
    Image.new("1", (9000, 9000), 1).save(path)
    return path


def test_a_9000_square_image_is_refused_in_one_line(data_dir, big_png):
    code, out, err = run_main("verify", "--data-dir", data_dir, "--image", big_png)
    assert (code, out) == (2, "")
    assert err == (f"kiosk verify: {big_png}: the image is 9000x9000 pixels (81 megapixels); the limit is 32 "
                   "megapixels: crop it to the QR code or scale it down\n")


def test_a_decompression_bomb_is_refused_in_one_line(data_dir):
    bomb = write_bomb(data_dir / "bomb.png", 40_000)
    assert bomb.stat().st_size < 2_000_000
    code, out, err = run_main("verify", "--data-dir", data_dir, "--image", bomb)
    assert (code, out) == (2, "")
    assert err.startswith(f"kiosk verify: {bomb}: the image is far too large to read") and err.count("\n") == 1


def test_refusing_the_big_image_never_decodes_it(data_dir, big_png):
    """In a process of its own: the peak memory stays far below the 81 MB one gray copy would take. (VmHWM,
    the peak of this program's own memory; ru_maxrss would also count the pytest process it was forked from.)"""
    script = ("import re, sys; from kiosk.cli import main; code = main(sys.argv[1:]); "
              "status = open('/proc/self/status').read(); "
              "print(code, int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)) // 1024)")
    done = subprocess.run([sys.executable, "-c", script, "verify", "--data-dir", str(data_dir), "--image",
                           str(big_png)], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    code, peak_mb = map(int, done.stdout.splitlines()[-1].split())
    assert code == 2, done.stderr
    assert peak_mb < 200, f"peak {peak_mb} MB"


def test_an_image_under_the_limit_still_verifies(tmp_path):
    key = load_or_create_signing_key(tmp_path)
    claims = Claims(kind="licence", number="铜卫公证字〔2026〕第000001号", service="public-place-health-permit",
                    holder="张*", issued=dt.date(2026, 11, 21), expires=dt.date(2030, 11, 20),
                    office="铜梁区卫生健康委员会", kiosk_id="K01")
    picture = tmp_path / "qr.png"
    make_qr(issue_credential(claims, key)).save(picture, scale=8, border=4)
    assert Image.open(picture).size[0] ** 2 < MAX_IMAGE_PIXELS
    code, out, err = run_main("verify", "--data-dir", tmp_path, "--image", picture)
    assert code == 0, err
    assert out.startswith("VALID")

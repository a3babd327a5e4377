"""Credentials with real files: the key in the data dir (mode 0600, made once), QR PNGs decoded back."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from kiosk.credentials import (
    Claims,
    KeyFileError,
    QrDecodeError,
    decode_qr_image,
    issue_credential,
    load_or_create_signing_key,
    load_public_key_file,
    load_signing_key,
    make_qr,
    public_key_pem,
    verify_credential,
)
from kiosk.credentials.keys import private_key_path
from kiosk.credentials.qr import decode_with_opencv, decode_with_zxing

CLAIMS = Claims(kind="licence", number="铜卫公证字〔2026〕第000123号", service="public-place-health-permit",
                holder="张*", issued=dt.date(2026, 11, 21), expires=dt.date(2030, 11, 20),
                office="铜梁区卫生健康委员会", kiosk_id="K01")


def test_key_is_created_once_with_mode_0600(tmp_path):
    key = load_or_create_signing_key(tmp_path)
    path = private_key_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_signing_key(tmp_path)
    assert public_key_pem(again.public_key()) == public_key_pem(key.public_key())
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files left behind


def test_a_key_readable_by_others_is_refused(tmp_path):
    load_or_create_signing_key(tmp_path)
    os.chmod(private_key_path(tmp_path), 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_signing_key(tmp_path)


def test_missing_and_bad_key_files(tmp_path):
    with pytest.raises(KeyFileError, match="no signing key"):
        load_signing_key(tmp_path)
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(KeyFileError, match="not a PEM public key"):
        load_public_key_file(bad)


def test_exported_public_key_verifies(tmp_path):
    key = load_or_create_signing_key(tmp_path / "kiosk")
    exported = tmp_path / "public.pem"
    exported.write_bytes(public_key_pem(key.public_key()))
    assert verify_credential(issue_credential(CLAIMS, key), [load_public_key_file(exported)]) == CLAIMS


@pytest.mark.parametrize("scale", [2, 4, 8])
def test_qr_png_made_with_segno_decodes_back(tmp_path, scale):
    key = load_or_create_signing_key(tmp_path)
    text = issue_credential(CLAIMS, key)
    png = tmp_path / "licence-qr.png"
    make_qr(text).save(png, scale=scale, border=4)
    assert decode_qr_image(png) == [text]
    assert verify_credential(decode_qr_image(png)[0], [key.public_key()]) == CLAIMS


def test_both_decoders_read_a_clean_code(tmp_path):
    import numpy as np
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    # A fixed key makes the code deterministic (Ed25519 signatures are): OpenCV's detector misses
    # roughly one clean code in ten, so a random key would make this test flaky.
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    text = issue_credential(CLAIMS, key)
    png = tmp_path / "qr.png"
    make_qr(text).save(png, scale=4, border=4)
    gray = np.asarray(Image.open(png).convert("L"))
    assert decode_with_zxing(gray) == [text]
    assert decode_with_opencv(gray) == [text]


def test_opencv_reads_the_slips_its_classic_detector_missed():
    """OpenCV is the fallback reader, and the bundle's self-test checks it. Its classic detector missed 3
    of 20 self-test slips (these three, cut from the emulator's picture of the printed slip), and made
    that step fail about one run in seven; the ArUco-based detector behind it reads them."""
    import numpy as np

    folder = Path(__file__).with_name("qr_slips")
    slips = sorted(folder.glob("miss*.png"))
    assert len(slips) == 3
    for png in slips:
        gray = np.asarray(Image.open(png).convert("L"))
        assert decode_with_opencv(gray) == [png.with_suffix(".txt").read_text(encoding="utf-8")], png.name


def test_a_blurred_photo_still_decodes(tmp_path):
    text = issue_credential(CLAIMS, load_or_create_signing_key(tmp_path))
    png = tmp_path / "qr.png"
    make_qr(text).save(png, scale=4, border=4)
    photo = tmp_path / "photo.jpg"
    Image.open(png).convert("L").rotate(12, expand=True, fillcolor=255).filter(
        ImageFilter.GaussianBlur(1.5)).save(photo, quality=40)
    assert decode_qr_image(photo) == [text]


def test_images_without_a_code(tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    with pytest.raises(QrDecodeError, match="no QR code"):
        decode_qr_image(blank)
    with pytest.raises(QrDecodeError, match="no such file"):
        decode_qr_image(tmp_path / "missing.png")
    text_file = tmp_path / "notes.png"
    text_file.write_text("hello")
    with pytest.raises(QrDecodeError, match="not a readable image"):
        decode_qr_image(text_file)


def test_the_key_file_read_without_serialization_is_the_key_cryptography_reads(tmp_path: Path) -> None:
    """The plain PKCS#8 Ed25519 file this kiosk writes is read directly (keys.read_plain_ed25519_pem): the
    same key as cryptography's own PEM reader; any other form is left to that reader (None)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.credentials.keys import read_plain_ed25519_pem

    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    for index in range(5):
        key = load_or_create_signing_key(tmp_path / f"d{index}")
        data = private_key_path(tmp_path / f"d{index}").read_bytes()
        fast = read_plain_ed25519_pem(data)
        full = serialization.load_pem_private_key(data, password=None)
        assert fast is not None and fast.private_bytes(*raw) == full.private_bytes(*raw) == key.private_bytes(*raw)
        assert verify_credential(issue_credential(CLAIMS, fast), [full.public_key()]) == CLAIMS
    other = Ed25519PrivateKey.generate()
    encrypted = other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.BestAvailableEncryption(b"secret"))
    openssh = other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                  serialization.NoEncryption())
    traditional = data.replace(b"PRIVATE KEY", b"EC PRIVATE KEY")
    cut = data[:40] + data[-26:]
    for text in (encrypted, openssh, traditional, cut, b"", data.replace(b"M", b"!", 1)):
        assert read_plain_ed25519_pem(text) is None
    path = private_key_path(tmp_path / "d0")
    path.write_bytes(openssh)
    with pytest.raises(KeyFileError):  # still read (and refused) the full way
        load_signing_key(tmp_path / "d0")

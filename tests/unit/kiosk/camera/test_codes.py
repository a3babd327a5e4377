"""A slip's signed QR held up to the camera: read from photos at angles, blurred, dim, and verified."""

from __future__ import annotations

import datetime as dt

import cv2
import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.camera.codes import read_codes
from kiosk.camera.synthetic import Shot, photograph
from kiosk.credentials import Claims, issue_credential, make_qr, verify_credential
from kiosk.credentials.errors import CredentialError

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
CLAIMS = Claims(kind="receipt", number="500151-20261121-K01-0007", service="public-place-health-permit",
                holder="张*", issued=dt.date(2026, 11, 21), expires=None, office="铜梁区卫生健康委员会", kiosk_id="K01")


def slip(text: str) -> np.ndarray:
    """A thermal slip's QR: black modules, 6 px each, on white paper with a margin (BGR)."""
    qr = make_qr(text)
    modules = np.array([[0 if dark else 255 for dark in row] for row in qr.matrix], dtype=np.uint8)
    image = cv2.resize(modules, None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST)
    image = np.pad(image, 60, constant_values=255)
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)


SHOTS = {
    "straight": Shot(height=0.45),
    "turned": Shot(height=0.45, rotate=35),
    "slanted": Shot(height=0.5, tilt=35, yaw=20),
    "blurred": Shot(height=0.5, blur=2.0, rotate=10),
    "dim-noisy": Shot(height=0.45, light=0.45, noise=8, tilt=15),
    "small": Shot(height=0.28, rotate=-20, tilt=10),
}


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_a_slips_qr_in_a_photo_decodes_and_verifies(name: str) -> None:
    text = issue_credential(CLAIMS, KEY)
    photo, _ = photograph(slip(text), SHOTS[name], seed=3)
    codes = read_codes(photo)
    assert codes == [text]
    assert verify_credential(codes[0], [KEY.public_key()]) == CLAIMS


def test_a_qr_signed_by_another_key_does_not_verify() -> None:
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    photo, _ = photograph(slip(issue_credential(CLAIMS, other)), SHOTS["turned"], seed=1)
    with pytest.raises(CredentialError):
        verify_credential(read_codes(photo)[0], [KEY.public_key()])


def test_a_photo_without_a_qr_reads_nothing() -> None:
    assert read_codes(np.full((1080, 1920, 3), 200, np.uint8)) == []

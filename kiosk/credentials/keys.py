"""The kiosk's Ed25519 signing key in the data dir, created on first run, and the keys it retired.

Files: `<data_dir>/keys/qr-signing-key.pem` (PKCS#8 PEM, unencrypted, mode 0600, written in full and linked
into place, so two processes never make two keys) and its public half for verifiers, exported as
SubjectPublicKeyInfo PEM by `kiosk keys export`. A private key file readable by group or others is
refused on POSIX.

A missing key is made only where nothing was signed yet (`may_create`): in a data dir that already
holds applications, or retired keys, a lost key is an error (SigningKeyMissing), never silently
replaced. `rotate_signing_key` makes a new key and keeps the old public half in
`keys/retired/<key id>.pem`, so `known_public_keys` still verifies every QR printed before.

The key file in exactly the form written here (unencrypted PKCS#8 of an Ed25519 key, RFC 8410: a fixed
16-byte DER prefix and the 32-byte seed) is read without cryptography's `serialization` package, whose
import (its SSH key parser compiles patterns) costs every `kiosk apply` ~10 ms; any other form is read
by `serialization.load_pem_private_key` as before (a test holds both readings equal).
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from forms.atomicfile import write_private_file
from kiosk.credentials.errors import KeyFileError, SigningKeyMissing
from kiosk.credentials.signing import key_id

KEYS_DIR_NAME = "keys"
PRIVATE_KEY_FILE_NAME = "qr-signing-key.pem"
RETIRED_DIR_NAME = "retired"


def private_key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_DIR_NAME / PRIVATE_KEY_FILE_NAME


def retired_keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_DIR_NAME / RETIRED_DIR_NAME


#: The DER of an unencrypted PKCS#8 Ed25519 private key before its 32-byte seed (RFC 8410, section 10.3).
PKCS8_ED25519_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
_PEM_BEGIN, _PEM_END = b"-----BEGIN PRIVATE KEY-----", b"-----END PRIVATE KEY-----"


def _pem_private_key(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def read_plain_ed25519_pem(data: bytes) -> Ed25519PrivateKey | None:
    """The key of a PEM file in exactly the form `_pem_private_key` writes; None for any other form."""
    lines = data.strip().splitlines()
    if len(lines) < 3 or lines[0].strip() != _PEM_BEGIN or lines[-1].strip() != _PEM_END:
        return None
    try:
        der = base64.b64decode(b"".join(line.strip() for line in lines[1:-1]), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(der) != len(PKCS8_ED25519_PREFIX) + 32 or not der.startswith(PKCS8_ED25519_PREFIX):
        return None
    return Ed25519PrivateKey.from_private_bytes(der[len(PKCS8_ED25519_PREFIX):])


def load_or_create_signing_key(data_dir: Path, *, may_create: bool = True) -> Ed25519PrivateKey:
    """The data dir's signing key; a new one is generated and saved (mode 0600) when there is none and
    `may_create` (nothing was signed in this data dir yet) and no key was ever retired here."""
    path = private_key_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        return load_signing_key(data_dir)
    if not may_create or retired_public_keys(data_dir):
        raise SigningKeyMissing(
            f"the QR signing key {path} is missing, but this data dir already issued QR codes with it: "
            "restore the file from a backup (a new key would make every earlier QR fail to verify)")
    key = Ed25519PrivateKey.generate()
    pem = _pem_private_key(key)
    # Linked into place complete: the link fails when another process got there first (use its key),
    # and nobody ever reads a half-written key.
    if not write_private_file(path, pem, exclusive=True):
        return load_signing_key(data_dir)
    return key


def retired_public_keys(data_dir: Path) -> list[Ed25519PublicKey]:
    """The public halves of the keys `rotate_signing_key` retired, oldest file name first."""
    folder = retired_keys_dir(data_dir)
    if not folder.is_dir():
        return []
    return [load_public_key_file(path) for path in sorted(folder.glob("*.pem"))]


def known_public_keys(data_dir: Path) -> list[Ed25519PublicKey]:
    """Every key a QR of this data dir may be signed with: the current one (if any), then the retired."""
    keys = []
    if private_key_path(data_dir).exists():
        keys.append(load_signing_key(data_dir).public_key())
    return keys + retired_public_keys(data_dir)


def rotate_signing_key(data_dir: Path) -> tuple[Ed25519PublicKey, Ed25519PublicKey]:
    """Retire the current key (its public half stays in keys/retired for verifying) and make a new one.

    Returns (retired, new) public keys. The retired public key is written (and synced) before the new
    private key replaces the old one, so a crash in between leaves the old key current and also
    retired: nothing signed is ever unverifiable. Raises KeyFileError when there is no current key."""
    old = load_signing_key(data_dir).public_key()
    folder = retired_keys_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_private_file(folder / f"{key_id(old).hex()}.pem", public_key_pem(old))
    new = Ed25519PrivateKey.generate()
    pem = _pem_private_key(new)
    _write_private_file(private_key_path(data_dir), pem)
    return old, new.public_key()


def _write_private_file(path: Path, data: bytes) -> None:
    """Write a file (mode 0600) in full, then rename it into place and sync the folder."""
    write_private_file(path, data, sync_folder=True)


def load_signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """Load the existing signing key. Raises KeyFileError when missing, unsafe or not Ed25519."""
    path = private_key_path(data_dir)
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"no signing key at {path} (it is created on the kiosk's first run)") from None
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the signing key: {exc.strerror or exc}") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(f"{path}: the private key is readable by others (mode {stat.S_IMODE(mode):04o}); "
                           "run chmod 600 on it")
    key = read_plain_ed25519_pem(data)
    if key is not None:
        return key
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as exc:
        raise KeyFileError(f"{path}: not a PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return key


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key_file(path: Path) -> Ed25519PublicKey:
    """A public key exported by `kiosk keys export` (SubjectPublicKeyInfo PEM)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the public key: {exc.strerror or exc}") from None
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise KeyFileError(f"{path}: not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 public key")
    return key

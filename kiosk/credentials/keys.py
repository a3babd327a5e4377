"""The kiosk's Ed25519 signing key in the data dir, created on first run.

Files: `<data_dir>/keys/qr-signing-key.pem` (PKCS#8 PEM, unencrypted, mode 0600, written in full and linked
into place, so two processes never make two keys) and its public half for verifiers, exported as
SubjectPublicKeyInfo PEM by `kiosk keys export`. A private key file readable by group or others is
refused on POSIX.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.credentials.errors import KeyFileError

KEYS_DIR_NAME = "keys"
PRIVATE_KEY_FILE_NAME = "qr-signing-key.pem"


def private_key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_DIR_NAME / PRIVATE_KEY_FILE_NAME


def load_or_create_signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """The data dir's signing key; a new one is generated and saved (mode 0600) when there is none."""
    path = private_key_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        return load_signing_key(data_dir)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # Write a private temporary file completely, then link it into place: the link fails when another
    # process got there first, and nobody ever reads a half-written key.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return load_signing_key(data_dir)
    finally:
        temporary.unlink(missing_ok=True)
    return key


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
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as exc:
        raise KeyFileError(f"{path}: not a PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return key


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key_file(path: Path) -> Ed25519PublicKey:
    """A public key exported by `kiosk keys export` (SubjectPublicKeyInfo PEM)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the public key: {exc.strerror or exc}") from None
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise KeyFileError(f"{path}: not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 public key")
    return key

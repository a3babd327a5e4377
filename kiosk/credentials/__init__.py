"""Signed QR credentials: claims packed compactly, Ed25519-signed, Base45 text for QR alphanumeric mode.

    key = load_or_create_signing_key(data_dir)
    text = issue_credential(Claims(kind="licence", number=..., ...), key)      # "MB1:..."
    claims = verify_credential(text, [key.public_key()])                         # or SignatureInvalid

The format is documented byte by byte in docs/qr-format.md.
"""

from kiosk.credentials.base45 import b45decode, b45encode
from kiosk.credentials.claims import Claims, mask_holder_name
from kiosk.credentials.errors import (
    CredentialError,
    KeyFileError,
    MalformedCredential,
    QrDecodeError,
    SignatureInvalid,
    SigningKeyMissing,
)
from kiosk.credentials.keys import (
    known_public_keys,
    load_or_create_signing_key,
    load_public_key_file,
    load_signing_key,
    public_key_pem,
    retired_public_keys,
    rotate_signing_key,
)
from kiosk.credentials.qr import decode_qr_image, make_qr
from kiosk.credentials.signing import PREFIX, issue_credential, key_id, split_credential, verify_credential

__all__ = [
    "PREFIX", "Claims", "CredentialError", "KeyFileError", "MalformedCredential", "QrDecodeError",
    "SignatureInvalid", "SigningKeyMissing", "b45decode", "b45encode", "decode_qr_image", "issue_credential",
    "key_id", "known_public_keys", "load_or_create_signing_key", "load_public_key_file", "load_signing_key",
    "make_qr", "mask_holder_name", "public_key_pem", "retired_public_keys", "rotate_signing_key",
    "split_credential", "verify_credential",
]

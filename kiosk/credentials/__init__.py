"""Signed QR credentials: claims packed compactly, Ed25519-signed, Base45 text for QR alphanumeric mode.

    key = load_or_create_signing_key(data_dir)
    text = issue_credential(Claims(kind="licence", number=..., ...), key)      # "MB1:..."
    claims = verify_credential(text, [key.public_key()])                         # or SignatureInvalid

The format is documented byte by byte in docs/qr-format.md.

The names are imported on first use (PEP 562 `__getattr__`): importing one submodule (say
`kiosk.credentials.errors`) no longer loads the whole package (issue 17).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.credentials.base45 import b45decode, b45encode
    from kiosk.credentials.business import BusinessClaims, Permit
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
    "PREFIX", "BusinessClaims", "Claims", "CredentialError", "KeyFileError", "MalformedCredential", "Permit",
    "QrDecodeError",
    "SignatureInvalid", "SigningKeyMissing", "b45decode", "b45encode", "decode_qr_image", "issue_credential",
    "key_id", "known_public_keys", "load_or_create_signing_key", "load_public_key_file", "load_signing_key",
    "make_qr", "mask_holder_name", "public_key_pem", "retired_public_keys", "rotate_signing_key",
    "split_credential", "verify_credential",
]

_WHERE: dict[str, str] = {
    "b45decode": "kiosk.credentials.base45",
    "b45encode": "kiosk.credentials.base45",
    "BusinessClaims": "kiosk.credentials.business",
    "Permit": "kiosk.credentials.business",
    "Claims": "kiosk.credentials.claims",
    "mask_holder_name": "kiosk.credentials.claims",
    "CredentialError": "kiosk.credentials.errors",
    "KeyFileError": "kiosk.credentials.errors",
    "MalformedCredential": "kiosk.credentials.errors",
    "QrDecodeError": "kiosk.credentials.errors",
    "SignatureInvalid": "kiosk.credentials.errors",
    "SigningKeyMissing": "kiosk.credentials.errors",
    "known_public_keys": "kiosk.credentials.keys",
    "load_or_create_signing_key": "kiosk.credentials.keys",
    "load_public_key_file": "kiosk.credentials.keys",
    "load_signing_key": "kiosk.credentials.keys",
    "public_key_pem": "kiosk.credentials.keys",
    "retired_public_keys": "kiosk.credentials.keys",
    "rotate_signing_key": "kiosk.credentials.keys",
    "decode_qr_image": "kiosk.credentials.qr",
    "make_qr": "kiosk.credentials.qr",
    "PREFIX": "kiosk.credentials.signing",
    "issue_credential": "kiosk.credentials.signing",
    "key_id": "kiosk.credentials.signing",
    "split_credential": "kiosk.credentials.signing",
    "verify_credential": "kiosk.credentials.signing",
}


def __getattr__(name: str) -> Any:
    """Import the submodule that defines `name` on first use (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

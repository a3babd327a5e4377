"""Errors of the signed-QR credentials. Everything raised on purpose here derives from CredentialError."""

from __future__ import annotations


class CredentialError(Exception):
    """A credential cannot be issued or verified; the message is the reason shown to the user."""


class MalformedCredential(CredentialError):
    """The text is not a credential of this format (wrong prefix, bad Base45, truncated, bad field)."""


class SignatureInvalid(CredentialError):
    """The credential is well formed but its signature does not hold (tampered, or another key)."""


class KeyFileError(CredentialError):
    """A key file is missing, unreadable, not an Ed25519 key, or readable by others."""


class SigningKeyMissing(KeyFileError):
    """The signing key is gone from a data dir that already issued credentials with it: a new key would
    make every QR printed before fail to verify, so the kiosk refuses to start."""


class QrDecodeError(CredentialError):
    """No QR code could be read from the image."""


class ImageTooLarge(QrDecodeError):
    """The image has more pixels than `kiosk.credentials.qr.MAX_IMAGE_PIXELS`: refused before decoding."""

"""`kiosk verify TEXT | --image PNG [--public-key FILE] [--json]`: check a signed QR credential offline.

Exit 0 and the claims when the signature holds; exit 1 with the reason when it does not (malformed,
altered, signed by another key, or no QR code in the image); exit 2 on bad usage or a missing key.
Without --public-key the key of the data dir (`--data-dir`, or the configured/default one) is used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.config import ConfigError, resolve_data_dir
from kiosk.credentials import (
    PREFIX,
    CredentialError,
    KeyFileError,
    QrDecodeError,
    decode_qr_image,
    key_id,
    load_public_key_file,
    load_signing_key,
    verify_credential,
)
from kiosk.credentials.errors import ImageTooLarge

LABELS = (("kind", "类别 kind"), ("number", "编号 number"), ("service", "事项 service"),
          ("holder", "持有人 holder"), ("issued", "发证日期 issued"), ("expires", "有效期至 expires"),
          ("office", "发证机关 office"), ("kiosk_id", "终端 kiosk"))


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("verify", parents=[common], help="verify a signed QR credential offline",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="?", help="the QR text (starts with MB1:)")
    parser.add_argument("--image", type=Path, metavar="PNG", help="read the QR code from an image file")
    parser.add_argument("--public-key", type=Path, metavar="FILE",
                        help="PEM public key from `kiosk keys export`")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.image is None):
        print("kiosk verify: give either the QR TEXT or --image PNG", file=sys.stderr)
        return 2
    try:
        public_key = (load_public_key_file(args.public_key) if args.public_key
                      else load_signing_key(resolve_data_dir(args)).public_key())
    except (KeyFileError, ConfigError) as exc:
        print(f"kiosk verify: {exc}", file=sys.stderr)
        return 2
    try:
        texts = decode_qr_image(args.image) if args.image else [args.text]
    except ImageTooLarge as exc:  # over MAX_IMAGE_PIXELS: bad input (exit 2), refused before decoding
        print(f"kiosk verify: {exc}", file=sys.stderr)
        return 2
    except QrDecodeError as exc:
        return _report(args, None, str(exc))
    try:
        text = next((candidate for candidate in texts if candidate.startswith(PREFIX)), texts[0])
        claims = verify_credential(text, [public_key])
    except CredentialError as exc:
        return _report(args, None, str(exc))
    return _report(args, claims.to_dict(), "", key_id(public_key).hex())


def _report(args: argparse.Namespace, claims: dict | None, reason: str, signer: str = "") -> int:
    valid = claims is not None
    if args.json:
        print(json.dumps({"valid": valid, "reason": reason, "key_id": signer or None, "claims": claims},
                         ensure_ascii=False))
    elif valid:
        print(f"VALID: the signature holds (key id {signer})")
        for key, label in LABELS:
            print(f"  {label}: {claims[key] if claims[key] is not None else '长期 none'}")
    else:
        print(f"INVALID: {reason}")
    return 0 if valid else 1

"""`kiosk verify TEXT | --image PNG [--public-key FILE] [--json]`: check a signed QR credential offline.

Exit 0 and the claims when the signature holds; exit 1 with the reason when it does not (malformed,
altered, signed by another key, or no QR code in the image); exit 2 on bad usage or a missing key.
Without --public-key the keys of the data dir (`--data-dir`, or the configured/default one) are used:
the current signing key and every key `kiosk keys rotate` retired (the QR names its key by key id).
`--public-key` may be given more than once. With the data dir's keys, the hall's last word on the number
(kiosk.sync: its review state, e.g. approved or delivered) is shown too ("hall" in --json).

A 一码通行 code (kind "business", kiosk.onecode) lists every permit of one business: each is shown with
its validity, and one that has expired on the verifier's today (`KIOSK_TODAY`, the test clock, or the
machine's date) is marked 已过期 EXPIRED (in --json: "expired": true, and "expired" counts them). The
exit codes are the same: 0 when the signature holds, expired permits or not (expiry is what it shows).
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
    known_public_keys,
    load_public_key_file,
    split_credential,
    verify_credential,
)
from kiosk.credentials.business import BusinessClaims
from kiosk.credentials.errors import ImageTooLarge
from kiosk.credentials.keys import private_key_path

LABELS = (("kind", "类别 kind"), ("number", "编号 number"), ("service", "事项 service"),
          ("holder", "持有人 holder"), ("issued", "发证日期 issued"), ("expires", "有效期至 expires"),
          ("office", "发证机关 office"), ("kiosk_id", "终端 kiosk"))


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("verify", parents=[common], help="verify a signed QR credential offline",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="?", help="the QR text (starts with MB1:)")
    parser.add_argument("--image", type=Path, metavar="PNG", help="read the QR code from an image file")
    parser.add_argument("--public-key", type=Path, metavar="FILE", action="append",
                        help="PEM public key from `kiosk keys export` (repeat for several keys)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.image is None):
        print("kiosk verify: give either the QR TEXT or --image PNG", file=sys.stderr)
        return 2
    current_id = None  # the data dir's current key: a QR signed by another of its keys says "retired"
    try:
        if args.public_key:
            public_keys = [load_public_key_file(path) for path in args.public_key]
        else:
            data_dir = resolve_data_dir(args)
            public_keys = known_public_keys(data_dir)
            if not public_keys:
                raise KeyFileError(f"no signing key at {private_key_path(data_dir)} (it is created on the "
                                   "kiosk's first run; or give --public-key FILE)")
            if private_key_path(data_dir).exists():
                current_id = key_id(public_keys[0])
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
        claims = verify_credential(text, public_keys)
        signer = split_credential(text)[1]
    except CredentialError as exc:
        return _report(args, None, str(exc))
    retired = not args.public_key and signer != current_id
    if isinstance(claims, BusinessClaims):
        return _report_business(args, claims, signer.hex(), retired)
    hall = None if args.public_key else _hall_status(args, claims.number)
    return _report(args, claims.to_dict(), "", signer.hex(), retired=retired, hall=hall)


def _hall_status(args: argparse.Namespace, number: str) -> dict | None:
    """What the hall last said about this number (kiosk.sync), from the data dir's database; None when
    it said nothing or there is no database to ask."""
    from kiosk.store import Store, StoreError
    from kiosk.sync.replies import hall_status

    try:
        with Store.open(resolve_data_dir(args), create=False) as store:
            found = hall_status(store, number)
    except (StoreError, OSError):
        return None
    return None if found is None else {"state": found.state, "outcome": found.outcome,
                                       "updated_at": found.updated_at, "pickup": found.pickup}


def _report(args: argparse.Namespace, claims: dict | None, reason: str, signer: str = "",
            retired: bool = False, hall: dict | None = None) -> int:
    valid = claims is not None
    if args.json:
        print(json.dumps({"valid": valid, "reason": reason, "key_id": signer or None, "retired_key": retired,
                          "claims": claims, "hall": hall}, ensure_ascii=False))
    elif valid:
        print(f"VALID: the signature holds (key id {signer}{', a retired key of this kiosk' if retired else ''})")
        for key, label in LABELS:
            print(f"  {label}: {claims[key] if claims[key] is not None else '长期 none'}")
        if hall is not None:
            print(f"  大厅状态 hall: {hall['state']} ({hall['updated_at'] or '-'})")
    else:
        print(f"INVALID: {reason}")
    return 0 if valid else 1


BUSINESS_LABELS = (("uscc", "统一社会信用代码 uscc"), ("name", "经营者 business"), ("issued", "出码日期 issued"),
                   ("kiosk_id", "终端 kiosk"))


def _report_business(args: argparse.Namespace, claims: BusinessClaims, signer: str, retired: bool) -> int:
    """A valid 一码通行 code: the business, then every permit, an expired one marked (exit 0)."""
    from kiosk.app import env_calendar

    try:
        today = env_calendar()[0]()
    except ValueError as exc:  # a bad KIOSK_TODAY: bad usage
        print(f"kiosk verify: {exc}", file=sys.stderr)
        return 2
    data = claims.to_dict(today)
    expired = sum(permit["expired"] for permit in data["permits"])
    if args.json:
        print(json.dumps({"valid": True, "reason": "", "key_id": signer, "retired_key": retired, "claims": data,
                          "hall": None, "today": today.isoformat(), "expired": expired}, ensure_ascii=False))
        return 0
    print(f"VALID: the signature holds (key id {signer}{', a retired key of this kiosk' if retired else ''})")
    print("  类别 kind: business 一码通行")
    for key, label in BUSINESS_LABELS:
        print(f"  {label}: {data[key] or '-'}")
    print(f"  许可 permits: {len(data['permits'])}"
          + (f"，其中 {expired} 项已过期 ({expired} EXPIRED on {today.isoformat()})" if expired else ""))
    for index, permit in enumerate(data["permits"], 1):
        mark = "  ✗ 已过期 EXPIRED" if permit["expired"] else ""
        print(f"  {index}. {permit['item']} {permit['number']} | {permit['office'] or '-'} | "
              f"有效期至 {permit['valid_to'] or '长期'}{mark}")
    return 0

"""`kiosk keys export [FILE]`, `kiosk keys hash-pin` and `kiosk keys rotate`: the QR signing key and
the admin PIN hash.

`export` writes the current public key (SubjectPublicKeyInfo PEM) that verifiers need, to FILE or
stdout; the private key is created in the data dir (mode 0600) if this is the first run (never in a data
dir that already holds applications: a lost key must be restored, not replaced). `hash-pin` reads a
PIN (twice, without echo, on a terminal; one line from stdin otherwise) and prints the
`admin.pin_hash` value for the configuration file. `rotate` makes a new signing key and keeps the old
public key in keys/retired/, so `kiosk verify` still accepts every QR signed before. `reset-lockout`,
run on the kiosk machine, forgives the wrong technician PINs counted in the database (15 in a row lock
the pad until it is run), audited.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from kiosk.config import ConfigError, hash_pin, resolve_data_dir
from kiosk.credentials import (
    CredentialError,
    key_id,
    load_or_create_signing_key,
    public_key_pem,
    retired_public_keys,
    rotate_signing_key,
)
from kiosk.datadir import holds_applications


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("keys", parents=[common], help="export the QR public key; hash a PIN",
                                   description=__doc__.splitlines()[0])
    actions = parser.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", parents=[common], help="write the public key (PEM) for verifiers")
    export.add_argument("file", nargs="?", type=Path, metavar="FILE", help="output file (default: stdout)")
    export.set_defaults(func=run_export)
    pin = actions.add_parser("hash-pin", parents=[common], help="print admin.pin_hash for a PIN")
    pin.set_defaults(func=run_hash_pin)
    reset = actions.add_parser("reset-lockout", parents=[common],
                               help="forgive the wrong technician PINs and unlock the PIN pad")
    reset.set_defaults(func=run_reset_lockout)
    rotate = actions.add_parser("rotate", parents=[common],
                                help="make a new signing key; the old public key still verifies")
    rotate.set_defaults(func=run_rotate)


def run_export(args: argparse.Namespace) -> int:
    try:
        data_dir = resolve_data_dir(args)
        public_key = load_or_create_signing_key(data_dir, may_create=not holds_applications(data_dir)).public_key()
    except (CredentialError, ConfigError, OSError) as exc:
        print(f"kiosk keys export: {exc}", file=sys.stderr)
        return 2
    pem = public_key_pem(public_key)
    if args.file is None:
        sys.stdout.write(pem.decode())
    else:
        try:
            args.file.write_bytes(pem)
        except OSError as exc:
            print(f"kiosk keys export: {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"public key (key id {key_id(public_key).hex()}) written to {args.file}", file=sys.stderr)
    return 0


def run_hash_pin(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        pin = getpass.getpass("admin PIN: ")
        if getpass.getpass("again: ") != pin:
            print("kiosk keys hash-pin: the two PINs differ", file=sys.stderr)
            return 2
    else:
        pin = sys.stdin.readline().strip()
    try:
        print(hash_pin(pin))
    except ConfigError as exc:
        print(f"kiosk keys hash-pin: {exc}", file=sys.stderr)
        return 2
    return 0


def run_reset_lockout(args: argparse.Namespace) -> int:
    """Forgive the wrong technician PINs in the data dir's database: exit 0 (also when there were none),
    2 when there is no database or it cannot be written."""
    from kiosk.store import Store, StoreError
    from kiosk.store.pin_attempts import PinAttempts

    try:
        with Store.open(resolve_data_dir(args), create=False) as store:
            forgiven = PinAttempts(store).reset(by="kiosk keys reset-lockout")
    except (ConfigError, StoreError, OSError) as exc:
        print(f"kiosk keys reset-lockout: {exc}", file=sys.stderr)
        return 2
    if forgiven:
        print(f"technician PIN pad unlocked: {forgiven} wrong PIN(s) in a row forgiven (audited)")
    else:
        print("technician PIN pad was not locked: no wrong PINs to forgive (audited)")
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    """Retire the current signing key (public half kept for verifying) and make a new one; audited."""
    from kiosk.store import DB_FILE_NAME, Store, StoreError

    try:
        data_dir = resolve_data_dir(args)
        old, new = rotate_signing_key(data_dir)
    except (CredentialError, ConfigError, OSError) as exc:
        print(f"kiosk keys rotate: {exc}", file=sys.stderr)
        return 2
    old_id, new_id = key_id(old).hex(), key_id(new).hex()
    if (data_dir / DB_FILE_NAME).is_file():
        try:
            with Store.open(data_dir, create=False) as store:
                store.append_audit("keys.rotated", "qr-signing-key", {"retired": old_id, "current": new_id})
        except StoreError as exc:
            print(f"kiosk keys rotate: the key was rotated but not audited: {exc}", file=sys.stderr)
            return 1
    print(f"signing key rotated: new key id {new_id}; retired key id {old_id} still verifies "
          f"({len(retired_public_keys(data_dir))} retired). A running kiosk signs with the new key after a "
          "restart; give verifiers the new public key (`kiosk keys export`).")
    return 0

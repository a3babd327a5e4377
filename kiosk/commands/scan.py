"""`kiosk scan --image PHOTO [--json]` (contract): the 扫码查询 of the document camera, from a photo.

Reads the QR code in the photo (zxing-cpp first, OpenCV as the fallback: kiosk.camera.codes),
verifies its signature with this kiosk's keys (the current one and every retired one, as `kiosk
verify` does), prints the verified claims and the application's status: from the local database
(masked holder, decision, whether the slip printed) and, when the hall has answered (the
`hall_status` table the sync adds), the hall's state too. Exit 0 when the QR verifies; exit 1 when
the photo holds no readable QR or its signature does not hold; exit 2 when the photo cannot be read
or the kiosk has no keys.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.commands.photo import PhotoError, read_photo
from kiosk.commands.verify import LABELS
from kiosk.config import ConfigError, resolve_data_dir
from kiosk.credentials import PREFIX, CredentialError, known_public_keys, verify_credential


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("scan", parents=[common], help="verify the QR in a photo and show its status",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--image", type=Path, required=True, metavar="PHOTO", help="a photo showing the slip's QR")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.camera.codes import read_codes

    try:
        data_dir = resolve_data_dir(args)
        keys = known_public_keys(data_dir)
    except ConfigError as exc:
        print(f"kiosk scan: {exc}", file=sys.stderr)
        return 2
    if not keys:
        print(f"kiosk scan: no signing key in {data_dir} (it is made on the kiosk's first run)", file=sys.stderr)
        return 2
    try:
        frame = read_photo(args.image)
    except PhotoError as exc:
        print(f"kiosk scan: {exc}", file=sys.stderr)
        return 2
    texts = read_codes(frame)
    if not texts:
        return _fail(args, "no_qr", "照片里没有读到二维码：请把凭证上的二维码正对镜头，离近一些，避免反光")
    text = next((t for t in texts if t.upper().startswith(PREFIX)), texts[0])
    try:
        claims = verify_credential(text, keys).to_dict()
    except CredentialError as exc:
        return _fail(args, "not_verified", f"二维码验证不通过，不是本大厅签发的凭证，或已被改动：{exc}")
    local, hall = local_status(data_dir, str(claims["number"]))
    if args.json:
        print(json.dumps({"valid": True, "claims": claims, "local": local, "hall": hall}, ensure_ascii=False))
        return 0
    print("VALID: 二维码签名有效 (the signature holds)")
    for key, label in LABELS:
        print(f"  {label}: {claims[key] if claims.get(key) is not None else '长期 none'}")
    if local is None:
        print("  本机状态 local: 本机没有这份申请的记录 (not recorded on this kiosk)")
    else:
        print(f"  本机状态 local: {local['status']}；{local['printed']}"
              f"（申请人 {local['holder_name']} {local['holder_id']}，{local['applied_on']} 申请）")
    if hall is not None:
        shown = "，".join(f"{key} {value}" for key, value in hall.items() if value not in (None, ""))
        print(f"  大厅状态 hall: {shown or '—'}")
    return 0


def _fail(args: argparse.Namespace, code: str, reason: str) -> int:
    if args.json:
        print(json.dumps({"valid": False, "code": code, "reason": reason}, ensure_ascii=False))
    else:
        print(f"INVALID: {reason}")
    return 1


def local_status(data_dir: Path, number: str) -> tuple[dict[str, str] | None, dict[str, Any] | None]:
    """The masked local status of `number` and the hall's row for it (None when either is absent).
    Opens the database read-only in spirit: nothing is written, and a missing database is not made."""
    from kiosk.reprint_policy import holder_status
    from kiosk.store import Store
    from kiosk.store.errors import StoreError

    try:
        store = Store.open(data_dir, create=False)
    except StoreError:
        return None, None
    with store:
        record = store.find_application(number)
        if record is None:
            return None, _hall_row(store, number)
        states = [row["state"] for reference in {record.receipt_no, record.licence_no} if reference
                  for row in sorted(store.print_jobs_for(reference), key=lambda r: r["id"])]
        status = holder_status(
            number=number, holder_name=record.applicant_name, holder_id_masked=record.applicant_id_masked,
            service=record.service, created_at=record.created_at, decided_at=record.decided_at,
            decision=record.decision, purged=record.purged_at is not None,
            last_job_state=states[-1] if states else None)
        return status.to_dict(), _hall_row(store, number)


def _hall_row(store: Any, number: str) -> dict[str, Any] | None:
    """The hall's last word on `number` from the sync's `hall_status` table, if it exists and has one."""
    columns = [row["name"] for row in store.select("PRAGMA table_info(hall_status)")]
    if "number" not in columns:
        return None
    rows = store.select("SELECT * FROM hall_status WHERE number = ?", (number,))
    if not rows:
        return None
    return {key: value for key, value in rows[0].items() if key != "number"}

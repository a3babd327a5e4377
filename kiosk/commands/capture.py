"""`kiosk capture --image PHOTO --out PAGE.png [--json]` (contract): the document camera's pipeline on
a photo of a page lying on a desk.

Writes the flattened page (outline found, perspective corrected, deskewed, contrast normalised) to
PAGE.png and exits 0, printing the confidence and the page's size; exits 1 with the reason (plain
Chinese, and its code) when no page is found; exits 2 when the photo cannot be read or the output
cannot be written. Nothing is stored in the kiosk's database.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.commands.photo import PhotoError, read_photo


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("capture", parents=[common], help="flatten a photo of a page (document camera)",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--image", type=Path, required=True, metavar="PHOTO", help="the photo of a page")
    parser.add_argument("--out", type=Path, required=True, metavar="PAGE.png", help="where the flat page goes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import cv2

    from kiosk.camera.page import flatten_page

    try:
        frame = read_photo(args.image)
    except PhotoError as exc:
        print(f"kiosk capture: {exc}", file=sys.stderr)
        return 2
    result = flatten_page(frame)
    if not result.found or result.page is None:
        if args.json:
            print(json.dumps({"found": False, "code": result.code, "reason": result.reason,
                              "confidence": result.confidence}, ensure_ascii=False))
        else:
            print(f"没有找到材料页 ({result.code})：{result.reason}", file=sys.stderr)
        return 1
    out = Path(args.out)
    if out.suffix.lower() != ".png":
        out = out.with_suffix(out.suffix + ".png") if out.suffix else out.with_suffix(".png")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        ok, data = cv2.imencode(".png", result.page)
        if not ok:
            raise OSError("PNG encoding failed")
        out.write_bytes(data.tobytes())
    except OSError as exc:
        print(f"kiosk capture: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    height, width = result.page.shape[:2]
    if args.json:
        print(json.dumps({"found": True, "out": str(out), "width": width, "height": height,
                          "confidence": result.confidence, "skew_deg": result.skew_deg}, ensure_ascii=False))
    else:
        print(f"材料页已写入 {out}（{width}x{height}，可信度 {result.confidence:.2f}，纠偏 {result.skew_deg:+.2f}°）")
    return 0

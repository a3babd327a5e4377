"""一码通行 figures: how big a business's code is, and whether it still reads from print; prints figures.

    .venv/bin/python bench/bench_onecode.py [--dir /tmp]

1. Every business of the demo registry (forms.demo_registry on the suite's day): permits, signed bytes
   (body + 64-byte signature), QR text characters (Base45), QR version at ECC M, printed width on the
   80 mm and 58 mm slips, decoded with zxing-cpp from the printer's own PNG preview (full and half
   resolution, a phone at arm's length).
2. The real path, as processes: `kiosk apply` renews 悦来宾馆's licence (the largest business in the demo
   data after it), its slip's receipt.png is decoded and both codes measured — the licence's own code is
   the bare baseline beside the business code, with the ratio of their bytes.
3. How far it scales: N synthetic permits of demo-like length (two offices), to show where the code
   passes MAX_BUSINESS_VERSION (kiosk.credentials.qr: the largest printed) and the printer's QR limit.
4. One business with many approved licences of its own in a real store (the soak's headless phase: one
   business, thousands of 秒批): CPU of `business_claims` (every approved licence builds one for its slip)
   against N, with the registry's look-up of the business alone as the bare baseline beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from figures import report
from PIL import Image

from forms.demo_registry import demo_registry
from kiosk.credentials import BusinessClaims, Permit, b45decode, issue_credential, make_qr
from kiosk.credentials.business import KIND_BUSINESS
from kiosk.credentials.claims import Claims
from kiosk.credentials.qr import MAX_BUSINESS_VERSION, MAX_LICENCE_VERSION, decode_qr_image, decode_with_zxing
from kiosk.onecode import business_claims
from printers.lines import QrTooLargeError, qr_byte_mode_modules, qr_module_size
from printers.model import QrCode, Receipt
from printers.preview import render_preview
from printers.profiles import get_profile

DAY = dt.date(2026, 11, 21)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
DOTS_PER_MM = 8  # 203 dpi thermal heads


def measure(text: str) -> dict:
    code = make_qr(text)
    return {"bytes": len(b45decode(text[4:])), "chars": len(text), "version": code.version,
            "modules": code.symbol_size(border=0)[0]}


def reads(text: str, profile_name: str) -> tuple[bool, bool, float, float]:
    """(decoded at print resolution, decoded at half, printed width mm, module mm) from the printer's
    preview; (False, False, 0, 0) when the printer cannot print it at all."""
    profile = get_profile(profile_name)
    try:
        image = render_preview(Receipt((QrCode(text),)), profile, show_cuts=False).convert("L")
    except QrTooLargeError:
        return False, False, 0.0, 0.0
    full = np.asarray(image)
    half = np.asarray(image.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR))
    dots = _module_dots(text, profile)
    width_mm = measure(text)["modules"] * dots / DOTS_PER_MM
    return text in decode_with_zxing(full), text in decode_with_zxing(half), width_mm, dots / DOTS_PER_MM


def _module_dots(text: str, profile) -> int:
    """Dots per module the slip uses (sized as the printer's byte-mode code, at worst: printers.lines)."""
    return qr_module_size(qr_byte_mode_modules(len(text.encode())), profile)


def row(label: str, permits: int, text: str) -> None:
    m = measure(text)
    r80 = reads(text, "generic-80")
    r58 = reads(text, "generic-58")
    print(f"  {label:<26} permits {permits:>2}  bytes {m['bytes']:>4}  chars {m['chars']:>4}  "
          f"version {m['version']:>2} ({m['modules']}x{m['modules']})  "
          f"80mm {r80[2]:4.1f} mm ({r80[3]:.3g} mm/module) read {_yes(r80[0])}/{_yes(r80[1])}  "
          f"58mm {r58[2]:4.1f} mm ({r58[3]:.3g}) read {_yes(r58[0])}/{_yes(r58[1])}")


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def demo_businesses() -> None:
    print("1. demo registry businesses (read = zxing-cpp at print resolution / at half resolution)")
    registry = demo_registry(DAY)
    for business in registry.businesses:
        claims = business_claims(registry, None, business.uscc, today=DAY, kiosk_id="K01")
        row(business.name[:12], len(claims.permits), issue_credential(claims, KEY))


def real_slip(work: Path) -> None:
    print("2. real slip: `kiosk apply` renews 悦来宾馆's licence; receipt.png decoded (zxing-cpp, then OpenCV)")
    (work / "answers.json").write_text(json.dumps(
        {"staff_count": 6, "staff_health_certified": 6, "staff_trained": 6, "conditions_changed": "否"}))
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "apply", "--service", "public-place-health-permit-renewal", "--card",
         "elderly", "--answers", str(work / "answers.json"), "--data-dir", str(work / "data"), "--out",
         str(work / "out"), "--json"], capture_output=True, text=True, env={**os.environ, "KIOSK_TODAY": str(DAY)},
        check=False)
    if done.returncode != 0:
        print(f"  kiosk apply failed: {done.stderr.strip()}")
        return
    texts = decode_qr_image(work / "out" / "receipt.png")
    business = [t for t in texts if b45decode(t[4:])[1] == KIND_BUSINESS]
    licence = [t for t in texts if t not in business]
    print(f"  codes decoded from receipt.png: {len(texts)}")
    if business and licence:
        b, lic = measure(business[0]), measure(licence[0])
        print(f"  licence code (baseline)  bytes {lic['bytes']:>4}  version {lic['version']}")
        print(f"  business code            bytes {b['bytes']:>4}  version {b['version']}  "
              f"ratio {b['bytes'] / lic['bytes']:.2f}x bytes")
        report("一码通行 business code on the real slip", b["bytes"], "bytes", ratio=b["bytes"] / lic["bytes"],
               ratio_to="the licence's own code")
    verify = subprocess.run([sys.executable, "-m", "kiosk", "verify", business[0], "--data-dir", str(work / "data")],
                            capture_output=True, text=True, env={**os.environ, "KIOSK_TODAY": str(DAY)}, check=False)
    print(f"  kiosk verify exit {verify.returncode}:")
    for line in verify.stdout.splitlines():
        print(f"    {line}")


def scaling() -> None:
    print(f"3. scaling: N demo-like permits (two offices); a licence code's limit is version {MAX_LICENCE_VERSION}, "
          f"a business code is printed up to version {MAX_BUSINESS_VERSION}")
    offices = ("铜梁区卫生健康委员会", "铜梁区市场监督管理局")
    last_within = 0
    for count in (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30):
        permits = tuple(Permit("食品经营许可证" if i % 2 else "公共场所卫生许可证",
                               f"JY2500151202{i:06d}" if i % 2 else f"铜卫公证字〔2026〕第{i:06d}号",
                               offices[i % 2], DAY + dt.timedelta(days=365 * 4)) for i in range(count))
        text = issue_credential(BusinessClaims("92500151MA5U7Q2N3R", "铜梁区悦来宾馆", DAY, "K01", permits), KEY)
        m = measure(text)
        if m["version"] <= MAX_BUSINESS_VERSION:
            last_within = count
        r80, r58 = reads(text, "generic-80"), reads(text, "generic-58")
        print(f"  N={count:>2}  bytes {m['bytes']:>4}  version {m['version']:>2}  "
              + "  ".join(f"{name} " + (f"{r[2]:4.1f} mm ({r[3]:.3g} mm/module) read {_yes(r[0])}/{_yes(r[1])}"
                                        if r[2] else "does not print (over the printer's QR limit)")
                          for name, r in (("80mm", r80), ("58mm", r58))))
    print(f"  most permits within version {MAX_BUSINESS_VERSION} (printed): {last_within} (of the sizes tried)")
    report(f"一码通行 most permits within QR version {MAX_BUSINESS_VERSION}", last_within, "permits")


def one_business(work: Path, sizes: tuple[int, ...] = (100, 1000, 5000)) -> None:
    """business_claims among N approved licences of the business itself (what the store holds for it)."""
    import time

    from kiosk.store import Store
    from kiosk.store.paperwork import add_paperwork
    from kiosk.store.registry_view import StoreRegistry, registry_records

    print("4. one business, N approved licences of its own in the store: CPU per business_claims "
          "(baseline: the registry's look-up of the business alone)")
    registry = demo_registry(DAY)
    uscc = "92500151MA5UBL3K3E"  # 张伟理发店: the soak's business
    with Store.open(work / "one-business") as store:
        store.seed_registry(registry_records(registry.businesses, registry.licences, registry.persons))
        view = StoreRegistry(store)
        made = 0
        for size in sizes:
            with store.transaction():
                for n in range(made, size):
                    number = f"铜卫公证字〔2026〕第{n + 1:06d}号"
                    qr = issue_credential(Claims("licence", number, "public-place-health-permit", "张*", DAY,
                                                 DAY + dt.timedelta(days=1460), "铜梁区卫生健康委员会", "K01"), KEY)
                    app = store.add_application(service="public-place-health-permit", state="submitted",
                                                decision="approved", answers={"uscc": uscc, "staff_count": 3},
                                                licence_no=number, applicant_name="张伟")
                    add_paperwork(store, app.id, ["licence"], json.dumps(
                        {"version": 1, "context": {"qr_text": qr, "licence": {"title": "公共场所卫生许可证"}}},
                        ensure_ascii=False))
            made = size
            timings = {}
            for name, call in (("business_claims", lambda: business_claims(view, store, uscc, today=DAY,
                                                                            kiosk_id="K01")),
                               ("registry look-up", lambda: view.business(uscc))):
                call()
                started = time.process_time()
                for _ in range(20):
                    call()
                timings[name] = (time.process_time() - started) / 20 * 1000
            ratio = timings["business_claims"] / timings["registry look-up"]
            print(f"  N={size:>5}  business_claims {timings['business_claims']:7.2f} ms CPU  registry look-up "
                  f"{timings['registry look-up']:.3f} ms  ratio {ratio:.0f}x")
            report(f"一码通行 business_claims with {size} licences of the business", timings["business_claims"],
                   "ms CPU", goal="<= 10 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    demo_businesses()
    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        real_slip(Path(work))
    scaling()
    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        one_business(Path(work))


if __name__ == "__main__":
    main()

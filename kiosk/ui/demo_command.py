"""`kiosk demo [--headless] [--out DIR] [--orientation portrait|landscape] [--fullscreen] [--no-voice]
[--startup-probe]`.

Without --headless: opens the touchscreen window with every device simulated (demo drawer behind the
corner button "演示"). When no display is available (no DISPLAY / WAYLAND_DISPLAY and no explicit
QT_QPA_PLATFORM), it says so and runs the headless player instead.

--headless: plays the main scenarios through the real QML app offscreen and writes a screenshot of every
step (portrait and landscape, elder mode included), the application PDFs and the receipt previews under
--out (default: ./kiosk-demo), then walks the personas (young, elder, foreign, minor, paper-out,
cancel-midway; kiosk.ui.personas) and writes their figures to OUT/walks.json (contract: per persona
touches, typed_chars, card_to_form_s, min_text_px, min_target_px, min_contrast, and for the foreign
persona han_on_english_screens), then prints where they are. Exit 0 when every scenario reached its end.
--startup-probe (contract for timing from outside, bench/bench_start.py): the normal start path, which
prints the line `start-screen` the moment the start screen's first frame is shown, then `services-ready`
when the catalog and devices are usable, then exits 0.
The demo uses its own data dir (the configured one unless --data-dir; the headless run uses OUT/data).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_OUT = Path("kiosk-demo")


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("demo", parents=[common], help="run the touchscreen with simulated devices",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--headless", action="store_true",
                        help="play the scenarios offscreen and write screenshots, PDFs and receipts")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help=f"where the headless run writes (default: ./{DEFAULT_OUT})")
    parser.add_argument("--orientation", choices=("portrait", "landscape"), default=None,
                        help="window layout (default: the configuration's); headless plays both")
    parser.add_argument("--fullscreen", action="store_true", help="fullscreen without decorations")
    parser.add_argument("--no-voice", action="store_true", help="do not speak in elder mode")
    parser.add_argument("--startup-probe", action="store_true",
                        help="start as usual, print `start-screen` when the start screen's first frame is "
                             "shown and `services-ready` when the catalog and devices are usable, exit 0")
    parser.set_defaults(func=run)


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


def run(args: argparse.Namespace) -> int:
    if not args.headless and not _has_display():
        out = args.out or DEFAULT_OUT
        print(f"kiosk demo: no display available (DISPLAY and WAYLAND_DISPLAY are not set); "
              f"running `kiosk demo --headless --out {out}` instead.", file=sys.stderr)
        args.headless, args.out = True, out
    if args.headless:
        return _headless((args.out or DEFAULT_OUT).resolve(), args.orientation)
    from kiosk.ui.app import launch, load_services

    # The window shows first; the configuration and the devices load on a worker thread meanwhile.
    return launch(lambda: load_services(lambda: demo_configuration(args)), orientation=args.orientation,
                  fullscreen=args.fullscreen, voice_enabled=not args.no_voice, demo=True,
                  probe=_print_line if args.startup_probe else None)


def _print_line(line: str) -> None:
    print(line, flush=True)


def demo_configuration(args: argparse.Namespace):
    """`--config` if given (forced into demo mode), else the demo configuration; `--data-dir` wins."""
    from kiosk.config import config_from_args, demo_config

    data_dir = getattr(args, "data_dir", None)
    config = config_from_args(args) if getattr(args, "config", None) else demo_config(data_dir)
    return config.model_copy(update={"demo": True})


def _headless(out: Path, orientation: str | None) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    from kiosk.ui.driver import DriverError
    from kiosk.ui.personas import PERSONAS
    from kiosk.ui.player import ORIENTATIONS, WALKS_JSON, PlayerError, play

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"kiosk demo: cannot create {out}: {exc}", file=sys.stderr)
        return 2
    try:
        result = play(out, (orientation,) if orientation else ORIENTATIONS, personas=PERSONAS)
    except (DriverError, PlayerError) as exc:
        print(f"kiosk demo: a scenario did not finish: {exc}", file=sys.stderr)
        return 1
    print(f"screenshots: {len(result.screenshots)} in {out / 'portrait'} and {out / 'landscape'}")
    print(f"PDFs:        {len(result.pdfs)} in {out / 'pdfs'}")
    print(f"receipts:    {len(result.receipts)} in {out / 'receipts'}")
    print(f"walks:       {len(result.walks) - 1} personas in {out / WALKS_JSON} (screenshots in {out / 'personas'})")
    return 0

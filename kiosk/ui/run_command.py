"""`kiosk run [--windowed] [--no-voice]`: the kiosk in the hall, with the configured devices.

Reads the configuration (`--config FILE`, else the platform's config.toml; with neither it refuses:
a hall kiosk must not start on the demo by accident — use `kiosk demo` for that), then opens the
touchscreen fullscreen without decorations (cursor hidden when `display.hide_cursor`). The only way
out is the technician panel. A configuration error stops it at once with the key and the reason.
"""

from __future__ import annotations

import argparse
import os
import sys

from kiosk.config import ConfigError, config_from_args, default_config_path


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("run", parents=[common], help="run the kiosk with the configured devices",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of fullscreen")
    parser.add_argument("--no-voice", action="store_true", help="do not speak in elder mode")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "config", None) is None and not default_config_path().is_file():
        print(f"kiosk run: no configuration (give --config FILE or write {default_config_path()}); "
              "`kiosk demo` runs the offline demo", file=sys.stderr)
        return 2
    try:
        config = config_from_args(args)
    except ConfigError as exc:
        print(f"kiosk run: {exc}", file=sys.stderr)
        return 2
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        print("kiosk run: no display available (DISPLAY and WAYLAND_DISPLAY are not set)", file=sys.stderr)
        return 2
    from kiosk.ui.app import run_ui

    config_path = getattr(args, "config", None) or default_config_path()  # the panel saves its changes there
    return run_ui(config, fullscreen=not args.windowed, voice_enabled=not args.no_voice, config_path=config_path)

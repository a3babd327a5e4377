"""Device addresses that cannot work are refused when the configuration loads, not when a device opens.

Each check returns nothing for a usable address and raises `DeviceAddressError` (a ValueError, so the
configuration's validators turn it into `devices.printer: <reason>`) saying what is wrong:

- reader (`check_reader_url`): `idreader.ports.parse_reader_url` (options, baud rate), then a pyserial
  URL's scheme must be one pyserial has (socket://, rfc2217://, loop://, ...), socket:// and
  rfc2217:// need HOST:PORT, and sim:// cards must be demo card names or existing files.
- printer (`check_printer_url`): `printers.url.parse_printer_url`, then the profile must exist, the
  width must suit it (a multiple of 8 from 96 to `MAX_PRINTER_WIDTH_DOTS`), `mode=text` needs a profile
  with a Chinese font, `timeout` must be finite, and serial:// carries a port pyserial can open.
- camera (`check_camera`): `sim://`, `none` (no camera), a device index 0-99, or an existing video file or
  image folder.

A port or device that is absent right now (a USB reader not plugged in yet) is not refused here:
`kiosk doctor` and the technician panel report devices that do not answer.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from urllib.parse import urlsplit

from idreader import demo_cards
from idreader.errors import ReaderUrlError
from idreader.ports import parse_reader_url
from printers.errors import PrinterError, PrinterUrlError
from printers.profiles import DEFAULT_PROFILE, get_profile
from printers.url import parse_printer_url

#: The widest print head supported (112 mm paper is 832 dots); wider is a typo, not a printer.
MAX_PRINTER_WIDTH_DOTS = 1024
MAX_CAMERA_INDEX = 99
_HOST_PORT_SCHEMES = ("socket", "rfc2217")


class DeviceAddressError(ValueError):
    """A device address that cannot work; the message says why."""


class PrinterAddressError(DeviceAddressError, PrinterUrlError):
    """A printer address that cannot work (also a PrinterUrlError, which `--printer URL` callers catch)."""


def check_reader_url(url: str) -> None:
    """Refuse a reader address that cannot work (see the module docstring)."""
    try:
        address = parse_reader_url(url)
    except ReaderUrlError as exc:
        raise DeviceAddressError(str(exc)) from None
    if address.simulated:
        for card in address.cards:
            if card not in demo_cards.NAMES and not Path(card).is_file():
                raise DeviceAddressError(f"{url}: card {card!r} is neither a demo card "
                                         f"({', '.join(demo_cards.NAMES)}) nor a file")
        if address.hold_seconds is not None and not (math.isfinite(address.hold_seconds)
                                                     and address.hold_seconds >= 0):
            raise DeviceAddressError(f"{url}: hold must be a number of seconds, 0 or more")
        return
    problem = pyserial_target_problem(address.target)
    if problem:
        raise DeviceAddressError(f"{url}: {problem}")


def check_printer_url(url: str) -> None:
    """Refuse a printer address that cannot work (see the module docstring)."""
    try:
        parsed = parse_printer_url(url)
        profile = get_profile(parsed.profile or DEFAULT_PROFILE, parsed.width)
    except PrinterError as exc:
        raise PrinterAddressError(f"{url.strip()}: {exc}") from None
    if profile.width_dots > MAX_PRINTER_WIDTH_DOTS:
        raise PrinterAddressError(f"{url.strip()}: width={profile.width_dots} dots is wider than any receipt "
                                 f"printer (at most {MAX_PRINTER_WIDTH_DOTS}; 384 for 58 mm, 576 for 80 mm)")
    if parsed.mode == "text" and not profile.chinese_font:
        raise PrinterAddressError(f"{url.strip()}: mode=text needs a printer with a Chinese font and profile "
                                 f"{profile.name} has none; use mode=raster")
    if parsed.timeout is not None and not math.isfinite(parsed.timeout):
        raise PrinterAddressError(f"{url.strip()}: timeout must be a finite number of seconds")
    if parsed.scheme == "serial":
        problem = pyserial_target_problem(parsed.target)
        if problem:
            raise PrinterAddressError(f"{url.strip()}: {problem}")


def check_camera(value: str) -> None:
    """Refuse a camera address that cannot work (see the module docstring)."""
    text = value.strip()
    if text in ("sim://", "none"):
        return
    if text.isascii() and text.isdigit():
        if int(text) > MAX_CAMERA_INDEX:
            raise DeviceAddressError(f"{text}: a camera device index is 0 to {MAX_CAMERA_INDEX}")
        return
    if "://" in text:
        raise DeviceAddressError(f"{text!r} is not a camera address: use a device index (0), a video file "
                                 "or image folder, sim://, or none")
    if not Path(text).exists():
        raise DeviceAddressError(f"{text}: no such video file or image folder")


def pyserial_target_problem(target: str) -> str | None:
    """What makes a pyserial URL or port name unusable, or None (absent ports are not checked)."""
    if not target.strip():
        return "no serial port given"
    if "://" not in target:
        return None  # a port name: /dev/ttyUSB0, COM3
    scheme = target.split("://", 1)[0].lower()
    if not scheme.isidentifier() or importlib.util.find_spec(f"serial.urlhandler.protocol_{scheme}") is None:
        return f"{scheme}:// is not a serial URL pyserial knows (socket://, rfc2217://, loop://, hwgrep://, ...)"
    if scheme in _HOST_PORT_SCHEMES:
        try:
            parts = urlsplit(target)
            port = parts.port
        except ValueError:
            return f"{target}: the port must be a number from 1 to 65535"
        if not parts.hostname or not port:
            return f"{target}: needs HOST:PORT, e.g. {scheme}://192.168.1.60:7001"
    return None

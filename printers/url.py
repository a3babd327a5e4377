"""The printer URL parser: one place that turns a configured printer address into a PrinterUrl.

Accepted forms (the device-address contract in DESIGN.md):

    tcp://HOST[:PORT]                raw TCP ("JetDirect", port 9100 by default)
    serial://PORT?baudrate=115200     PORT is handed to serial.serial_for_url as is: serial:///dev/ttyS1,
                                      serial://COM3, serial://loop://, serial://socket://host:7000
    usb://0x0416:0x5011               USB vendor:product ids (hex with 0x, or decimal)
    file:///dev/usb/lp0              a device file (or any file) written raw
    cups://QUEUE                      a raw job through CUPS (`lp -d QUEUE -o raw`)
    sim://                            the in-process printer emulator (PNG previews)

Options (query string) for every scheme:
    profile=NAME     printer capability profile (printers.profiles)
    width=576|384    paper width in dots (overrides the profile)
    mode=text|raster ESC/POS rendering mode
    timeout=SECONDS  connect timeout (tcp://), overriding the default
and for serial:// also baudrate=N, rtscts=0|1, xonxoff=0|1, dsrdtr=0|1.
Unknown options are refused so a typo does not pass silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from printers.errors import PrinterUrlError

SCHEMES = ("tcp", "serial", "usb", "file", "cups", "sim")
DEFAULT_TCP_PORT = 9100
DEFAULT_BAUDRATE = 9600
MODES = ("text", "raster")
COMMON_OPTIONS = frozenset({"profile", "width", "mode", "timeout"})
SERIAL_OPTIONS = frozenset({"baudrate", "rtscts", "xonxoff", "dsrdtr"})
SCHEME_OPTIONS: dict[str, frozenset[str]] = {"serial": SERIAL_OPTIONS}


@dataclass(frozen=True)
class PrinterUrl:
    """A parsed printer address. ``target`` is the scheme-specific part (host, port name, path, queue)."""

    scheme: str
    target: str
    host: str = ""
    port: int = 0
    vendor_id: int = 0
    product_id: int = 0
    profile: str | None = None
    width: int | None = None
    mode: str | None = None
    timeout: float | None = None
    baudrate: int = DEFAULT_BAUDRATE
    rtscts: bool = False
    xonxoff: bool = False
    dsrdtr: bool = False
    raw: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.raw or f"{self.scheme}://{self.target}"


def _positive_int(name: str, value: str) -> int:
    try:
        number = int(value, 0)
    except ValueError:
        raise PrinterUrlError(f"printer URL option {name}={value!r} is not a whole number") from None
    if number <= 0:
        raise PrinterUrlError(f"printer URL option {name}={value!r} must be positive")
    return number


def _flag(name: str, value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise PrinterUrlError(f"printer URL option {name}={value!r} must be 0 or 1")


def _options(scheme: str, query: str) -> dict[str, object]:
    allowed = COMMON_OPTIONS | SCHEME_OPTIONS.get(scheme, frozenset())
    parsed: dict[str, object] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise PrinterUrlError(f"unknown printer URL option {name!r} for {scheme}:// (allowed: {known})")
        if name == "profile":
            if not value:
                raise PrinterUrlError("printer URL option profile= is empty")
            parsed[name] = value
        elif name == "mode":
            if value not in MODES:
                raise PrinterUrlError(f"printer URL option mode={value!r} must be one of {MODES}")
            parsed[name] = value
        elif name in ("width", "baudrate"):
            parsed[name] = _positive_int(name, value)
        elif name == "timeout":
            try:
                seconds = float(value)
            except ValueError:
                raise PrinterUrlError(f"printer URL option timeout={value!r} is not a number") from None
            if not seconds > 0:
                raise PrinterUrlError(f"printer URL option timeout={value!r} must be positive")
            parsed[name] = seconds
        else:
            parsed[name] = _flag(name, value)
    return parsed


def _host_port(target: str) -> tuple[str, int]:
    if not target:
        raise PrinterUrlError("tcp:// printer URL needs a host, e.g. tcp://192.168.1.50:9100")
    if target.startswith("["):  # [IPv6]:port
        host, _, rest = target[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif target.count(":") == 1:
        host, _, port_text = target.partition(":")
    else:
        host, port_text = target, ""
    if not host:
        raise PrinterUrlError(f"tcp:// printer URL {target!r} has no host")
    if not port_text:
        return host, DEFAULT_TCP_PORT
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise PrinterUrlError(f"tcp:// printer URL port {port_text!r} is not a port number (1-65535)")
    return host, int(port_text)


def _usb_ids(target: str) -> tuple[int, int]:
    vendor, sep, product = target.partition(":")
    if not sep:
        raise PrinterUrlError(
            f"usb:// printer URL needs VENDOR:PRODUCT ids, e.g. usb://0x0416:0x5011, not {target!r}")
    try:
        ids = int(vendor, 0), int(product, 0)
    except ValueError:
        raise PrinterUrlError(
            f"usb:// printer URL ids {target!r} are not numbers (use 0x0416:0x5011)") from None
    if not all(0 <= i <= 0xFFFF for i in ids):
        raise PrinterUrlError(f"usb:// printer URL ids {target!r} must be 16-bit")
    return ids


def parse_printer_url(text: str) -> PrinterUrl:
    """Parse a printer URL; raise PrinterUrlError with a clear message when it is not one."""
    text = text.strip()
    scheme, sep, rest = text.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        raise PrinterUrlError(
            f"not a printer URL: {text!r} (expected one of {', '.join(s + '://' for s in SCHEMES)})")
    scheme = scheme.lower()
    # serial:// may carry a whole pyserial URL (loop://, socket://h:p) whose own query we must not eat:
    # the printer options are the query after the last '?'.
    target, _, query = rest.rpartition("?") if "?" in rest else (rest, "", "")
    options = _options(scheme, query)
    fields: dict[str, object] = {"scheme": scheme, "target": target, "raw": text, **options}
    if scheme == "tcp":
        fields["host"], fields["port"] = _host_port(target.rstrip("/"))
    elif scheme == "serial":
        if not target:
            raise PrinterUrlError("serial:// printer URL needs a port, e.g. serial:///dev/ttyS1")
    elif scheme == "usb":
        fields["vendor_id"], fields["product_id"] = _usb_ids(target.rstrip("/"))
    elif scheme == "file":
        if not target.startswith("/"):
            raise PrinterUrlError(
                f"file:// printer URL needs an absolute path, e.g. file:///dev/usb/lp0, not {text!r}")
    elif scheme == "cups":
        target = target.strip("/")
        if not target:
            raise PrinterUrlError("cups:// printer URL needs a queue name, e.g. cups://receipt")
        fields["target"] = target
    return PrinterUrl(**fields)  # type: ignore[arg-type]

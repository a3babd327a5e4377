"""The technician panel's forms as plain data: device addresses built from fields and split back, and the
settings form turned into the dotted config keys `kiosk.config_writer.save_config` takes. Pure logic.

- Reader: a port (from `reader_ports()`, pyserial's list plus `sim://`) or a typed URL, and a baud rate
  (`READER_BAUDRATES`, what idreader supports): `reader_url(port, baudrate)` / `split_reader_url(url)`.
- Printer: a kind (`PRINTER_KINDS`: tcp / serial / usb / cups / sim) with its fields (host and port,
  device and baud rate, vendor:product, queue), a profile, a paper width (58 / 80 mm or the profile's),
  text or raster mode: `printer_url(form)` / `split_printer_url(url)`.
- Settings: `settings_form(config)` (what the page shows) and `settings_changes(form)` (dotted keys),
  refusing what the config model would accept but a hall must not have (an empty hall name).

Every refusal is `FormError` with one line in Chinese and short English naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

READER_BAUDRATES = (115200, 57600, 38400, 19200, 9600)
PRINTER_KINDS = ("tcp", "serial", "usb", "cups", "sim")
PRINTER_KIND_WORDS = {"tcp": "网络 TCP", "serial": "串口 Serial", "usb": "USB", "cups": "CUPS 队列", "sim": "模拟 sim"}
#: Paper widths the panel offers: "" keeps the profile's own width.
PAPER_WIDTHS = {"": "按型号 profile", "384": "58 mm (384)", "576": "80 mm (576)"}
PRINTER_MODES = ("", "text", "raster")
PRINTER_BAUDRATES = (9600, 19200, 38400, 57600, 115200)


class FormError(ValueError):
    """A field the panel refuses; the message names it (Chinese, short English)."""


@dataclass(frozen=True)
class PortChoice:
    """A reader port the panel lists: what goes in the URL and what the technician reads."""

    device: str
    description: str


def reader_ports(comports: list[Any] | None = None) -> list[PortChoice]:
    """The serial ports pyserial sees (`idreader ports`), then the built-in simulator."""
    if comports is None:
        from serial.tools import list_ports

        comports = list(list_ports.comports())
    found = [PortChoice(port.device, f"{port.device} · {port.description}")
             for port in sorted(comports, key=lambda port: port.device)]
    return [*found, PortChoice("sim://", "sim:// · 模拟读卡器 simulator")]


def reader_url(port: str, baudrate: int | str) -> str:
    """The reader address for `port` (a device, a pyserial URL or sim://) at `baudrate`."""
    port = port.strip()
    if not port:
        raise FormError("读卡器端口为空 · the reader port is empty")
    base, _, query = port.partition("?")
    options = [(key, value) for key, value in parse_qsl(query, keep_blank_values=True) if key != "baudrate"]
    rate = int(baudrate)
    if rate not in READER_BAUDRATES:
        raise FormError(f"读卡器波特率 {rate} 不支持 · baud rate must be one of "
                        + ", ".join(str(r) for r in READER_BAUDRATES))
    if not base.lower().startswith("sim:") or rate != READER_BAUDRATES[0]:
        options.append(("baudrate", str(rate)))  # a real port always says its rate
    return base + ("?" + urlencode(options) if options else "")


def split_reader_url(url: str) -> tuple[str, int]:
    """(port, baud rate) of a reader address: the port keeps its other options."""
    base, _, query = url.partition("?")
    rate = READER_BAUDRATES[0]
    rest = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == "baudrate" and value.isdigit():
            rate = int(value)
        else:
            rest.append((key, value))
    return base + ("?" + urlencode(rest) if rest else ""), rate


def printer_url(form: dict[str, Any]) -> str:
    """The printer address from the panel's fields: kind, host/port, device/baudrate, usb, queue,
    profile, width, mode. Checked here for missing fields; `kiosk.device_check` checks the rest."""
    kind = str(form.get("kind", "")).strip()
    text = {key: str(value).strip() for key, value in form.items() if value is not None}
    if kind == "tcp":
        host = text.get("host", "")
        if not host:
            raise FormError("打印机地址为空 · the printer's host is empty")
        port = text.get("port", "") or "9100"
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise FormError(f"打印机端口 {port} 不对（1-65535） · the port must be 1-65535")
        base = f"tcp://{host}:{port}"
    elif kind == "serial":
        device = text.get("device", "")
        if not device:
            raise FormError("打印机串口为空 · the serial device is empty")
        base = f"serial://{device}"
    elif kind == "usb":
        ids = text.get("usb", "")
        if not ids:
            raise FormError("USB 编号为空（如 0x0416:0x5011） · the USB vendor:product is empty")
        base = f"usb://{ids}"
    elif kind == "cups":
        queue = text.get("queue", "")
        if not queue:
            raise FormError("CUPS 队列名为空 · the CUPS queue is empty")
        base = f"cups://{queue}"
    elif kind == "sim":
        base = "sim://"
    else:
        raise FormError(f"打印机类型 {kind!r} 不认识 · unknown printer kind")
    options: list[tuple[str, str]] = []
    if kind == "serial":
        rate = text.get("baudrate", "") or "9600"
        if not rate.isdigit() or int(rate) not in PRINTER_BAUDRATES:
            raise FormError(f"打印机波特率 {rate} 不支持 · baud rate must be one of "
                            + ", ".join(str(r) for r in PRINTER_BAUDRATES))
        options.append(("baudrate", rate))
    for key in ("profile", "width", "mode"):
        if text.get(key):
            options.append((key, text[key]))
    return base + ("?" + urlencode(options) if options else "")


def split_printer_url(url: str) -> dict[str, str]:
    """The panel's fields for a printer address (the inverse of `printer_url` for what it builds)."""
    from printers.url import DEFAULT_BAUDRATE, parse_printer_url

    parsed = parse_printer_url(url)
    options = dict(parse_qsl(url.rpartition("?")[2], keep_blank_values=True)) if "?" in url else {}
    form = {"kind": parsed.scheme, "host": parsed.host, "port": str(parsed.port or ""), "device": "",
            "baudrate": options.get("baudrate", str(DEFAULT_BAUDRATE)), "usb": "", "queue": "",
            "profile": parsed.profile or "", "width": str(parsed.width or ""), "mode": parsed.mode or ""}
    if parsed.scheme == "serial":
        form["device"] = parsed.target
    elif parsed.scheme == "usb":
        form["usb"] = parsed.target.rstrip("/")
    elif parsed.scheme == "cups":
        form["queue"] = parsed.target
    elif parsed.scheme == "file":
        form["kind"], form["device"] = "serial", parsed.target  # shown as a device path
    return form


# --- settings --------------------------------------------------------------------------------------

#: The settings page's fields: form key -> (dotted config key, kind).
SETTINGS_FIELDS: dict[str, tuple[str, str]] = {
    "hallName": ("hall.name", "text"),
    "pickupWindow": ("hall.pickup_window", "text"),
    "language": ("language", "choice"),
    "elderDefault": ("display.elder_mode_default", "bool"),
    "orientation": ("display.orientation", "choice"),
    "retentionDays": ("retention_days", "int"),
    "serviceIdle": ("timeouts.service_idle_s", "seconds"),
    "cardIdle": ("timeouts.card_idle_s", "seconds"),
    "formIdle": ("timeouts.form_idle_s", "seconds"),
    "materialsIdle": ("timeouts.materials_idle_s", "seconds"),
    "resultIdle": ("timeouts.result_idle_s", "seconds"),
    "rateIdle": ("timeouts.rate_idle_s", "seconds"),
    "countdown": ("timeouts.countdown_s", "seconds"),
    "volume": ("speaker.volume", "int"),
}
SETTINGS_LABELS = {
    "hallName": "大厅名称 Hall name", "pickupWindow": "发证窗口 Pickup window",
    "language": "默认语言 Language", "elderDefault": "默认长辈模式 Elder mode",
    "orientation": "屏幕方向 Orientation", "retentionDays": "保留天数 Retention days",
    "serviceIdle": "选事项空闲(秒) Service idle s", "cardIdle": "读卡空闲(秒) Card idle s",
    "formIdle": "填表空闲(秒) Form idle s", "materialsIdle": "材料空闲(秒) Materials idle s",
    "resultIdle": "结果空闲(秒) Result idle s",
    "rateIdle": "评价空闲(秒) Rating idle s", "countdown": "倒计时(秒) Countdown s",
    "volume": "音量 Volume (0-100)",
}
CHOICES = {"language": ("zh", "en"), "orientation": ("portrait", "landscape")}
#: Bounds the panel keeps (the config model only asks for > 0): a 2 s timeout would wipe a visit.
SECONDS_RANGE = (5, 3600)
RETENTION_RANGE = (1, 3650)
#: Settings a running kiosk cannot take at once (the window is laid out, the session made): said so.
RESTART_KEYS = frozenset({"display.orientation"})


def settings_form(config: Any) -> dict[str, Any]:
    """The settings page's values for `config` (strings for text fields, bools for switches)."""
    values: dict[str, Any] = {}
    for name, (dotted, kind) in SETTINGS_FIELDS.items():
        value: Any = config
        for part in dotted.split("."):
            value = getattr(value, part)
        values[name] = value if kind == "bool" else (f"{value:g}" if isinstance(value, float) else str(value))
    return values


def _number(name: str, raw: Any, low: float, high: float, integer: bool) -> float | int:
    label = SETTINGS_LABELS[name]
    text = str(raw).strip()
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        raise FormError(f"{label}：“{text}”不是数字 · not a number") from None
    if not low <= value <= high:
        raise FormError(f"{label}：{text} 超出范围 {low:g}–{high:g} · out of range")
    return value


def settings_changes(form: dict[str, Any]) -> dict[str, Any]:
    """The dotted config keys for the settings form's values, or FormError for the first bad one."""
    changes: dict[str, Any] = {}
    for name, raw in form.items():
        if name not in SETTINGS_FIELDS:
            raise FormError(f"没有设置项 {name!r} · no such setting")
        dotted, kind = SETTINGS_FIELDS[name]
        label = SETTINGS_LABELS[name]
        if kind == "text":
            text = str(raw).strip()
            if not text:
                raise FormError(f"{label} 不能为空 · cannot be empty")
            if len(text) > 40:
                raise FormError(f"{label} 太长（最多 40 字） · at most 40 characters")
            changes[dotted] = text
        elif kind == "choice":
            if raw not in CHOICES[name]:
                raise FormError(f"{label}：{raw!r} 不可选 · must be one of {', '.join(CHOICES[name])}")
            changes[dotted] = raw
        elif kind == "bool":
            changes[dotted] = bool(raw)
        elif kind == "seconds":
            changes[dotted] = float(_number(name, raw, *SECONDS_RANGE, integer=False))
        elif name == "retentionDays":
            changes[dotted] = int(_number(name, raw, *RETENTION_RANGE, integer=True))
        else:
            changes[dotted] = int(_number(name, raw, 0, 100, integer=True))
    return changes

"""The kiosk's typed configuration: one TOML file, checked at start, with the demo defaults.

Where the file comes from (first that applies):
    1. `--config FILE`
    2. `<platform config dir>/config.toml` (platformdirs, appname "miaoban-kiosk"), if it exists
    3. none: the demo configuration (`demo_config`), every device `sim://`, a data dir of its own

A file looks like this (every table and key is optional except `admin.pin_hash` when demo = false):

    language = "zh"                 # zh | en
    demo = false
    data_dir = "/var/lib/miaoban"   # default: the platform's user data dir
    retention_days = 180            # personal fields of older applications are purged (`kiosk purge`)

    [hall]
    name = "铜梁区政务服务中心"
    district_code = "500151"
    licence_prefix = "铜"
    kiosk_id = "K01"
    shop_area_threshold_m2 = 300
    report_max_age_days = 365
    [hall.offices]                  # who issues what: spec `office` keys -> names
    health = "铜梁区卫生健康委员会"

    [devices]
    reader = "/dev/ttyUSB0?baudrate=115200"
    printer = "tcp://192.168.1.50:9100?profile=xprinter-80"   # profile, width, mode: URL options
    camera = "0"

    [timeouts]                      # seconds, measured with time.monotonic()
    form_idle_s = 90

    [display]
    orientation = "portrait"        # portrait (1080x1920) | landscape (1920x1080)
    elder_mode_default = false
    hide_cursor = true

    [admin]
    pin_hash = "scrypt$16384$8$1$<salt>$<hash>"   # from `kiosk keys hash-pin`; never the PIN itself

An invalid file fails at start with `ConfigError`, whose message names the file, the key path
(e.g. `hall.district_code`) and the reason. The PIN is only ever stored as a scrypt hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from forms.settings import HallSettings  # the hall section is the form engine's own model

#: How long a command (kiosk apply, jobs retry, reprint) waits for the printer before it reports the job
#: as pending; the job stays queued and prints when the printer is ready.
PRINT_WAIT_SECONDS = 20.0
APP_NAME = "miaoban-kiosk"
CONFIG_FILE_NAME = "config.toml"
#: The PIN of the demo configuration's admin panel (demo only; a real config carries its own hash).
DEMO_ADMIN_PIN = "2580"

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_PIN_HASH_RE = re.compile(r"^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")


class ConfigError(Exception):
    """The configuration cannot be used: the message names the file, the key path and the reason."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeviceSettings(_Section):
    """Device addresses (DESIGN.md, "Device addresses"): parsed by each device package's own parser when
    the configuration loads, so one that cannot work stops the start with its key (kiosk.device_check)."""

    reader: str = Field("sim://", min_length=1)
    printer: str = Field("sim://", min_length=1)
    camera: str = Field("sim://", min_length=1)

    @field_validator("reader")
    @classmethod
    def _check_reader(cls, value: str) -> str:
        from kiosk.device_check import check_reader_url

        check_reader_url(value)
        return value

    @field_validator("printer")
    @classmethod
    def _check_printer(cls, value: str) -> str:
        from kiosk.device_check import check_printer_url

        check_printer_url(value)
        return value

    @field_validator("camera")
    @classmethod
    def _check_camera(cls, value: str) -> str:
        from kiosk.device_check import check_camera

        check_camera(value)
        return value


class TimeoutSettings(_Section):
    """Idle timeouts per applicant step, in seconds. After the idle time a countdown is shown."""

    service_idle_s: float = Field(60, gt=0)
    card_idle_s: float = Field(60, gt=0)
    form_idle_s: float = Field(90, gt=0)
    materials_idle_s: float = Field(90, gt=0)
    result_idle_s: float = Field(30, gt=0)
    rate_idle_s: float = Field(30, gt=0)
    countdown_s: float = Field(20, gt=0)


class DisplaySettings(_Section):
    """Screen layout and accessibility defaults."""

    orientation: Literal["portrait", "landscape"] = "portrait"
    elder_mode_default: bool = False
    hide_cursor: bool = True

    @property
    def size(self) -> tuple[int, int]:
        """Window size in pixels: 1080x1920 portrait, 1920x1080 landscape."""
        return (1080, 1920) if self.orientation == "portrait" else (1920, 1080)


class AdminSettings(_Section):
    """The technician panel. `pin_hash` is a scrypt hash made by `hash_pin`, never the PIN."""

    pin_hash: str | None = None

    @field_validator("pin_hash")
    @classmethod
    def _check_hash(cls, value: str | None) -> str | None:
        if value is not None and not _PIN_HASH_RE.match(value):
            raise ValueError("not a PIN hash of the form scrypt$N$r$p$salt$hash (make one with "
                             "`kiosk keys hash-pin`; never put the PIN itself in the file)")
        return value


class KioskConfig(_Section):
    """The whole configuration. Build it with `load_config`, `config_from_args` or `demo_config`."""

    language: Literal["zh", "en"] = "zh"
    demo: bool = False
    data_dir: Path | None = None
    retention_days: int = Field(180, ge=1)
    hall: HallSettings = HallSettings()
    devices: DeviceSettings = DeviceSettings()
    timeouts: TimeoutSettings = TimeoutSettings()
    display: DisplaySettings = DisplaySettings()
    admin: AdminSettings = AdminSettings()

    @model_validator(mode="after")
    def _pin_required_outside_demo(self) -> KioskConfig:
        if not self.demo and self.admin.pin_hash is None:
            raise ValueError("admin.pin_hash is required when demo = false (make one with "
                             "`kiosk keys hash-pin`)")
        return self


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """Return a scrypt hash of an admin PIN for `admin.pin_hash`.

    >>> verify_pin("2580", hash_pin("2580"))
    True
    """
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ConfigError("the admin PIN must be 4 to 12 digits")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, pin_hash: str) -> bool:
    """True when `pin` matches `pin_hash` (constant-time comparison)."""
    match = _PIN_HASH_RE.match(pin_hash)
    if not match:
        return False
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    salt, expected = base64.b64decode(match.group(4)), base64.b64decode(match.group(5))
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=len(expected),
                            maxmem=256 * 1024 * 1024)
    return hmac.compare_digest(digest, expected)


def default_config_path() -> Path:
    """`config.toml` in the platform's config dir (it may not exist)."""
    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILE_NAME


def default_data_dir(*, demo: bool) -> Path:
    """The platform's user data dir; the demo keeps its own subfolder so it never mixes with real data."""
    base = platformdirs.user_data_path(APP_NAME)
    return base / "demo" if demo else base


def parse_config(data: dict[str, Any], *, source: str = "<config>") -> KioskConfig:
    """Validate a parsed TOML document. Raises ConfigError naming `source`, the key path and the reason."""
    try:
        return KioskConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = ".".join(str(part) for part in error["loc"]) or "(top level)"
            reason = error["msg"]
            if error["type"] == "extra_forbidden":
                reason = "unknown key"
            elif error["type"] == "value_error":
                reason = reason.removeprefix("Value error, ")
            problems.append(f"{path}: {reason}")
        raise ConfigError(f"{source}: " + "; ".join(problems)) from None


def load_config(path: Path) -> KioskConfig:
    """Read and validate a TOML configuration file. Raises ConfigError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, source=str(path))


def demo_config(data_dir: Path | None = None) -> KioskConfig:
    """The offline demo: every device `sim://`, a data dir of its own, PIN `DEMO_ADMIN_PIN`.

    The caller seeds the registry of a demo store (`Store.seed_registry`) when `config.demo` is true.
    """
    salt = b"miaoban-demo-pin"  # fixed so the demo config is the same value every time
    return KioskConfig(
        demo=True,
        data_dir=data_dir if data_dir is not None else default_data_dir(demo=True),
        devices=DeviceSettings(reader="sim://", printer="sim://", camera="sim://"),
        admin=AdminSettings(pin_hash=hash_pin(DEMO_ADMIN_PIN, salt=salt)),
    )


def config_from_args(args: Any) -> KioskConfig:
    """The configuration for a command: `--config`, else the platform file, else the demo.

    `--data-dir` (args.data_dir) overrides the file's `data_dir`.
    """
    config_path = getattr(args, "config", None)
    if config_path is None and default_config_path().is_file():
        config_path = default_config_path()
    config = load_config(Path(config_path)) if config_path is not None else demo_config()
    data_dir = getattr(args, "data_dir", None)
    if data_dir is not None:
        config = config.model_copy(update={"data_dir": Path(data_dir)})
    return config


def resolve_data_dir(args: Any, config: KioskConfig | None = None) -> Path:
    """Where the database and keys live: `--data-dir`, else `config.data_dir`, else the platform dir.

    With no config, the demo's data dir unless `--config` names a file (then that file's data_dir).
    """
    data_dir = getattr(args, "data_dir", None)
    if data_dir is not None:
        return Path(data_dir)
    if config is None:
        config = config_from_args(args)
    if config.data_dir is not None:
        return Path(config.data_dir)
    return default_data_dir(demo=config.demo)

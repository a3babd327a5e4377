"""The kiosk's typed configuration: one TOML file, checked at start, with the demo defaults.

Where the file comes from (first that applies):
    1. `--config FILE`
    2. `<platform config dir>/config.toml` (platformdirs, appname "miaoban-kiosk"), if it exists
    3. none: the demo configuration (`demo_config`), every device `sim://`, a data dir of its own

A file looks like this (every table and key is optional except `admin.pin_hash` when demo = false;
demo = true without it takes the demo PIN `DEMO_ADMIN_PIN`, 2580):

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
    pickup_window = "1"             # the 发证窗口 where originals are collected (1号发证窗口)
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
    reader_position = "below"       # where the card reader is: below | right | left (the card screen says so)
    elder_mode_default = false
    hide_cursor = true

    [catalog]                       # the technician panel's 事项管理 (kiosk/config_writer.py saves it)
    disabled = ["food_business"]    # spec ids the applicant catalog does not offer on this kiosk

    [speaker]
    volume = 80                     # 0-100: spoken instructions in elder mode

    [admin]
    pin_hash = "scrypt$16384$8$1$<salt>$<hash>"   # from `kiosk keys hash-pin`; never the PIN itself

    [sync]                          # the hall back office (issue 12); without url the kiosk works alone
    url = "http://10.0.0.5:8600"    # the hall server (`python -m hall serve`); https behind a TLS proxy
    token = "…"                     # this kiosk's credential from `python -m hall enrol K01` ([hall] kiosk_id)
    heartbeat_s = 30                # the heartbeat (module states, backlog) that brings the hall's answers
    batch_events = 200              # at most this many events per request (the hall takes up to 500)
    batch_bytes = 4194304           # and at most this many bytes of bodies (the hall takes up to 8 MiB)
    timeout_s = 10                  # one request's timeout

An invalid file fails at start with `ConfigError`, whose message names the file, the key path
(e.g. `hall.district_code`) and the reason; an `admin.pin_hash` that `verify_pin` could not use (bad
base64, scrypt parameters hashlib refuses or that take minutes, a hash under 16 bytes) is one. The PIN
is only ever stored as a scrypt hash.

The configuration is plain data (frozen dataclasses, `model_copy(update=...)` and `model_dump()` as
before); a file is validated by the pydantic schema in `kiosk.config_schema`, imported only when a file
is read, so a command on the demo configuration never imports pydantic (issue 17).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import platformdirs

from forms.settings import HallSettings  # the hall section is the form engine's own model
from kiosk.waits import PRINT_WAIT_SECONDS as PRINT_WAIT_SECONDS  # (kiosk apply's parser reads it there)

APP_NAME = "miaoban-kiosk"
CONFIG_FILE_NAME = "config.toml"
#: The PIN of the demo configuration's admin panel (demo only; a real config carries its own hash).
DEMO_ADMIN_PIN = "2580"
#: `hash_pin(DEMO_ADMIN_PIN, salt=b"miaoban-demo-pin")`, written out so no scrypt runs to load a config:
#: the admin.pin_hash of a demo configuration (demo = true) that has none of its own.
DEMO_PIN_HASH = "scrypt$16384$8$1$bWlhb2Jhbi1kZW1vLXBpbg==$0ZrCEGCFr/tABhBhEQZM0D9a4LKhub+aN7xOJitwkzs="

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
#: What checking a PIN may take: the memory hashlib.scrypt is allowed, and at most 8 times the work of
#: the parameters `hash_pin` writes (a hash that would take minutes per PIN is refused at start).
_SCRYPT_MAXMEM = 256 * 1024 * 1024
_SCRYPT_MAX_WORK = 8 * _SCRYPT_N * _SCRYPT_R * _SCRYPT_P
_PIN_HASH_MIN_BYTES = 16
_PIN_HASH_RE = re.compile(r"^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")


class ConfigError(Exception):
    """The configuration cannot be used: the message names the file, the key path and the reason."""


class _Section:
    """Plain configuration data: frozen dataclasses, with the two pydantic-style helpers callers use."""

    __slots__ = ()

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A copy with `update`'s fields replaced (not validated: pass valid values)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The fields as a dict, sections as dicts; mode="json": paths as text, tuples as lists."""
        return _dump(self, mode == "json", exclude_none)


def _dump(value: Any, json: bool, exclude_none: bool) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name), json, exclude_none) for f in dataclasses.fields(value)
                if not (exclude_none and getattr(value, f.name) is None)}
    if isinstance(value, dict):
        return {key: _dump(item, json, exclude_none) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        items = [_dump(item, json, exclude_none) for item in value]
        return items if json or isinstance(value, list) else tuple(items)
    if json and isinstance(value, Path):
        return str(value)
    return value


_FROZEN = {"frozen": True, "kw_only": True}


@dataclass(**_FROZEN)
class DeviceSettings(_Section):
    """Device addresses (DESIGN.md, "Device addresses"): parsed by each device package's own parser when
    the configuration file loads (kiosk.config_schema), so one that cannot work stops the start with its
    key (kiosk.device_check)."""

    reader: str = "sim://"
    printer: str = "sim://"
    camera: str = "sim://"


@dataclass(**_FROZEN)
class TimeoutSettings(_Section):
    """Idle timeouts per applicant step, in seconds. After the idle time a countdown is shown."""

    service_idle_s: float = 60
    card_idle_s: float = 60
    form_idle_s: float = 90
    materials_idle_s: float = 90
    result_idle_s: float = 30
    rate_idle_s: float = 30
    countdown_s: float = 20


@dataclass(**_FROZEN)
class DisplaySettings(_Section):
    """Screen layout and accessibility defaults."""

    orientation: Literal["portrait", "landscape"] = "portrait"
    #: Where the ID card reader sits on this terminal, seen from the applicant: the card screen points there.
    reader_position: Literal["below", "right", "left"] = "below"
    elder_mode_default: bool = False
    hide_cursor: bool = True
    #: The catalog's 热门 row when this terminal has too few applications of the last 30 days to fill it
    #: (kiosk.services.popular): service ids, most wanted first; ids not in the catalog are skipped.
    hot_items: tuple[str, ...] = (
        "public-place-health-permit", "individual-business-registration", "restaurant-bundle",
        "social-insurance-certificate", "housing-fund-deposit-certificate", "medical-remote-filing",
        "no-criminal-record-certificate", "residence-permit",
    )

    @property
    def size(self) -> tuple[int, int]:
        """Window size in pixels: 1080x1920 portrait, 1920x1080 landscape."""
        return (1080, 1920) if self.orientation == "portrait" else (1920, 1080)


@dataclass(**_FROZEN)
class CatalogSettings(_Section):
    """Which items this kiosk offers: `disabled` spec ids are hidden from the applicant catalog (the
    technician panel's 事项管理). An id the catalog does not have is ignored (an item removed later)."""

    disabled: tuple[str, ...] = ()


@dataclass(**_FROZEN)
class SpeakerSettings(_Section):
    """The speaker: the volume of spoken instructions (elder mode), 0-100."""

    volume: int = 80


@dataclass(**_FROZEN)
class AdminSettings(_Section):
    """The technician panel. `pin_hash` is a scrypt hash made by `hash_pin`, never the PIN."""

    pin_hash: str | None = None


@dataclass(**_FROZEN)
class SyncConfig(_Section):
    """The hall back office (kiosk.sync): where the outbox goes and the kiosk's credential. Both url and
    token, or neither (then the kiosk keeps its outbox and `kiosk sync` says the hall is not configured)."""

    url: str | None = None
    token: str | None = None
    heartbeat_s: float = 30
    batch_events: int = 200
    batch_bytes: int = 4 * 1024 * 1024
    timeout_s: float = 10

    @property
    def configured(self) -> bool:
        return bool(self.url and self.token)


@dataclass(**_FROZEN)
class KioskConfig(_Section):
    """The whole configuration. Build it with `load_config`, `config_from_args` or `demo_config`."""

    language: Literal["zh", "en"] = "zh"
    demo: bool = False
    data_dir: Path | None = None
    retention_days: int = 180
    hall: HallSettings = field(default_factory=HallSettings)
    devices: DeviceSettings = field(default_factory=DeviceSettings)
    timeouts: TimeoutSettings = field(default_factory=TimeoutSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    catalog: CatalogSettings = field(default_factory=CatalogSettings)
    speaker: SpeakerSettings = field(default_factory=SpeakerSettings)
    admin: AdminSettings = field(default_factory=AdminSettings)
    sync: SyncConfig = field(default_factory=SyncConfig)


#: The plain classes by name: `kiosk.config_schema` builds each from its model of the same name.
PLAIN_SECTIONS: dict[str, type] = {cls.__name__: cls for cls in (
    HallSettings, DeviceSettings, TimeoutSettings, DisplaySettings, CatalogSettings, SpeakerSettings,
    AdminSettings, SyncConfig, KioskConfig)}


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


def parse_pin_hash(pin_hash: str) -> tuple[int, int, int, bytes, bytes]:
    """(N, r, p, salt, hash) of an `admin.pin_hash`, or ValueError saying what is wrong with it: the
    shape, base64, or parameters that hashlib.scrypt would refuse (or that would take minutes)."""
    match = _PIN_HASH_RE.match(pin_hash)
    if not match:
        raise ValueError("not a PIN hash of the form scrypt$N$r$p$salt$hash")
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    parts = {}
    for name, group in (("salt", 4), ("hash", 5)):
        try:
            parts[name] = base64.b64decode(match.group(group), validate=True)
        except ValueError:
            raise ValueError(f"the {name} part is not valid base64") from None
    salt, digest = parts["salt"], parts["hash"]
    if n < 2 or n & (n - 1):
        raise ValueError(f"scrypt N = {n} is not a power of 2 greater than 1")
    if r < 1 or p < 1:
        raise ValueError("scrypt r and p must be at least 1")
    if 16 * r < 64 and n >= 1 << (16 * r):
        raise ValueError(f"scrypt N = {n} is too large for r = {r} (N must be below 2^(16 r))")
    if 128 * r * (n + 2 + p) > _SCRYPT_MAXMEM or n * r * p > _SCRYPT_MAX_WORK:
        raise ValueError(f"scrypt N = {n}, r = {r}, p = {p} would take too much memory or time per PIN")
    if not salt:
        raise ValueError("the salt part is empty")
    if len(digest) < _PIN_HASH_MIN_BYTES:
        raise ValueError(f"the hash part is {len(digest)} bytes, fewer than {_PIN_HASH_MIN_BYTES}")
    return n, r, p, salt, digest


def verify_pin(pin: str, pin_hash: str) -> bool:
    """True when `pin` matches `pin_hash` (constant-time comparison); False for a malformed hash."""
    try:
        n, r, p, salt, expected = parse_pin_hash(pin_hash)
    except ValueError:
        return False
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=len(expected),
                            maxmem=_SCRYPT_MAXMEM)
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
    from pydantic import ValidationError  # only when a file is read: the demo config needs no schema

    from kiosk.config_schema import validate_config

    try:
        return validate_config(data)
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
    import tomllib  # only when a file is read (the demo configuration is built in code)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, source=str(path))


def demo_config(data_dir: Path | None = None) -> KioskConfig:
    """The offline demo: every device `sim://`, a data dir of its own, PIN `DEMO_ADMIN_PIN`.

    The caller seeds the registry of a demo store (`Store.seed_registry`) when `config.demo` is true.
    """
    return KioskConfig(
        demo=True,
        data_dir=data_dir if data_dir is not None else default_data_dir(demo=True),
        devices=DeviceSettings(reader="sim://", printer="sim://", camera="sim://"),
        admin=AdminSettings(pin_hash=DEMO_PIN_HASH),
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

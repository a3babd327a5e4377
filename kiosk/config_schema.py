"""The configuration file's schema: pydantic v2 models that validate a parsed TOML document (contract).

Only `kiosk.config.parse_config` imports this module (and pydantic): reading a file. Each model has the
fields and defaults of the plain dataclass of the same name in `kiosk.config` (`HallSettings`: in
`forms.settings`), a test holds them equal; `to_plain` turns the validated document into that plain
data, which is what the running kiosk holds, so a command on the demo configuration (no file) never
imports pydantic. Validators: device addresses parsed by each device package's own parser
(kiosk.device_check), the PIN hash's shape and cost, the hall address, the demo's PIN by default.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from forms.settings import DEMO_OFFICES
from kiosk.config import DEMO_PIN_HASH, PLAIN_SECTIONS, parse_pin_hash


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HallSettings(_Section):
    """The `[hall]` table: forms.settings.HallSettings, with its limits."""

    name: str = "铜梁区政务服务中心"
    district_code: str = Field(default="500151", pattern=r"^\d{6}$")
    district_name: str = "铜梁区"
    licence_prefix: str = Field(default="铜", min_length=1, max_length=4)
    kiosk_id: str = Field(default="K01", pattern=r"^[A-Za-z0-9]{1,8}$")
    shop_area_threshold_m2: float = Field(default=300, gt=0)
    report_max_age_days: int = Field(default=365, ge=1)
    pickup_window: str = Field(default="1", min_length=1, max_length=12)
    offices: dict[str, str] = Field(default_factory=lambda: dict(DEMO_OFFICES))


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


class CatalogSettings(_Section):
    """Which items this kiosk offers: `disabled` spec ids are hidden from the applicant catalog (the
    technician panel's 事项管理). An id the catalog does not have is ignored (an item removed later)."""

    disabled: tuple[str, ...] = ()


class SpeakerSettings(_Section):
    """The speaker: the volume of spoken instructions (elder mode), 0-100."""

    volume: int = Field(80, ge=0, le=100)


class AdminSettings(_Section):
    """The technician panel. `pin_hash` is a scrypt hash made by `hash_pin`, never the PIN."""

    pin_hash: str | None = None

    @field_validator("pin_hash")
    @classmethod
    def _check_hash(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_pin_hash(value)
            except ValueError as exc:
                raise ValueError(f"{exc} (make one with `kiosk keys hash-pin`; never put the PIN itself "
                                 "in the file)") from None
        return value


class SyncConfig(_Section):
    """The hall back office (kiosk.sync): where the outbox goes and the kiosk's credential. Both url and
    token, or neither (then the kiosk keeps its outbox and `kiosk sync` says the hall is not configured)."""

    url: str | None = None
    token: str | None = None
    heartbeat_s: float = Field(30, gt=0, le=3600)
    batch_events: int = Field(200, ge=1, le=500)
    batch_bytes: int = Field(4 * 1024 * 1024, ge=1024, le=8 * 1024 * 1024)
    timeout_s: float = Field(10, gt=0, le=300)

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+(/.*)?$", value):
            raise ValueError(f"not an http(s) address: {value!r} (e.g. http://10.0.0.5:8600)")
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _both_or_neither(self) -> SyncConfig:
        if bool(self.url) != bool(self.token):
            raise ValueError("give both url and token (the token comes from `python -m hall enrol KIOSK_ID`)")
        return self


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
    catalog: CatalogSettings = CatalogSettings()
    speaker: SpeakerSettings = SpeakerSettings()
    admin: AdminSettings = AdminSettings()
    sync: SyncConfig = SyncConfig()

    @model_validator(mode="before")
    @classmethod
    def _demo_pin_by_default(cls, data: Any) -> Any:
        """demo = true without admin.pin_hash: the demo's PIN (`DEMO_ADMIN_PIN`, in the README)."""
        if not isinstance(data, dict) or not isinstance(data.get("admin", {}), dict):
            return data  # not a TOML document: the field validation says what is wrong
        try:
            demo = TypeAdapter(bool).validate_python(data.get("demo", False))
        except ValidationError:
            return data
        admin = data.get("admin", {})
        if demo and admin.get("pin_hash") is None:
            return {**data, "admin": {**admin, "pin_hash": DEMO_PIN_HASH}}
        return data

    @model_validator(mode="after")
    def _pin_required_outside_demo(self) -> KioskConfig:
        if not self.demo and self.admin.pin_hash is None:
            raise ValueError("admin.pin_hash is required when demo = false (make one with "
                             "`kiosk keys hash-pin`)")
        return self


def to_plain(value: Any) -> Any:
    """A validated model (and the models in it) as the plain data of the same name (kiosk.config)."""
    if isinstance(value, BaseModel):
        cls = PLAIN_SECTIONS[type(value).__name__]
        return cls(**{name: to_plain(getattr(value, name)) for name in type(value).model_fields})
    return value


def validate_config(data: dict[str, Any]) -> Any:
    """A parsed TOML document validated (pydantic.ValidationError when it is not) as a plain KioskConfig."""
    return to_plain(KioskConfig.model_validate(data))

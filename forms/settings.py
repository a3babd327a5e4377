"""Hall settings: the numbers that differ between service halls (contract for the demo defaults).

`HallSettings()` gives the demo hall: 铜梁区 (500151), licence prefix 铜, kiosk K01, shop-area threshold
300 m², report age 365 days, health items issued by 铜梁区卫生健康委员会. The kiosk config (`hall.*`)
overrides any of them; `office_name(key)` resolves a spec's `office` key to the issuing office.
Plain data (a frozen dataclass, no pydantic); the config file's `[hall]` table is validated by
`kiosk.config_schema.HallSettings` (same fields, with their patterns and limits) before it becomes one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms.errors import SettingsError

DEMO_OFFICES = {
    "health": "铜梁区卫生健康委员会",
    "market": "铜梁区市场监督管理局",
    "public_security": "重庆市公安局铜梁区分局",
    "hall": "铜梁区政务服务中心",
    "hrss": "铜梁区人力资源和社会保障局",
    "medical_insurance": "铜梁区医疗保障局",
    "housing_fund": "重庆市住房公积金管理中心铜梁区分中心",
    "civil_affairs": "铜梁区民政局",
    "disabled": "铜梁区残疾人联合会",
    "education": "铜梁区教育委员会",
    "real_estate": "铜梁区不动产登记中心",
}


@dataclass(frozen=True, kw_only=True)
class HallSettings:
    """The hall's own numbers (see the module docstring); the demo hall by default."""

    name: str = "铜梁区政务服务中心"
    district_code: str = "500151"  # six digits
    district_name: str = "铜梁区"
    licence_prefix: str = "铜"  # 1-4 characters
    kiosk_id: str = "K01"  # 1-8 letters or digits
    shop_area_threshold_m2: float = 300
    report_max_age_days: int = 365
    pickup_window: str = "1"
    """The number of the hall's 发证窗口 where originals are collected (screens say 请到1号发证窗口领取)."""
    offices: dict[str, str] = field(default_factory=lambda: dict(DEMO_OFFICES))

    def office_name(self, key: str) -> str:
        try:
            return self.offices[key]
        except KeyError:
            known = ", ".join(sorted(self.offices))
            raise SettingsError(f"hall settings name no office {key!r} (known: {known})") from None

    @property
    def health_office(self) -> str:
        return self.office_name("health")

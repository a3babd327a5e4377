"""Hall settings: the numbers that differ between service halls (contract for the demo defaults).

`HallSettings()` gives the demo hall: 铜梁区 (500151), licence prefix 铜, kiosk K01, shop-area threshold
300 m², report age 365 days, health items issued by 铜梁区卫生健康委员会. The kiosk config (`hall.*`)
overrides any of them; `office_name(key)` resolves a spec's `office` key to the issuing office.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

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


class HallSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "铜梁区政务服务中心"
    district_code: str = Field(default="500151", pattern=r"^\d{6}$")
    district_name: str = "铜梁区"
    licence_prefix: str = Field(default="铜", min_length=1, max_length=4)
    kiosk_id: str = Field(default="K01", pattern=r"^[A-Za-z0-9]{1,8}$")
    shop_area_threshold_m2: float = Field(default=300, gt=0)
    report_max_age_days: int = Field(default=365, ge=1)
    pickup_window: str = Field(default="1", min_length=1, max_length=12)
    """The number of the hall's 发证窗口 where originals are collected (screens say 请到1号发证窗口领取)."""
    offices: dict[str, str] = Field(default_factory=lambda: dict(DEMO_OFFICES))

    def office_name(self, key: str) -> str:
        try:
            return self.offices[key]
        except KeyError:
            known = ", ".join(sorted(self.offices))
            raise SettingsError(f"hall settings name no office {key!r} (known: {known})") from None

    @property
    def health_office(self) -> str:
        return self.office_name("health")

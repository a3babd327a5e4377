"""Shared data used for prefill and pre-review, seen through a small read-only Protocol.

The kiosk's SQLite store (table `registry`) implements `Registry`; `InMemoryRegistry` is the same thing
over plain lists, for tests and the demo seed (`forms.demo_registry`). Records are frozen dataclasses.
ID numbers are kept in full here (they are looked up by them) and must never be logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Business:
    """A registered business (市场主体) as the registry returns it."""

    uscc: str
    name: str
    kind: str  # 个体工商户 | 企业 | 农民专业合作社
    legal_rep_name: str
    legal_rep_id_number: str
    address: str
    district_code: str
    dishonest: bool = False  # on the 失信 list: 告知承诺 not available
    floor_area: float | None = None
    category: str | None = None
    phone: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class Licence:
    """A licence the registry holds for a business."""

    number: str
    uscc: str
    kind: str  # e.g. public-place-health
    category: str
    holder_name: str
    address: str
    issued_on: dt.date
    valid_from: dt.date
    valid_to: dt.date
    floor_area: float | None = None
    office: str | None = None  # the issuing office (发证机关), as printed on the licence

    def active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class Person:
    """The registry's record of a person (by ID number)."""

    id_number: str
    name: str
    phone: str | None = None
    hukou_address: str | None = None
    hukou_district_code: str | None = None
    residence_address: str | None = None
    # Social data the hall's systems share (人社, 医保, 公积金, 残联, 公安, 不动产登记); None = no record.
    pension_insurance: str | None = None  # 养老保险参保身份: 企业职工 | 灵活就业 | 城乡居民 | 退休
    medical_insurance: str | None = None  # 职工医保 | 城乡居民医保
    insured_months: int | None = None  # 累计缴费月数 (pension)
    unemployment_registered: bool = False  # holds a current 失业登记
    unemployment_months: int | None = None  # 失业保险累计缴费月数
    housing_fund: str | None = None  # 住房公积金账户: 正常 | 封存
    bank_card: str | None = None  # the social-security card's bank account (payments go there)
    owns_home: bool = False  # 本地不动产登记 holds a home in the card holder's name
    disability_card: str | None = None  # 第二代残疾人证号
    disability_grade: str | None = None  # 一级 .. 四级
    residence_permit_no: str | None = None  # 居住证 held in this district
    employer: str | None = None  # the employer paying social insurance, if any
    record_check: bool = False  # the police records hold something an officer must look at
    minimum_living: bool = False  # receives 最低生活保障 (低保)


@runtime_checkable
class Registry(Protocol):
    """Read-only shared data. Unknown keys give None / an empty list, never an exception."""

    def businesses_for_person(self, id_number: str) -> list[Business]:
        """Businesses whose legal representative (负责人) holds this ID number."""
        ...

    def business(self, uscc: str) -> Business | None: ...

    def licences_for(self, uscc: str) -> list[Licence]:
        """Every licence held under this credit code, any kind, newest first."""
        ...

    def person(self, id_number: str) -> Person | None: ...


class InMemoryRegistry:
    """A `Registry` over lists of records."""

    def __init__(
        self,
        businesses: Iterable[Business] = (),
        licences: Iterable[Licence] = (),
        persons: Iterable[Person] = (),
    ) -> None:
        self._businesses = {b.uscc: b for b in businesses}
        self._licences = sorted(licences, key=lambda lic: lic.valid_to, reverse=True)
        self._persons = {p.id_number: p for p in persons}

    def businesses_for_person(self, id_number: str) -> list[Business]:
        return [b for b in self._businesses.values() if b.legal_rep_id_number == id_number]

    def business(self, uscc: str) -> Business | None:
        return self._businesses.get(uscc)

    def licences_for(self, uscc: str) -> list[Licence]:
        return [lic for lic in self._licences if lic.uscc == uscc]

    def person(self, id_number: str) -> Person | None:
        return self._persons.get(id_number)

    @property
    def businesses(self) -> list[Business]:
        return list(self._businesses.values())

    @property
    def licences(self) -> list[Licence]:
        return list(self._licences)

    @property
    def persons(self) -> list[Person]:
        return list(self._persons.values())

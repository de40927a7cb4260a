"""Typed inputs of the 109号 module: a register row (page, API, xlsx/GeoJSON import), the quick
report's steps, a warning, a duty shift. Titles are the Chinese labels every channel shows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext_noop
from pydantic import Field, field_validator, model_validator

from kmgov.procedures.inputs import Money, StepInput

PHONE = r"^[0-9+\-（）() ]{5,20}$"
HazardTypeCode = Literal["collapse", "landslide", "debris_flow", "subsidence", "fissure",
                         "unstable_slope"]
ScaleCode = Literal["small", "medium", "large", "giant"]
GradeCode = Literal["blue", "yellow", "orange", "red"]


class Monitor(StepInput):
    name: str = Field(min_length=1, max_length=40, title=gettext_noop("监测人姓名"))
    phone: str = Field(pattern=PHONE, title=gettext_noop("监测人电话"))
    email: str = Field("", max_length=100, title=gettext_noop("监测人电子邮箱"))


class PointData(StepInput):
    """One hazard point as the register holds it (GD-1, 四包三落实 of 三(一))."""

    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9\-_]+$", title=gettext_noop("编号"))
    name: str = Field(min_length=1, max_length=100, title=gettext_noop("名称"))
    hazard_type: HazardTypeCode = Field(title=gettext_noop("灾害类型"))
    scale: ScaleCode = Field(title=gettext_noop("规模"))
    org: str = Field(min_length=1, max_length=64, title=gettext_noop("所在县（市）区或乡镇"))
    location: str = Field("", max_length=200, title=gettext_noop("位置（村组）"))
    longitude: Decimal = Field(ge=97, le=106, decimal_places=6, title=gettext_noop("经度"))
    latitude: Decimal = Field(ge=21, le=29, decimal_places=6, title=gettext_noop("纬度"))
    threatened_households: int = Field(0, ge=0, le=100000, title=gettext_noop("威胁户数"))
    threatened_people: int = Field(0, ge=0, le=1000000, title=gettext_noop("威胁人数"))
    threatened_property: Money = Field(Decimal("0"), title=gettext_noop("威胁财产（万元）"))
    threatened_objects: str = Field("", max_length=200, title=gettext_noop("威胁对象（学校、村庄、道路等）"))
    monitors: list[Monitor] = Field(default_factory=list, max_length=10, title=gettext_noop("监测人"))
    county_leader: str = Field("", max_length=40, title=gettext_noop("包乡县级领导"))
    county_leader_phone: str = Field("", max_length=32, title=gettext_noop("县级领导电话"))
    township_leader: str = Field("", max_length=40, title=gettext_noop("包村乡镇干部"))
    township_leader_phone: str = Field("", max_length=32, title=gettext_noop("乡镇干部电话"))
    village_cadre: str = Field("", max_length=40, title=gettext_noop("包组村干部"))
    village_cadre_phone: str = Field("", max_length=32, title=gettext_noop("村干部电话"))
    evacuation_route: str = Field("", max_length=200, title=gettext_noop("转移路线"))
    evacuation_place: str = Field("", max_length=100, title=gettext_noop("转移地点"))
    alarm_person: str = Field("", max_length=40, title=gettext_noop("报警人"))
    alarm_signal: str = Field("", max_length=100, title=gettext_noop("报警信号"))
    refuge: str = Field("", max_length=100, title=gettext_noop("避险场地"))
    cards_issued_on: dt.date | None = Field(None, title=gettext_noop("“两卡一书”发放日期"))

    @field_validator("county_leader_phone", "township_leader_phone", "village_cadre_phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        if v and not re.match(PHONE, v):
            raise ValueError("电话号码格式不正确")
        return v


class QuickReportInput(StepInput):
    occurred_at: dt.datetime = Field(title=gettext_noop("发生时间"))
    hazard_type: HazardTypeCode = Field(title=gettext_noop("灾害类型"))
    place: str = Field(min_length=1, max_length=200, title=gettext_noop("发生地点"))
    deaths: int = Field(0, ge=0, le=100000, title=gettext_noop("死亡人数"))
    missing: int = Field(0, ge=0, le=100000, title=gettext_noop("失踪人数"))
    injured: int = Field(0, ge=0, le=100000, title=gettext_noop("受伤人数"))
    economic_loss: Money = Field(Decimal("0"), title=gettext_noop("直接经济损失（万元）"))
    description: str = Field(min_length=1, max_length=2000, title=gettext_noop("灾情简述"))


class ForwardInput(StepInput):
    note: str = Field("", max_length=2000, title=gettext_noop("县级核实补充情况"))


class ReceiveInput(StepInput):
    note: str = Field("", max_length=2000, title=gettext_noop("接收意见"))


class WarningInput(StepInput):
    grade: GradeCode = Field(title=gettext_noop("预警等级"))
    areas: list[str] = Field(min_length=1, max_length=40, title=gettext_noop("预警区域"))
    valid_from: dt.datetime = Field(title=gettext_noop("起始时间"))
    valid_until: dt.datetime = Field(title=gettext_noop("结束时间"))
    text: str = Field(min_length=1, max_length=1000, title=gettext_noop("预警内容"))

    @model_validator(mode="after")
    def _order(self):
        if self.valid_until <= self.valid_from:
            raise ValueError("结束时间须晚于起始时间")
        return self


class ShiftInput(StepInput):
    org: str = Field(min_length=1, max_length=64, title=gettext_noop("县（市）区"))
    day: dt.date = Field(title=gettext_noop("日期"))
    leader: str = Field(min_length=1, max_length=40, title=gettext_noop("带班领导"))
    leader_phone: str = Field(pattern=PHONE, title=gettext_noop("带班领导手机"))
    officer: str = Field(min_length=1, max_length=40, title=gettext_noop("值班人员"))
    officer_phone: str = Field(pattern=PHONE, title=gettext_noop("值班人员手机"))
    deputy: str = Field("", max_length=40, title=gettext_noop("副班"))
    deputy_phone: str = Field("", max_length=32, title=gettext_noop("副班手机"))

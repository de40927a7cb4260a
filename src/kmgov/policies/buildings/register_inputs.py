"""What is filed into the building register (楼宇经济信息管理系统, 62号 七(一)、附件1 第十八条):
the yearly figures of one building, as a step input (the operator's filing), the same input
the liaison's form, the API and the xlsx import use.

A tenant is one line, "企业名称｜行业｜在昆注册（是/否）｜总部（是/否）｜年度纳税额（元）｜统一社会信用代码"
(the last column may be left out): officials paste it from their own tables."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated

from django.db import models
from django.utils.translation import gettext_noop
from pydantic import Field, StringConstraints, field_validator

from kmgov.procedures.inputs import StepInput

from .rules import FACILITIES, MANAGEMENT_LEVELS


class ManagementLevel(models.TextChoices):
    """物业管理水准 (附件1 第十八条), measured by the property-management firm's qualification."""

    LEVEL1 = "level1", gettext_noop(MANAGEMENT_LEVELS["level1"])
    LEVEL2 = "level2", gettext_noop(MANAGEMENT_LEVELS["level2"])
    LEVEL3 = "level3", gettext_noop(MANAGEMENT_LEVELS["level3"])
    NONE = "none", gettext_noop(MANAGEMENT_LEVELS["none"])


TENANT_COLUMNS = ("企业名称", "行业", "在昆注册（是/否）", "总部（是/否）", "年度纳税额（元）",
                  "统一社会信用代码")
_YES = {"是": True, "否": False, "yes": True, "no": False, "y": True, "n": False, "1": True,
        "0": False, "true": True, "false": False}
_CREDIT = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")

TenantLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
Area = Annotated[Decimal, Field(ge=0, le=Decimal("1e8"), decimal_places=2)]


def yes_no(value, label: str) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value if value is not None else "").strip().lower()
    if key not in _YES:
        raise ValueError(f"“{label}”须填“是”或“否”，不能是“{value}”")
    return _YES[key]


def money_of(value, label: str) -> Decimal:
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"“{label}”须为金额（元），不能是“{value}”") from None
    if not d.is_finite() or d < 0 or d > Decimal("1e14"):
        raise ValueError(f"“{label}”须为0至10^14之间的金额（元）")
    return d.quantize(Decimal("0.01"))


def tenant_of(cells: list, *, where: str = "") -> dict:
    """One tenant from its cells (a pasted line split at ｜, or an xlsx row)."""
    cells = ["" if c is None else str(c).strip() for c in cells]
    if len(cells) < 5 or len(cells) > 6:
        raise ValueError(f"{where}须有5或6栏：{'｜'.join(TENANT_COLUMNS)}")
    name, industry, local, hq, tax = cells[:5]
    credit = cells[5].upper() if len(cells) == 6 else ""
    if not name or len(name) > 200:
        raise ValueError(f"{where}“企业名称”须填写，不超过200字")
    if not industry or len(industry) > 100:
        raise ValueError(f"{where}“行业”须填写，不超过100字")
    if credit and not _CREDIT.match(credit):
        raise ValueError(f"{where}“统一社会信用代码”须为18位数字或大写字母")
    try:
        return {"name": name, "industry": industry,
                "registered_locally": yes_no(local, "在昆注册"), "headquarters": yes_no(hq, "总部"),
                "tax_yuan": money_of(tax, "年度纳税额"), "credit_code": credit}
    except ValueError as exc:
        raise ValueError(f"{where}{exc}") from None


def parse_tenant_line(line: str) -> dict:
    return tenant_of(re.split(r"[|｜]", line))


class RegisterReportInput(StepInput):
    """One building's figures for one year (at the year's end; tax of the year)."""

    property_certificate_no: str | None = Field(
        None, title=gettext_noop("产权证号"), max_length=100,
        description=gettext_noop("持有一幢已认定楼宇的可不填；持有多幢的须填写所报楼宇的产权证号"))
    total_floor_area_m2: Area = Field(title=gettext_noop("总建筑面积（平方米）"), json_schema_extra={"money": False})
    office_floor_area_m2: Area = Field(title=gettext_noop("商务（办公）面积（平方米）"), json_schema_extra={"money": False})
    vacant_floor_area_m2: Area = Field(title=gettext_noop("年末空置面积（平方米）"), json_schema_extra={"money": False})
    management_level: ManagementLevel = Field(title=gettext_noop("物业服务企业资质"),
                                              description=gettext_noop("物业管理水准（附件1 第十八条）"))
    facilities: dict[str, bool] = Field(
        default_factory=dict, title=gettext_noop("配套设施"), description=gettext_noop("62号 四(二)、三(四)"),
        json_schema_extra={"widget": "flags", "choices": FACILITIES})
    tenants: list[TenantLine] = Field(
        default_factory=list, max_length=2000, title=gettext_noop("入驻企业"),
        # one msgid, the columns of TENANT_COLUMNS written out (the catalogue needs a literal)
        description=gettext_noop("每行一家：企业名称｜行业｜在昆注册（是/否）｜总部（是/否）｜"
                                 "年度纳税额（元）｜统一社会信用代码（最后一栏可不填）"))

    @field_validator("facilities")
    @classmethod
    def _known_facilities(cls, v: dict) -> dict:
        unknown = [k for k in v if k not in FACILITIES]
        if unknown:
            raise ValueError(f"不认识的设施“{'、'.join(unknown)}”（可填：{'、'.join(FACILITIES.values())}）")
        return v

    @field_validator("tenants")
    @classmethod
    def _tenant_lines(cls, v: list[str]) -> list[str]:
        for i, line in enumerate(v, start=1):
            try:
                parse_tenant_line(line)
            except ValueError as exc:
                raise ValueError(f"第{i}行：{exc}") from None
        return v

    def tenant_rows(self) -> list[dict]:
        return [parse_tenant_line(line) for line in self.tenants]

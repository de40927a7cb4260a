"""Import a county's claim lines from an xlsx sheet (openpyxl). Every row is validated first;
errors name the row and the column in Chinese; if any row is bad nothing is imported.

Sheet layout (first row = headers, in any order; extra columns are refused):

    类型 | 乡镇 | 面积（亩） | 人数 | 原种植产业 | 调整后用途 | 租地作物 | 租地在流域外 | 补助年数 | 申报金额（元）

类型: 种植业结构调整 / 异地租地种植 / 培训转移 / 土地流转 (or conversion, offsite_rent, training,
land_transfer). 原种植产业/租地作物: 粮食、蔬菜、花卉; 调整后用途: 园林园艺、苗木、经济林木（果）、
滇池湿地生态园区、农业休闲观光园区. 租地在流域外: 是/否 (default 是).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit
from kmgov.procedures.errors import ProcedureError

from .models import AgricultureClaim, LineKind
from .services import claim_create, line_evaluate, township_find

COLUMNS = {
    "类型": "kind", "乡镇": "township", "面积（亩）": "area", "人数": "people",
    "原种植产业": "from_use", "调整后用途": "to_use", "租地作物": "crop",
    "租地在流域外": "outside_basin", "补助年数": "years", "申报金额（元）": "claimed_yuan",
}
HEADER_ALIASES = {"面积(亩)": "面积（亩）", "申报金额(元)": "申报金额（元）", "申报金额": "申报金额（元）",
                  "面积": "面积（亩）"}
KINDS = {"种植业结构调整": LineKind.CONVERSION, "结构调整": LineKind.CONVERSION,
         "异地租地种植": LineKind.OFFSITE_RENT, "租地种植": LineKind.OFFSITE_RENT,
         "培训转移": LineKind.TRAINING, "劳动力培训转移": LineKind.TRAINING,
         "土地流转": LineKind.LAND_TRANSFER, "土地流转奖励": LineKind.LAND_TRANSFER,
         **{k.value: k for k in LineKind}}
# The rule's input name → the sheet's column (for error messages).
INPUT_COLUMN = {"area_mu": "面积（亩）", "contiguous_area_mu": "面积（亩）", "people": "人数",
                "from_use": "原种植产业", "to_use": "调整后用途", "crop": "租地作物",
                "outside_basin": "租地在流域外", "years": "补助年数", "claimed_yuan": "申报金额（元）",
                "township": "乡镇", "kind": "类型"}
REQUIRED = {
    LineKind.CONVERSION: ("面积（亩）", "原种植产业", "调整后用途"),
    LineKind.OFFSITE_RENT: ("面积（亩）", "租地作物"),
    LineKind.TRAINING: ("人数",),
    LineKind.LAND_TRANSFER: ("面积（亩）",),
}


class ImportRejected(ProcedureError):
    status = 400
    code = "import_rejected"

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("导入失败，未导入任何数据：\n" + "\n".join(errors), field="file")


@dataclass
class Row:
    row_no: int
    kind: str
    township: OrgUnit | None
    claimed_yuan: object
    inputs: dict


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _number(v, col, r, errors, *, integer=False):
    try:
        if isinstance(v, bool):
            raise ValueError
        x = float(str(v).strip().replace(",", ""))
        if integer:
            if x != int(x):
                raise ValueError
            return int(x)
        return x
    except (TypeError, ValueError):
        errors.append(f"第{r}行“{col}”列：“{v}”不是{'整数' if integer else '数字'}")
        return None


def _yesno(v, col, r, errors):
    s = str(v).strip()
    if s in ("是", "Y", "y", "yes", "true", "True", "1"):
        return True
    if s in ("否", "N", "n", "no", "false", "False", "0"):
        return False
    errors.append(f"第{r}行“{col}”列：“{v}”须填“是”或“否”")
    return None


def parse_sheet(path, county: OrgUnit, claim: AgricultureClaim | None, when: dt.date):
    """Read and check every row; return (rows, errors). Rule checks run here too, so an input
    the rule cannot take is reported as a row/column error."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable file
        return [], [f"无法读取xlsx文件：{exc}"]
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    if not rows:
        return [], ["工作表为空：第1行须为表头"]
    header = [HEADER_ALIASES.get(str(h).strip(), str(h).strip()) if h is not None else "" for h in rows[0]]
    errors: list[str] = []
    for i, h in enumerate(header):
        if h and h not in COLUMNS:
            errors.append(f"第1行第{i + 1}列：表头“{h}”无法识别（可用：{'、'.join(COLUMNS)}）")
    for need in ("类型", "申报金额（元）"):
        if need not in header:
            errors.append(f"第1行：缺少“{need}”列")
    if errors:
        return [], errors
    out: list[Row] = []
    for r, values in enumerate(rows[1:], start=2):
        cells = {h: v for h, v in zip(header, values) if h}
        if all(_blank(v) for v in cells.values()):
            continue
        row_errors: list[str] = []
        kind = KINDS.get(str(cells.get("类型") or "").strip())
        if kind is None:
            row_errors.append(f"第{r}行“类型”列：“{cells.get('类型') or ''}”无法识别"
                              f"（可填：种植业结构调整、异地租地种植、培训转移、土地流转）")
            errors.extend(row_errors)
            continue
        for col in REQUIRED[kind]:
            if _blank(cells.get(col)):
                row_errors.append(f"第{r}行“{col}”列：{LineKind(kind).label}须填写")
        if _blank(cells.get("申报金额（元）")):
            row_errors.append(f"第{r}行“申报金额（元）”列：须填写")
        if row_errors:
            errors.extend(row_errors)
            continue
        claimed = _number(cells["申报金额（元）"], "申报金额（元）", r, row_errors)
        inputs: dict = {}
        if kind == LineKind.TRAINING:
            inputs["people"] = _number(cells["人数"], "人数", r, row_errors, integer=True)
        else:
            area = _number(cells["面积（亩）"], "面积（亩）", r, row_errors)
            inputs["contiguous_area_mu" if kind == LineKind.OFFSITE_RENT else "area_mu"] = area
        if kind == LineKind.CONVERSION:
            inputs["from_use"] = str(cells["原种植产业"]).strip()
            inputs["to_use"] = str(cells["调整后用途"]).strip()
        if kind == LineKind.OFFSITE_RENT:
            inputs["crop"] = str(cells["租地作物"]).strip()
            ob = cells.get("租地在流域外")
            inputs["outside_basin"] = True if _blank(ob) else _yesno(ob, "租地在流域外", r, row_errors)
            if not _blank(cells.get("补助年数")):
                inputs["years"] = _number(cells["补助年数"], "补助年数", r, row_errors, integer=True)
        township = None
        try:
            township = township_find(county, cells.get("乡镇"))
        except ValidationError as exc:
            row_errors.append(f"第{r}行“乡镇”列：{exc.message_dict['township'][0]}")
        if not row_errors and claim is not None:
            try:
                line_evaluate(claim, kind=kind, township=township, claimed_yuan=claimed,
                              inputs=inputs, when=when, row_no=r)
            except ValidationError as exc:
                for field, msgs in exc.message_dict.items():
                    col = INPUT_COLUMN.get(field, field)
                    row_errors.append(f"第{r}行“{col}”列：“{cells.get(col, '')}” {'；'.join(msgs)}")
        errors.extend(row_errors)
        if not row_errors:
            out.append(Row(r, kind, township, claimed, inputs))
    if not out and not errors:
        errors.append("工作表没有数据行")
    return out, errors


def claim_import(*, actor, county: str, year: int, path, now=None,
                 on_progress=None) -> AgricultureClaim:
    """Create a draft claim of `county` for `year` with the sheet's lines, or nothing at all.
    `on_progress(done, total)` is called after each line is checked and added (the CLI's bar)."""
    now = now or timezone.now()
    when = local(now).date()
    with transaction.atomic():
        claim = claim_create(actor=actor, county=county, year=year, now=now)
        rows, errors = parse_sheet(path, claim.county, claim, when)
        if errors:
            transaction.set_rollback(True)
            raise ImportRejected(errors)
        from .services import line_add

        for i, row in enumerate(rows, 1):
            line_add(claim, actor=actor, kind=row.kind, claimed_yuan=row.claimed_yuan,
                     township=row.township.name if row.township else None, inputs=row.inputs,
                     now=now)
            if on_progress is not None:
                on_progress(i, len(rows))
        claim.refresh_from_db()
    return claim

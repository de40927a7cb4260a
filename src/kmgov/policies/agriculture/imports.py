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
from django.utils.translation import gettext, gettext_lazy

from kmgov.core.audit import audit_record
from kmgov.core.calendar import local
from kmgov.core.errors import InvalidInput, NotFound
from kmgov.core.models import OrgUnit
from kmgov.core.scope import can_change_org
from kmgov.core.sheets import sheet_rows
from kmgov.procedures import imports as kernel_imports
from kmgov.procedures.errors import ProcedureError, TransitionDenied
from kmgov.procedures.imports import Importer
from kmgov.procedures.models import ImportJob

from .models import AgricultureClaim, ClaimLine, LineKind
from .services import _unit, claim_create, line_evaluate, township_find

# The progress callback is called every so many rows (and at the end).
PROGRESS_EVERY = 50

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
    line: ClaimLine | None = None


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


def parse_sheet(path, county: OrgUnit, claim: AgricultureClaim | None, when: dt.date,
                on_progress=None):
    """Read and check every row; return (rows, errors). Rule checks run here too, so an input
    the rule cannot take is reported as a row/column error; each good row carries its checked
    (unsaved) line. The file is bounded by `core.sheets` (size and row caps). Runs outside any
    transaction and takes no lock: `claim` may be an unsaved claim of the county."""
    try:
        rows = sheet_rows(path)
    except InvalidInput as exc:
        return [], [exc.message]
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
    towns: dict[str, OrgUnit | None] = {}
    total = len(rows) - 1
    for r, values in enumerate(rows[1:], start=2):
        if on_progress is not None and (r - 1) % PROGRESS_EVERY == 0:
            on_progress(r - 1, total)
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
        town_name = str(cells.get("乡镇") or "").strip()
        try:
            if town_name not in towns:
                towns[town_name] = township_find(county, town_name)
            township = towns[town_name]
        except ValidationError as exc:
            row_errors.append(f"第{r}行“乡镇”列：{exc.message_dict['township'][0]}")
        line = None
        if not row_errors and claim is not None:
            try:
                line = line_evaluate(claim, kind=kind, township=township, claimed_yuan=claimed,
                                     inputs=inputs, when=when, row_no=r)
            except ValidationError as exc:
                for field, msgs in exc.message_dict.items():
                    col = INPUT_COLUMN.get(field, field)
                    row_errors.append(f"第{r}行“{col}”列：“{cells.get(col, '')}” {'；'.join(msgs)}")
        errors.extend(row_errors)
        if not row_errors:
            out.append(Row(r, kind, township, claimed, inputs, line))
    if on_progress is not None:
        on_progress(total, total)
    if not out and not errors:
        errors.append("工作表没有数据行")
    return out, errors


def claim_probe(*, county: str, year: int) -> AgricultureClaim:
    """An unsaved claim of `county` for `year`, to check rows against before anything is
    written (its year checked as the saved claim's will be)."""
    unit = _unit(county, "county")
    bureau = _unit(f"{unit.code}-agriculture", "county")
    probe = AgricultureClaim(org=bureau, year=year)
    probe.clean()
    return probe


def claim_import(*, actor, county: str, year: int, path, now=None,
                 on_progress=None) -> AgricultureClaim:
    """Create a draft claim of `county` for `year` with the sheet's lines, or nothing at all.

    Bounded (issue 15 item 5): the file is read within the caps of `core.sheets`; every row is
    parsed and checked by its rule first, outside any transaction and without a lock; only then,
    in one short transaction, the claim is created (its reference number taken now, so the
    counter's row is locked for milliseconds, not for the parse), the lines are inserted in bulk,
    the totals computed once and one audit entry written. `on_progress(done, total)` is called
    while the rows are checked (the CLI's bar, the background task's progress)."""
    now = now or timezone.now()
    when = local(now).date()
    probe = claim_probe(county=county, year=year)
    rows, errors = parse_sheet(path, probe.county, probe, when, on_progress=on_progress)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        claim = claim_create(actor=actor, county=county, year=year, now=now)
        lines = []
        for i, row in enumerate(rows, 1):
            row.line.claim = claim
            row.line.row_no = i
            lines.append(row.line)
        ClaimLine.objects.bulk_create(lines, batch_size=500)
        claim.recompute(lines)
        claim.save(update_fields=["claimed_yuan", "accepted_yuan", "city_yuan", "county_yuan"])
        audit_record(actor=actor, action="ag-claim.import", obj=claim, org=claim.org,
                     from_state=claim.state, to_state=claim.state,
                     extra={"lines": len(lines), "accepted": sum(1 for ln in lines if ln.accepted),
                            "claimed": str(claim.claimed_yuan), "computed": str(claim.accepted_yuan)})
    claim.refresh_from_db()
    return claim


# ---------------------------------------------------------------- in the background
# On the kernel's background imports (kmgov.procedures.imports): `IMPORTER` is declared in the
# app's contributions; the functions below keep this module's API and tests' names.

KIND = "agriculture.claims"


def _org(actor, params: dict) -> OrgUnit:
    probe = claim_probe(county=params["county"], year=params["year"])
    if not can_change_org(actor, probe.org):
        raise TransitionDenied(f"您无权以“{probe.org}”的名义办理报账", field="county")
    return probe.org


def _run(path, *, actor, params: dict, on_progress=None) -> dict:
    claim = claim_import(actor=actor, county=params["county"], year=params["year"], path=path,
                         on_progress=on_progress)
    return {"claim": claim.reference, "rows": claim.lines.count(),
            "accepted_yuan": str(claim.accepted_yuan)}


def _text(result: dict) -> str:
    return gettext("已导入报账单%(claim)s：%(rows)s行明细，核定金额%(amount)s元") % {
        "claim": result.get("claim"), "rows": result.get("rows"),
        "amount": result.get("accepted_yuan")}


IMPORTER = Importer(
    kind=KIND, label=gettext_lazy("报账明细导入"), run=_run, org=_org,
    params=(("county", gettext_lazy("县区代码"), str), ("year", gettext_lazy("计划年度"), int)),
    result_text=_text,
    result_url=lambda r: f"/agriculture/claims/{r['claim']}/" if r.get("claim") else None)


def import_start(*, actor, county: str, year: int, upload) -> ImportJob:
    """Keep the uploaded file and queue its import (refused at once, nothing stored, for a file
    over the size cap, a county the actor cannot act for, or a year outside the plan)."""
    claim_probe(county=county, year=year)  # a year outside the plan: refused before anything
    return kernel_imports.import_start(kind=KIND, actor=actor, upload=upload,
                                       params={"county": county, "year": year})


def import_run(import_id: int) -> ImportJob:
    return kernel_imports.import_run(import_id)


def import_get(import_id: int, user) -> ImportJob:
    """An import of claim lines, for the one who asked it and the officials over its county."""
    job = kernel_imports.import_get(import_id, user)
    if job.kind != KIND:
        raise NotFound(f"没有编号为“{import_id}”的导入任务，或您无权查看", field="id")
    return job


def import_out(job: ImportJob) -> dict:
    out = kernel_imports.import_out(job)
    out.update(status=job.state, status_label=job.get_state_display(),
               county=job.params.get("county"), year=job.params.get("year"),
               claim=job.result.get("claim"))
    return out

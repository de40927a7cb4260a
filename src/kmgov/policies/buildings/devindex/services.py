"""Writes of the development index (62号 附件2): indicators from the gazette, values, specification
versions, runs. Each runs in one transaction and writes its audit entry inside it."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy
from pydantic import ValidationError as PydanticError

from kmgov.core.audit import audit_record
from kmgov.core.errors import Forbidden, InvalidInput, Refusal
from kmgov.core.models import READ_ONLY_ROLES, OrgUnit, Role
from kmgov.core.scope import has_role, user_assignments
from kmgov.core.sheets import capped_rows, check_size_value
from kmgov.procedures.imports import Importer, actor_unit
from kmgov.rules import decide, parameter_value, today
from kmgov.rules.composite import (
    CompositeError,
    Framework,
    Goalpost,
    Spec,
    indicator_removal,
    method_choices,
    run,
    weight_perturbation,
)
from kmgov.rules.composite import (
    Indicator as CIndicator,
)

from .models import DOC, IndexRun, IndexSpec, Indicator, IndicatorValue

TABLE_PATH = "附件2 表"
CITATION = f"{DOC} 附件2 一(二)"
LEVEL_NAMES = ("领域", "子系统", "指数")

#: Who may enter values: officials of the county (or above) who may change things there.
VALUE_ROLES = (Role.COUNTY_DEPARTMENT, Role.COUNTY_OFFICE, Role.COUNTY_GOVERNMENT, Role.CITY_DEPARTMENT,
               Role.CITY_OFFICE, Role.ADMINISTRATOR)
#: 附件2 三3: the leading group's office drafts the system (指标、权数); 62号 五(四): 市商务局 and
#: 市统计局 lead the research. Those, and the administrator, edit specifications and compute.
SPEC_UNITS = ("kunming", "city-commerce", "city-statistics")


def p(name: str):
    return parameter_value(f"buildings_devindex.{name}", today())


# ---------------------------------------------------------------- who may

def may_edit_spec(user) -> bool:
    if getattr(user, "is_superuser", False) or has_role(user, Role.ADMINISTRATOR):
        return True
    for code in SPEC_UNITS:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is not None and has_role(user, Role.CITY_OFFICE, Role.CITY_DEPARTMENT, within=unit):
            return True
    return False


def own_counties(user, roles=None) -> set[int]:
    """The ranked units the user works for: the county of each role held at the county or one
    of its departments (a county's 商务局 sits below the county in the tree, not above it)."""
    out = set()
    for a in user_assignments(user):
        if roles is not None and a.role not in roles:
            continue
        county = a.org.county_level()
        if county is not None:
            out.add(county.pk)
    return out


def may_enter_values(user, org: OrgUnit) -> bool:
    """The county's own officials, or the city offices that collect the data (附件2 三4)."""
    if may_edit_spec(user):
        return True
    return org.pk in own_counties(user, set(VALUE_ROLES) - READ_ONLY_ROLES)


def index_units():
    """The units ranked (interpretation `buildings_devindex.unit_kinds`), in the tree's order."""
    return OrgUnit.objects.filter(kind__in=p("unit_kinds")).order_by("path")


# ---------------------------------------------------------------- the indicators

def annex_table_rows() -> list[list]:
    """Rows of the annex's table [子系统, 领域, 序号, 指标名称, 单位] from the gazette library, or,
    when the gazette is not stored yet, parsed from the seed text (../shared)."""
    from kmgov.gazette.selectors import node_get, node_table

    try:
        table = node_table(node_get(DOC, TABLE_PATH))
    except Exception:  # not ingested: NotFound
        table = None
    if table is not None:
        return [list(r) for r in table.rows]
    seed = Path(settings.SHARED_DIR) / "gazette" / "kunming-gazette-2010-no15.txt"
    if not seed.exists():
        raise Refusal(f"公报尚未收录，无法读取{DOC}附件2的指标表：请先运行 kmgov setup --gazette", status=409)
    rows = _seed_table_rows(str(seed))
    if rows is None:
        raise Refusal(f"{DOC} 附件2 的指标表未能解析", status=409)
    return [list(r) for r in rows]


@functools.cache
def _seed_table_rows(path: str):
    from kmgov.gazette.parser import parse_bytes

    for doc in parse_bytes(Path(path).read_bytes()).documents:
        if doc.docno == DOC:
            for node in doc.walk():
                if node.path == TABLE_PATH and node.table is not None:
                    return tuple(tuple(r) for r in node.table.rows)
    return None


@transaction.atomic
def indicators_sync(*, actor=None) -> int:
    """The 47 indicators of the annex's table (idempotent). The unit of 指标11 is printed
    人/平方米; the one used is the interpretation `buildings.index_housing_unit` (平方米/人),
    the printed one is kept beside it."""
    negative = set(p("negative_indicators"))
    sources = p("sources")
    printed_housing = parameter_value("buildings.index_housing_unit_printed", today())
    used_housing = parameter_value("buildings.index_housing_unit", today())
    created = 0
    for subsystem, domain, number, name, unit in annex_table_rows():
        number = int(number)
        used = used_housing if (unit == printed_housing and "人均" in name) else unit
        _obj, new = Indicator.objects.update_or_create(number=number, defaults={
            "subsystem": subsystem, "domain": domain, "name": name, "unit": used, "unit_printed": unit,
            "direction": -1 if number in negative else 1, "source": sources.get(domain, ""),
            "citation": CITATION})
        created += new
    if created:
        audit_record(actor=actor, action="devindex.indicators_sync", object_type="buildings_devindex.indicator",
                     extra={"created": created, "source": f"{DOC} {TABLE_PATH}"})
    return created


def indicators() -> list[Indicator]:
    if not Indicator.objects.exists():
        indicators_sync()
    return list(Indicator.objects.order_by("number"))


def framework(inds: list[Indicator] | None = None) -> Framework:
    inds = inds or indicators()
    return Framework(indicators=tuple(
        CIndicator(code=i.code, name=i.name, direction=i.direction, parents=(i.domain, i.subsystem)) for i in inds),
        level_names=LEVEL_NAMES)


# ---------------------------------------------------------------- values

def _year(year) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise InvalidInput("年度须为数字，如2010", field="year") from None
    if not 2000 <= y <= 2099:
        raise InvalidInput("年度须在2000—2099之间", field="year")
    return y


def _value(v, field="value") -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InvalidInput("数值须为数字", field=field) from None
    if x != x or x in (float("inf"), float("-inf")):
        raise InvalidInput("数值须为有限的数字", field=field)
    return x


def _unit(code: str) -> OrgUnit:
    org = index_units().filter(code=code).first()
    if org is None:
        raise InvalidInput(f"“{code}”不是参评的县（市）区", field="org")
    return org


def _set(actor, org, year, indicator, value, note):
    obj, _new = IndicatorValue.objects.update_or_create(
        org=org, year=year, indicator=indicator,
        defaults={"value": value, "note": note[:200], "entered_by": actor})
    return obj


@transaction.atomic
def values_set(*, actor, org_code: str, year, values: dict, note: str = "") -> int:
    """Values of one county and year: {序号: 数值}; an empty value deletes the cell."""
    org = _unit(org_code)
    if not may_enter_values(actor, org):
        raise Forbidden("无权填报该县（市）区的指标数值")
    y = _year(year)
    by_number = {i.number: i for i in indicators()}
    changed = 0
    for key, raw in values.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            raise InvalidInput(f"“{key}”不是指标序号", field="values") from None
        ind = by_number.get(number)
        if ind is None:
            raise InvalidInput(f"没有序号为{number}的指标（1—{len(by_number)}）", field=f"v{number}")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            changed += IndicatorValue.objects.filter(org=org, year=y, indicator=ind).delete()[0]
            continue
        _set(actor, org, y, ind, _value(raw, field=f"v{number}"), note)
        changed += 1
    audit_record(actor=actor, action="devindex.values_set", object_type="buildings_devindex.value",
                 object_id=f"{org.code}/{y}", org=org, extra={"count": changed})
    return changed


XLSX_HEADER = ("县（市）区", "年度", "序号", "指标名称", "单位", "数值", "说明")


def values_xlsx(rows) -> bytes:
    """An xlsx of values (or a template to fill): one row per county, year and indicator."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "楼宇经济发展指数数据"
    ws.append(XLSX_HEADER)
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@transaction.atomic
def values_import_xlsx(*, actor, data: bytes) -> int:
    """Rows [县（市）区名称或代码, 年度, 序号, (名称), (单位), 数值, (说明)]; every row is checked
    before anything is written, so a bad row leaves nothing half-imported."""
    from openpyxl import load_workbook

    check_size_value(len(data))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InvalidInput("文件不是有效的 xlsx 工作簿", field="file") from None
    units = {u.name: u for u in index_units()} | {u.code: u for u in index_units()}
    units |= {u.short_name: u for u in index_units() if u.short_name}
    by_number = {i.number: i for i in indicators()}
    rows = capped_rows(wb.active)
    if not rows or tuple(str(c or "").strip() for c in rows[0][:len(XLSX_HEADER)]) != XLSX_HEADER:
        raise InvalidInput("第1行须为表头：" + "、".join(XLSX_HEADER), field="file")
    todo = []
    for n, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * (len(XLSX_HEADER) - len(row))
        if all(c in (None, "") for c in row):
            continue
        org = units.get(str(row[0] or "").strip())
        if org is None:
            raise InvalidInput(f"第{n}行：“{row[0]}”不是参评的县（市）区", field="县（市）区")
        if not may_enter_values(actor, org):
            raise Forbidden(f"第{n}行：无权填报{org.name}的指标数值")
        try:
            y = _year(row[1])
            number = int(row[2])
        except (InvalidInput, TypeError, ValueError):
            raise InvalidInput(f"第{n}行：年度或序号不是数字", field="年度") from None
        if number not in by_number:
            raise InvalidInput(f"第{n}行：没有序号为{number}的指标", field="序号")
        if row[5] in (None, ""):
            continue
        try:
            value = _value(row[5])
        except InvalidInput:
            raise InvalidInput(f"第{n}行：数值“{row[5]}”不是数字", field="数值") from None
        todo.append((org, y, by_number[number], value, str(row[6] or "")))
    for org, y, ind, value, note in todo:
        _set(actor, org, y, ind, value, note)
    audit_record(actor=actor, action="devindex.values_import", object_type="buildings_devindex.value",
                 extra={"rows": len(todo)})
    return len(todo)


def _import_run(path, *, actor, params=None, on_progress=None) -> dict:
    """The indicator values' import as a background job (kmgov.procedures.imports)."""
    return {"rows": values_import_xlsx(actor=actor, data=Path(path).read_bytes())}


def _import_text(result: dict) -> str:
    from django.utils.translation import gettext

    return gettext("已导入%(rows)s个指标数值") % result


IMPORTER = Importer(
    kind="buildings_devindex.values", label=gettext_lazy("楼宇经济发展指数数值导入"),
    run=_import_run, org=lambda actor, params: actor_unit(actor), result_text=_import_text,
    result_url=lambda r: "/buildings-index/")


# ---------------------------------------------------------------- specifications

def _validated(data) -> Spec:
    try:
        spec = Spec.model_validate(data)
    except PydanticError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"]) or "spec"
        raise InvalidInput(f"规格不正确：{err['msg']}", field=loc) from None
    try:
        from kmgov.rules.composite import check_spec

        check_spec(spec, framework())
    except CompositeError as exc:
        raise InvalidInput(exc.message, field=exc.field) from None
    return spec


@transaction.atomic
def spec_save(*, actor, data: dict, reason: str) -> IndexSpec:
    """A new version of the specification (weights included); old runs keep theirs."""
    if actor is not None and not may_edit_spec(actor):
        raise Forbidden("只有市促进楼宇经济发展工作领导小组办公室、市商务局、市统计局或系统管理员可修订指数规格")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写修订理由", field="reason")
    spec = _validated(data)
    version = (IndexSpec.objects.aggregate(m=Max("version"))["m"] or 0) + 1
    obj = IndexSpec.objects.create(version=version, spec=spec.model_dump(mode="json"), reason=reason[:500],
                                   created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="devindex.spec_save", obj=obj, reason=reason[:500],
                 extra={"version": version})
    return obj


def spec_current() -> IndexSpec | None:
    return IndexSpec.objects.order_by("-version").first()


def _matrix(year: int, inds: list[Indicator]):
    units = list(index_units())
    cells = {(v.org_id, v.indicator_id): v.value
             for v in IndicatorValue.objects.filter(year=year, org__in=units)}
    rows, kept = [], []
    for u in units:
        row = [cells.get((u.id, i.id), np.nan) for i in inds]
        if not all(np.isnan(row)):
            rows.append(row)
            kept.append(u)
    return kept, np.array(rows, dtype=float) if rows else np.empty((0, len(inds)))


def base_goalposts(base_year: int, inds: list[Indicator]) -> dict[str, dict]:
    """Goalposts of every indicator from the base year (interpretation
    `buildings_devindex.goalpost_base`): low/high its minimum/maximum (widened by one when they
    are equal, so that min-max can divide), mean and sample sd for z-scores, and the target
    the best value of that year."""
    _units, m = _matrix(base_year, inds)
    out = {}
    for j, ind in enumerate(inds):
        col = m[:, j][~np.isnan(m[:, j])] if m.size else np.array([])
        if col.size == 0:
            continue
        lo, hi = float(col.min()), float(col.max())
        if hi <= lo:
            hi = lo + max(abs(lo), 1.0)
        sd = float(np.std(col, ddof=1)) if col.size > 1 else 0.0
        best = hi if ind.direction > 0 else lo
        gp = {"low": lo, "high": hi, "mean": float(col.mean())}
        if sd > 0:
            gp["sd"] = sd
        if best > 0:
            gp["target"] = best
        out[ind.code] = Goalpost(**gp).model_dump(mode="json", exclude_none=True)
    return out


def spec_for_run(*, actor) -> IndexSpec:
    """The current specification; the first one (or one without goalposts) is completed from
    the default interpretation and the base year's goalposts, as a new version."""
    current = spec_current()
    if current is not None and current.spec.get("goalposts"):
        return current
    years = IndicatorValue.objects.aggregate(m=Max("year"))  # any data at all?
    if years["m"] is None:
        raise InvalidInput("尚无任何指标数值，无法计算指数", field="year")
    base = IndicatorValue.objects.order_by("year").values_list("year", flat=True).first()
    data = dict(current.spec if current else p("default_spec"))
    data["goalposts"] = base_goalposts(base, indicators())
    from kmgov.rules import PARAMETERS

    def said(name: str) -> str:  # an interpretation by its description, never its code
        return PARAMETERS[name].description.removeprefix("解释：")

    reason = (f"以{base}年数据固定各指标上下限，使各年可比（解释：{said('buildings_devindex.goalpost_base')}）"
              + ("" if current else f"；首版规格取解释：{said('buildings_devindex.default_spec')}"))
    return spec_save(actor=None, data=data, reason=reason)


# ---------------------------------------------------------------- runs

def discrepancies() -> list[dict]:
    """The annex's own inconsistencies, as the rule `buildings.index_check` finds them, each
    with a plain sentence (`text`) for pages and the report."""
    d = decide("buildings.index_check", {})
    return [dict(x, text=discrepancy_text(x)) for x in d.outputs.get("inconsistencies", [])]


def discrepancy_text(d: dict) -> str:
    where, printed, used = d.get("where", ""), d.get("printed"), d.get("recomputed")
    if d.get("kind") == "indicator_count":
        return (f"{where}：说明称{printed}项，表中只列{used}项（总数47与表一致）；"
                f"计算以表中所列{used}项为准（解释）")
    if d.get("kind") == "unit":
        return f"{where}：公报印作“{printed}”，人均面积的单位应为“{used}”；计算采用“{used}”（解释）"
    return f"{where}：公报所印 {printed}，核算为 {used}"


def index_compute(*, actor, year, sensitivity: bool = True, workers: int | None = None,
                  draws: int | None = None) -> IndexRun:
    """The index of `year` under the current specification, kept with everything it used.
    The analysis runs before the transaction (it may take seconds over several processes)."""
    if not may_edit_spec(actor):
        raise Forbidden("只有市促进楼宇经济发展工作领导小组办公室、市商务局、市统计局或系统管理员可计算指数")
    y = _year(year)
    spec_obj = spec_for_run(actor=actor)
    spec = Spec.model_validate(spec_obj.spec)
    inds = indicators()
    fw = framework(inds)
    units, m = _matrix(y, inds)
    if len(units) < 2:
        raise InvalidInput(f"{y}年有数据的县（市）区不足两个，无法排序", field="year")
    codes = [u.code for u in units]
    try:
        result = run(codes, m, fw, spec)
        analysis = {}
        if sensitivity:
            cfg = p("sensitivity")
            analysis["weights"] = weight_perturbation(codes, m, fw, spec, draws=draws or cfg["draws"],
                                                      spread=cfg["spread"], seed=cfg["seed"],
                                                      workers=workers).as_dict()
            analysis["methods"] = method_choices(codes, m, fw, spec, workers=workers).as_dict()
            analysis["removal"] = indicator_removal(codes, m, fw, spec, workers=workers).as_dict()
    except CompositeError as exc:
        raise InvalidInput(exc.message, field=exc.field) from None
    inputs = {"units": codes, "unit_names": [u.name for u in units],
              "values": [[None if np.isnan(v) else float(v) for v in row] for row in m]}
    with transaction.atomic():
        obj = IndexRun.objects.create(
            year=y, spec=spec_obj, spec_data=spec_obj.spec, framework=fw.model_dump(mode="json"),
            inputs=inputs, result=result.as_dict(), sensitivity=analysis, discrepancies=discrepancies(),
            fingerprint=result.fingerprint, created_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit_record(actor=actor, action="devindex.compute", obj=obj,
                     extra={"year": y, "spec_version": spec_obj.version, "fingerprint": result.fingerprint})
    return obj

"""The building register (BE-3), its grades (BE-4) and the targets computed from it (BE-5).

Writes (one transaction each, audited): `record_save` (a liaison or the county office edits a
building's year), `record_from_report` (inside the operator's filing step), `register_import`
(an xlsx of many buildings: every row checked before anything is written), `county_year_save`
(a county's total tax and clusters), `grades_recompute`. Every write of a year re-grades it and
keeps the grade as a decision with its trace (`decision_keep`).

Reads are scoped (`buildings_visible`): the city sees every building; a county its county's;
a subdistrict's liaison the buildings of that subdistrict; an operator the buildings it holds.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kmgov.core.audit import audit_record
from kmgov.core.calendar import local
from kmgov.core.errors import InvalidInput
from kmgov.core.models import OrgKind, OrgUnit, Role
from kmgov.core.scope import can_see_org, has_role, is_city_level, reach_paths, subtree_q
from kmgov.core.sheets import check_size_value
from kmgov.policies._recognition import State
from kmgov.procedures.decisions import DecisionRecord, decision_keep
from kmgov.procedures.errors import CaseNotFound
from kmgov.procedures.imports import Importer, actor_unit
from kmgov.procedures.inputs import validate_input
from kmgov.rules import decide

from .models import Building, BuildingApplication, BuildingYear, CountyYear, RegisterSource, Tenant
from .register_inputs import ManagementLevel, RegisterReportInput, money_of, tenant_of, yes_no
from .rules import FACILITIES, GRADE_LABELS

#: Who may write a building's register directly (七(三): the subdistrict's liaisons; 附件1
#: 第十七条: the county government's statistics): held at a unit containing the building.
EDIT_ROLES = (Role.TOWNSHIP_STAFF, Role.DEPARTMENT_LIAISON, Role.COUNTY_OFFICE,
              Role.COUNTY_DEPARTMENT, Role.CITY_OFFICE, Role.ADMINISTRATOR)
COUNTY_ROLES = (Role.COUNTY_OFFICE, Role.COUNTY_DEPARTMENT, Role.CITY_OFFICE, Role.ADMINISTRATOR)
FIRST_YEAR, LAST_YEAR = 2009, 2099  # 二(三): the targets run from 2009


# ---------------------------------------------------------------- reads

def buildings_visible(user) -> QuerySet:
    qs = Building.objects.select_related("county", "subdistrict")
    paths = reach_paths(user)
    if "/" in paths:
        return qs
    cond = Q(pk__in=[])
    for p in sorted(set(paths)):
        held = BuildingApplication.objects.filter(subtree_q(p), state=State.FILED)
        cond |= subtree_q(p, "county") | subtree_q(p, "subdistrict") | Q(
            pk__in=held.values("building_id"))
    return qs.filter(cond)


def building_get(pk: int, user) -> Building:
    b = buildings_visible(user).filter(pk=pk).first()
    if b is None:
        raise CaseNotFound("没有找到这幢商务楼宇，或您无权查看", field="building")
    return b


def recognised_q() -> Q:
    """Buildings in the register: recognised ones (附件1 第十一条, a filed recognition) and any
    with register data already."""
    return Q(applications__state=State.FILED) | Q(years__isnull=False)


def register_rows(user, *, year: int, county: str | None = None, grade: str | None = None):
    """The register of `year` as rows for the list (per county and grade)."""
    qs = buildings_visible(user).filter(recognised_q()).distinct()
    if county:
        qs = qs.filter(county__code=county)
    records = {r.building_id: r for r in BuildingYear.objects.filter(
        year=year, building__in=qs.values("pk"))}
    rows = []
    for b in qs.order_by("county__path", "name"):
        r = records.get(b.pk)
        if grade and (r is None or r.grade != grade):
            continue
        rows.append({"building": b, "record": r})
    return rows


def can_edit(user, building: Building) -> bool:
    unit = building.subdistrict or building.county
    return has_role(user, *EDIT_ROLES, within=unit) or (
        building.subdistrict is not None and has_role(user, *COUNTY_ROLES, within=building.county))


def _check_edit(user, building: Building) -> None:
    if not can_see_org(user, building.county) and not (
            building.subdistrict and can_see_org(user, building.subdistrict)):
        raise CaseNotFound("没有找到这幢商务楼宇，或您无权查看", field="building")
    if not can_edit(user, building):
        raise PermissionDenied(f"您无权修改商务楼宇“{building.name}”的楼宇经济信息"
                               "（由所在街道的楼宇经济联络员或县级楼宇办填报，62号 七(三)）")


def grade_record(record: BuildingYear, user) -> DecisionRecord | None:
    from django.contrib.contenttypes.models import ContentType

    building_get(record.building_id, user)
    return (DecisionRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(BuildingYear), object_id=record.pk)
        .order_by("-decided_at", "-id").first())


# ---------------------------------------------------------------- writes

def _check_year(year) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": f"年度须为{FIRST_YEAR}—{LAST_YEAR}之间的年份"}) from None
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise ValidationError({"year": f"年度须为{FIRST_YEAR}—{LAST_YEAR}之间的年份"})
    return y


def _check_areas(total: Decimal, office: Decimal, vacant: Decimal) -> None:
    if office > total:
        raise ValidationError({"office_floor_area_m2": "商务（办公）面积不能大于总建筑面积"})
    if vacant > office:
        raise ValidationError({"vacant_floor_area_m2": "空置面积不能大于商务（办公）面积"})


def _write(building: Building, year: int, data: RegisterReportInput, tenants: list[dict], *,
           actor, now, source: str, report=None) -> BuildingYear:
    _check_areas(data.total_floor_area_m2, data.office_floor_area_m2, data.vacant_floor_area_m2)
    record = BuildingYear.objects.select_for_update().filter(building=building, year=year).first()
    before = None
    if record is None:
        record = BuildingYear(building=building, year=year)
    else:
        before = {"tax_yuan": str(record.tax_yuan), "grade": record.grade,
                  "vacant_floor_area_m2": str(record.vacant_floor_area_m2)}
    record.total_floor_area_m2 = data.total_floor_area_m2
    record.office_floor_area_m2 = data.office_floor_area_m2
    record.vacant_floor_area_m2 = data.vacant_floor_area_m2
    record.management_level = str(data.management_level)
    record.facilities = {k: bool(data.facilities.get(k)) for k in FACILITIES}
    record.tax_yuan = sum((t["tax_yuan"] for t in tenants), Decimal("0.00"))
    record.source = source
    record.report = report
    record.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    record.recorded_at = now
    record.save()
    record.tenants.all().delete()
    Tenant.objects.bulk_create([Tenant(record=record, **t) for t in tenants])
    _grade_keep(record, actor=actor, now=now)
    audit_record(actor=actor, action="buildings.register_save", obj=record, org=building.county,
                 reason=f"{building.name} {year}年度楼宇经济信息（{RegisterSource(source).label}）",
                 extra={"year": year, "before": before, "tax_yuan": str(record.tax_yuan),
                        "tenants": len(tenants), "grade": record.grade})
    return record


def _grade_keep(record: BuildingYear, *, actor, now) -> None:
    """BE-4: grade the year from its figures and keep the decision with its trace (附件1 第十二条)."""
    d = decide("buildings.grade", {
        "tax_yuan": float(record.tax_yuan),
        "total_floor_area_m2": float(record.total_floor_area_m2),
        "facilities_count": sum(1 for v in record.facilities.values() if v),
        "management_level": record.management_level,
        "as_of": local(now).date().isoformat()})
    record.grade = d.to_dict()["grade"]
    record.save(update_fields=["grade"])
    decision_keep(record, d, actor=actor, now=now, step="grade",
                  subject=f"{record.building.name} {record.year}年度")


def _input(data) -> RegisterReportInput:
    return validate_input(RegisterReportInput, data, step_label="楼宇经济信息")


@transaction.atomic
def record_save(building: Building, year, data, *, actor, now=None) -> BuildingYear:
    """A liaison (or the county office) writes a building's year (七(三))."""
    _check_edit(actor, building)
    y = _check_year(year)
    inp = _input(data)
    return _write(building, y, inp, inp.tenant_rows(), actor=actor, now=now or timezone.now(),
                  source=RegisterSource.LIAISON)


def record_from_report(report, data: RegisterReportInput, *, actor, now) -> Building:
    """Inside the operator's filing step: its building (the one it holds, or the one named)
    and the year of the report's period."""
    held = Building.objects.filter(applications__org=report.org,
                                   applications__state=State.FILED).distinct()
    cert = (data.property_certificate_no or "").strip()
    if cert:
        building = held.filter(property_certificate_no=cert).first()
        if building is None:
            raise ValidationError({"property_certificate_no":
                                   f"产权证号“{cert}”不是本单位已认定的商务楼宇"})
    else:
        found = list(held[:2])
        if len(found) != 1:
            raise ValidationError({"property_certificate_no":
                                   "本单位持有多幢已认定楼宇，请填写所报楼宇的产权证号"
                                   if found else "本单位没有已认定的商务楼宇"})
        building = found[0]
    _write(building, int(report.period), data, data.tenant_rows(), actor=actor, now=now,
           source=RegisterSource.FILING, report=report)
    return building


@transaction.atomic
def building_liaison_set(building: Building, *, subdistrict: str, liaison_name: str,
                         liaison_phone: str = "", actor) -> Building:
    """七(三): the county office names the building's subdistrict (whose liaisons then keep its
    register) and its liaison."""
    if not (can_see_org(actor, building.county) or (
            building.subdistrict and can_see_org(actor, building.subdistrict))):
        raise CaseNotFound("没有找到这幢商务楼宇，或您无权查看", field="building")
    if not has_role(actor, *COUNTY_ROLES, within=building.county):
        raise PermissionDenied("只有县级楼宇办可以指定楼宇所在街道和联络员")
    unit = OrgUnit.objects.filter(code=str(subdistrict or "").strip(),
                                  kind__in=(OrgKind.SUBDISTRICT, OrgKind.TOWNSHIP),
                                  path__startswith=building.county.path).first()
    if unit is None:
        raise ValidationError({"subdistrict": f"所在街道须为{building.county.name}的街道（乡镇）"})
    name, phone = str(liaison_name or "").strip(), str(liaison_phone or "").strip()
    if not name or len(name) > 50:
        raise ValidationError({"liaison_name": "楼宇经济联络员须填写，不超过50字"})
    if len(phone) > 30:
        raise ValidationError({"liaison_phone": "联络员电话不超过30字"})
    before = {"subdistrict": building.subdistrict.code if building.subdistrict else None,
              "liaison_name": building.liaison_name}
    building.subdistrict, building.liaison_name, building.liaison_phone = unit, name, phone
    building.save(update_fields=["subdistrict", "liaison_name", "liaison_phone"])
    audit_record(actor=actor, action="buildings.liaison_set", obj=building, org=building.county,
                 reason=f"{building.name}：{unit.name} {name}",
                 extra={"before": before, "subdistrict": unit.code, "liaison_name": name})
    return building


def subdistrict_choices(building: Building) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in OrgUnit.objects.filter(
        kind__in=(OrgKind.SUBDISTRICT, OrgKind.TOWNSHIP),
        path__startswith=building.county.path).order_by("path")]


@transaction.atomic
def county_year_save(county: OrgUnit, year, *, total_tax_yuan, clusters, actor,
                     now=None) -> CountyYear:
    """A county's total tax (二(三) 市区税收总额, the share's denominator) and its clusters."""
    if not has_role(actor, *COUNTY_ROLES, within=county):
        if not can_see_org(actor, county):
            raise CaseNotFound("没有找到这个县（市）区，或您无权查看", field="county")
        raise PermissionDenied("只有县级楼宇办或市级楼宇办可以填报县（市）区的税收总额")
    y = _check_year(year)
    try:
        tax = money_of(total_tax_yuan, "税收总额")
    except ValueError as exc:
        raise ValidationError({"total_tax_yuan": str(exc)}) from None
    try:
        n = int(clusters)
        if n < 0 or n > 1000:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({"clusters": "特色楼宇经济聚集区须为0至1000之间的整数"}) from None
    now = now or timezone.now()
    row, _ = CountyYear.objects.update_or_create(
        county=county, year=y, defaults={"total_tax_yuan": tax, "clusters": n,
                                         "recorded_by": actor, "recorded_at": now})
    audit_record(actor=actor, action="buildings.county_year_save", obj=row, org=county,
                 extra={"year": y, "total_tax_yuan": str(tax), "clusters": n})
    return row


@transaction.atomic
def grades_recompute(year: int, *, actor, now=None) -> int:
    """Re-grade every register row of `year` the actor may edit (after an administrator changed
    a grading interpretation)."""
    now = now or timezone.now()
    n = 0
    for record in BuildingYear.objects.filter(year=year).select_related("building"):
        if can_edit(actor, record.building):
            _grade_keep(record, actor=actor, now=now)
            n += 1
    return n


# ---------------------------------------------------------------- xlsx

BUILDING_SHEET, TENANT_SHEET = "楼宇", "入驻企业"
BUILDING_HEADERS = ("产权证号", "年度", "楼宇名称", "总建筑面积（平方米）", "商务（办公）面积（平方米）",
                    "年末空置面积（平方米）", "物业服务企业资质",
                    *(f"{label}（是/否）" for label in FACILITIES.values()), "等级")
TENANT_HEADERS = ("产权证号", "年度", "企业名称", "行业", "在昆注册（是/否）", "总部（是/否）",
                  "年度纳税额（元）", "统一社会信用代码")
_LEVEL_BY_LABEL = {str(label): value for value, label in ManagementLevel.choices}


def register_export(user, *, year: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = BUILDING_SHEET
    ws.append(BUILDING_HEADERS)
    wt = wb.create_sheet(TENANT_SHEET)
    wt.append(TENANT_HEADERS)
    for row in register_rows(user, year=year):
        b, r = row["building"], row["record"]
        if r is None:
            continue
        ws.append([b.property_certificate_no, year, b.name, float(r.total_floor_area_m2),
                   float(r.office_floor_area_m2), float(r.vacant_floor_area_m2),
                   str(ManagementLevel(r.management_level).label),
                   *("是" if r.facilities.get(k) else "否" for k in FACILITIES),
                   GRADE_LABELS.get(r.grade, "")])
        for t in r.tenants.all():
            wt.append([b.property_certificate_no, year, t.name, t.industry,
                       "是" if t.registered_locally else "否", "是" if t.headquarters else "否",
                       float(t.tax_yuan), t.credit_code])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_rows(wb, name: str, headers: tuple) -> list[tuple[int, list]]:
    if name not in wb.sheetnames:
        raise ValidationError({"file": f"表格中没有名为“{name}”的工作表"})
    ws = wb[name]
    rows = list(ws.iter_rows(values_only=True))
    if not rows or [str(c or "").strip() for c in rows[0][:len(headers)]] != list(headers):
        raise ValidationError({"file": f"“{name}”表第1行须为表头：{'、'.join(headers)}"})
    return [(i, list(r)) for i, r in enumerate(rows[1:], start=2)
            if any(c not in (None, "") for c in r)]


def register_import(content: bytes, *, actor, now=None, on_progress=None) -> dict:
    """An xlsx in the export's layout. Every row is checked first (outside any transaction;
    `on_progress(done, total)` every `PROGRESS_EVERY` rows); a malformed row refuses the whole
    file with its sheet and row number, and nothing is written; then everything is written in
    one transaction."""
    from openpyxl import load_workbook

    now = now or timezone.now()
    try:
        check_size_value(len(content))
    except InvalidInput as exc:  # over the size cap (core.sheets)
        raise ValidationError({"file": exc.message}) from None
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a file that is not xlsx
        raise ValidationError({"file": "文件不是有效的xlsx表格"}) from None
    buildings: dict[tuple[str, int], dict] = {}
    by_cert: dict[str, Building] = {}

    def refuse(sheet, n, msg):
        raise ValidationError({"file": f"“{sheet}”表第{n}行：{msg}"})

    def building_of(sheet, n, cert) -> Building:
        cert = str(cert or "").strip()
        if cert not in by_cert:
            b = Building.objects.filter(property_certificate_no=cert).first()
            try:
                if b is None:
                    raise CaseNotFound("")
                _check_edit(actor, b)
            except (PermissionDenied, CaseNotFound):
                # the same words whether it exists elsewhere or not: nothing is revealed
                refuse(sheet, n, f"没有产权证号为“{cert}”的商务楼宇，或您无权修改")
            by_cert[cert] = b
        return by_cert[cert]

    building_rows = _sheet_rows(wb, BUILDING_SHEET, BUILDING_HEADERS)
    tenant_rows = _sheet_rows(wb, TENANT_SHEET, TENANT_HEADERS)
    total, seen = len(building_rows) + len(tenant_rows), 0

    def tick():
        nonlocal seen
        seen += 1
        if on_progress is not None and seen % PROGRESS_EVERY == 0:
            on_progress(seen, total)

    for n, r in building_rows:
        tick()
        r = (r + [None] * len(BUILDING_HEADERS))[:len(BUILDING_HEADERS)]
        b = building_of(BUILDING_SHEET, n, r[0])
        try:
            year = _check_year(r[1])
        except ValidationError:
            refuse(BUILDING_SHEET, n, f"“年度”须为{FIRST_YEAR}—{LAST_YEAR}之间的年份")
        if (b.property_certificate_no, year) in buildings:
            refuse(BUILDING_SHEET, n, f"“{b.name}”{year}年度重复出现")
        level = _LEVEL_BY_LABEL.get(str(r[6] or "").strip())
        if level is None:
            refuse(BUILDING_SHEET, n, f"“物业服务企业资质”须为：{'、'.join(_LEVEL_BY_LABEL)}")
        try:
            flags = {k: yes_no(r[7 + i], label) for i, (k, label) in enumerate(FACILITIES.items())}
        except ValueError as exc:
            refuse(BUILDING_SHEET, n, str(exc))
        data = {"total_floor_area_m2": r[3], "office_floor_area_m2": r[4],
                "vacant_floor_area_m2": r[5], "management_level": level, "facilities": flags}
        try:
            inp = _input(data)
            _check_areas(inp.total_floor_area_m2, inp.office_floor_area_m2,
                         inp.vacant_floor_area_m2)
        except ValidationError as exc:
            refuse(BUILDING_SHEET, n, "；".join(m for ms in exc.message_dict.values() for m in ms))
        except Exception as exc:  # StepInputInvalid: its Chinese message names the field
            refuse(BUILDING_SHEET, n, getattr(exc, "message", str(exc)))
        buildings[(b.property_certificate_no, year)] = {"building": b, "input": inp, "tenants": []}
    for n, r in tenant_rows:
        tick()
        r = (r + [None] * len(TENANT_HEADERS))[:len(TENANT_HEADERS)]
        b = building_of(TENANT_SHEET, n, r[0])
        try:
            key = (b.property_certificate_no, _check_year(r[1]))
        except ValidationError:
            refuse(TENANT_SHEET, n, f"“年度”须为{FIRST_YEAR}—{LAST_YEAR}之间的年份")
        if key not in buildings:
            refuse(TENANT_SHEET, n, f"“楼宇”表中没有“{b.name}”{r[1]}年度的行")
        try:
            buildings[key]["tenants"].append(tenant_of(r[2:], where=""))
        except ValueError as exc:
            refuse(TENANT_SHEET, n, str(exc))
    if on_progress is not None:
        on_progress(total, total)
    with transaction.atomic():
        for (_, year), item in buildings.items():
            _write(item["building"], year, item["input"], item["tenants"], actor=actor, now=now,
                   source=RegisterSource.IMPORT)
    return {"buildings": len(buildings),
            "tenants": sum(len(i["tenants"]) for i in buildings.values())}


# The background job's progress is written every so many rows.
PROGRESS_EVERY = 50


def _import_run(path, *, actor, params=None, on_progress=None) -> dict:
    """The register's import as a background job (kmgov.procedures.imports)."""
    from pathlib import Path

    result = register_import(Path(path).read_bytes(), actor=actor, on_progress=on_progress)
    return {**result, "rows": result["buildings"] + result["tenants"]}


def _import_text(result: dict) -> str:
    from django.utils.translation import gettext

    return gettext("已导入%(buildings)s幢楼宇的年度信息、%(tenants)s家入驻企业") % result


IMPORTER = Importer(
    kind="buildings.register", label=gettext_lazy("商务楼宇登记导入"), run=_import_run,
    org=lambda actor, params: actor_unit(actor), result_text=_import_text,
    result_url=lambda r: "/buildings/register/")


# ---------------------------------------------------------------- BE-5 targets

def _targets_inputs(records: list[BuildingYear], county_years: list[CountyYear], period_end: int):
    district_tax = sum((c.total_tax_yuan for c in county_years), Decimal(0))
    return {
        "period_end": period_end,
        "building_taxes_yuan": [float(r.tax_yuan) for r in records],
        "district_tax_total_yuan": float(district_tax) if district_tax else None,
        "office_floor_area_m2": float(sum((r.office_floor_area_m2 for r in records), Decimal(0))),
        "occupied_floor_area_m2": float(sum((r.occupied_floor_area_m2 for r in records),
                                            Decimal(0))),
        "clusters": sum(c.clusters for c in county_years),
    }


def targets(user, *, year: int) -> dict:
    """二(三) computed from the register of `year`: for the city (city-level readers) and each
    county the reader reaches, the counts, share and occupancy against the 2012 and the 2015
    targets, each a decision with its trace."""
    y = _check_year(year)
    counties = [u for u in OrgUnit.objects.filter(kind__in=(OrgKind.COUNTY, OrgKind.ZONE,
                                                            OrgKind.OTHER_BODY)).order_by("path")
                if can_see_org(user, u)]
    records = list(BuildingYear.objects.filter(year=y).select_related("building"))
    cys = {c.county_id: c for c in CountyYear.objects.filter(year=y)}
    as_of = dt.date(y, 12, 31).isoformat()

    def decisions(recs, cy):
        return {str(p): decide("buildings.targets_from_register",
                               {**_targets_inputs(recs, cy, p), "as_of": as_of})
                for p in (2012, 2015)}

    rows = []
    for county in counties:
        recs = [r for r in records if r.building.county_id == county.pk]
        cy = [cys[county.pk]] if county.pk in cys else []
        if not recs and not cy:
            continue
        rows.append({"county": county, "buildings": len(recs), "county_year": cy[0] if cy else None,
                     "decisions": decisions(recs, cy)})
    city = None
    if is_city_level(user):
        city = {"buildings": len(records), "decisions": decisions(records, list(cys.values()))}
    return {"year": y, "city": city, "counties": rows}

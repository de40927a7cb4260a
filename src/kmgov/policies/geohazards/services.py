"""Writes of the 109号 module. Each is one transaction with its audit entry; a batch (an
import) is all or nothing."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from pydantic import ValidationError as PydanticValidationError

from kmgov.core import geomap
from kmgov.core.audit import audit_record
from kmgov.core.errors import Forbidden, InvalidInput
from kmgov.core.models import COUNTY_LEVEL_KINDS, OrgKind, OrgUnit, Role, RoleAssignment
from kmgov.core.scope import subtree_q
from kmgov.core.sheets import capped_rows, check_size_value
from kmgov.procedures import notify
from kmgov.procedures.attachments import check_file
from kmgov.procedures.decisions import decision_keep
from kmgov.procedures.imports import Importer, ImportRejected, actor_unit
from kmgov.procedures.inputs import invalid_from_django, validate_input, zh_errors
from kmgov.rules import decide

from . import selectors
from .inputs import PointData, ShiftInput, WarningInput
from .models import (
    DutyGapEscalation,
    DutyShift,
    EmergencyPlan,
    HazardPoint,
    HazardType,
    RosterReport,
    Scale,
    WarningGrade,
    WeatherWarning,
)

SOURCE = "geohazards"


def _refusal(model=None):
    """A service's own `ValidationError` as the 422 refusal every channel shows one way."""
    def wrap(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except ValidationError as exc:
                raise invalid_from_django(exc, model) from None
        return run
    return wrap
ORG_KINDS = (*COUNTY_LEVEL_KINDS, OrgKind.TOWNSHIP, OrgKind.SUBDISTRICT, OrgKind.VILLAGE,
             OrgKind.COMMUNITY)
FIELDS = [n for n in PointData.model_fields if n not in ("code", "org", "monitors")]


# ---------------------------------------------------------------- units and points

def org_resolve(text: str, field: str = "org") -> OrgUnit:
    """A county, township or village by its code, name, short name or another spelling."""
    t = (text or "").strip()
    units = list(OrgUnit.objects.filter(Q(code=t) | Q(name=t) | Q(short_name=t), kind__in=ORG_KINDS))
    if not units:
        units = [u for u in OrgUnit.objects.filter(kind__in=ORG_KINDS) if t in (u.aliases or [])]
    if len(units) != 1:
        raise ValidationError({field: f"“{t}”不是一个县（市）区、乡镇或村" if not units
                               else f"“{t}”对应多个单位，请写全称"})
    return units[0]


def _check_place(data: PointData, unit: OrgUnit) -> None:
    """The coordinates must lie inside the county the point is registered in (where the map
    has the county's boundary)."""
    county = unit.county_level()
    if county is not None and county.code in geomap.COUNTY_ADCODES and not geomap.inside(
            county.code, float(data.longitude), float(data.latitude)):
        raise ValidationError({"longitude": f"坐标（{data.longitude}，{data.latitude}）不在{county.name}界内"})


def _apply(point: HazardPoint, data: PointData, unit: OrgUnit) -> dict:
    changes = {}
    values = {n: getattr(data, n) for n in FIELDS}
    values["monitors"] = [m.model_dump() for m in data.monitors]
    for n, v in values.items():
        old = getattr(point, n)
        if isinstance(old, Decimal) or isinstance(v, Decimal):
            same = old is not None and v is not None and Decimal(str(old)) == Decimal(str(v))
        else:
            same = old == v
        if not same:
            changes[n] = [_plain(old), _plain(v)]
            setattr(point, n, v)
    if point.org_id != unit.pk:
        changes["org"] = [point.org.code if point.org_id else None, unit.code]
        point.org = unit
    return changes


def _plain(v):
    if isinstance(v, (Decimal, dt.date)):
        return str(v)
    return v


def _save_one(data: PointData, *, actor, moment) -> tuple[HazardPoint, str]:
    unit = org_resolve(data.org)
    if not selectors.can_change(actor, unit):
        raise Forbidden(f"您无权登记“{unit.name}”的隐患点", field="org")
    _check_place(data, unit)
    point = HazardPoint.objects.select_for_update().filter(code=data.code).first()
    if point is not None and not selectors.can_change(actor, point.org):
        raise Forbidden(f"隐患点{data.code}不在您的管辖范围内", field="code")
    created = point is None
    point = point or HazardPoint(code=data.code)
    changes = _apply(point, data, unit)
    if not created and not changes:
        return point, "unchanged"
    point.full_clean(validate_unique=False)
    point.save()
    audit_record(actor=actor, action="geohazards.point_create" if created else "geohazards.point_update",
                 obj=point, org=point.org, extra={"code": point.code, "changes": changes})
    return point, "created" if created else "updated"


@_refusal(PointData)
@transaction.atomic
def point_save(raw, *, actor) -> HazardPoint:
    """Create or change one point (by its 编号); the audit entry holds every changed field."""
    data = validate_input(PointData, raw, step_label="隐患点登记")
    return _save_one(data, actor=actor, moment=timezone.now())[0]


def points_check(rows: list[tuple[int, dict]], *, actor, source: str = "xlsx",
                 on_progress=None) -> list[PointData]:
    """Check every (row number, fields) pair, outside any transaction; one bad row refuses the
    whole file, naming each bad row by its number and field (`ImportRejected.errors`)."""
    word = "个要素" if source == "geojson" else "行"   # a GeoJSON names features, a sheet rows
    errors, parsed = [], []
    total = len(rows)
    for i, (n, raw) in enumerate(rows, 1):
        if on_progress is not None and i % PROGRESS_EVERY == 0:
            on_progress(i, total)
        try:
            data = PointData.model_validate(raw)
            unit = org_resolve(data.org)
            _check_place(data, unit)
            if not selectors.can_change(actor, unit):
                raise ValidationError({"org": f"您无权登记“{unit.name}”的隐患点"})
            parsed.append(data)
        except PydanticValidationError as exc:
            errors += [{"row": n, "field": e["field"], "message": f"第{n}{word}：{e['message']}"}
                       for e in zh_errors(exc, PointData)]
        except ValidationError as exc:
            errors += [{"row": n, "field": f, "message": f"第{n}{word}：{m}"}
                       for f, ms in exc.message_dict.items() for m in ms]
    if on_progress is not None:
        on_progress(total, total)
    codes = [d.code for d in parsed]
    for code in {c for c in codes if codes.count(c) > 1}:
        dup = [n for (n, raw) in rows if str(raw.get("code", "")).strip() == code]
        errors.append({"row": dup[1], "field": "code",
                       "message": f"第{dup[1]}{word}：编号“{code}”与第{dup[0]}{word}重复"})
    if errors:
        errors.sort(key=lambda e: e["row"])
        raise ImportRejected(errors)
    return parsed


def points_import(rows: list[tuple[int, dict]], *, actor, source: str = "xlsx",
                  on_progress=None) -> dict:
    """Import (row number, fields) pairs: every row is checked first (`points_check`); one bad
    row refuses the whole file and nothing is written; then all are written in one transaction."""
    parsed = points_check(rows, actor=actor, source=source, on_progress=on_progress)
    moment = timezone.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for data in parsed:
            counts[_save_one(data, actor=actor, moment=moment)[1]] += 1
        audit_record(actor=actor, action="geohazards.points_import",
                     object_type="geohazards.hazardpoint", object_id="*",
                     extra={"source": source, "rows": len(rows), **counts})
    return counts


# The background job's progress is written every so many rows.
PROGRESS_EVERY = 50


def _import_run(path, *, actor, params=None, on_progress=None) -> dict:
    """The register's import as a background job (kmgov.procedures.imports): xlsx or GeoJSON."""
    from pathlib import Path

    content = Path(path).read_bytes()
    if str(path).lower().endswith((".geojson", ".json")):
        rows, source = geojson_rows(content), "geojson"
    else:
        rows, source = xlsx_rows(content), "xlsx"
    counts = points_import(rows, actor=actor, source=source, on_progress=on_progress)
    return {**counts, "rows": len(rows), "source": source}


def _import_text(result: dict) -> str:
    from django.utils.translation import gettext

    return gettext("已导入：新增 %(created)s 处，修改 %(updated)s 处，未变 %(unchanged)s 处") % result


IMPORTER = Importer(
    kind="geohazards.points", label=gettext_lazy("地质灾害隐患点导入"), run=_import_run,
    org=lambda actor, params: actor_unit(actor), suffixes=(".xlsx", ".geojson", ".json"),
    result_text=_import_text, result_url=lambda r: "/geohazards/points/")


# ---------------------------------------------------------------- xlsx and GeoJSON

# The register's columns, in the order of the xlsx sheet (the GeoJSON uses the field names).
COLUMNS = [
    ("code", "编号"), ("name", "名称"), ("hazard_type", "灾害类型"), ("scale", "规模"),
    ("org", "所在县（市）区或乡镇"), ("location", "位置（村组）"), ("longitude", "经度"),
    ("latitude", "纬度"), ("threatened_households", "威胁户数"), ("threatened_people", "威胁人数"),
    ("threatened_property", "威胁财产（万元）"), ("threatened_objects", "威胁对象"),
    ("monitor_names", "监测人"), ("monitor_phones", "监测人电话"),
    ("county_leader", "包乡县级领导"), ("county_leader_phone", "县级领导电话"),
    ("township_leader", "包村乡镇干部"), ("township_leader_phone", "乡镇干部电话"),
    ("village_cadre", "包组村干部"), ("village_cadre_phone", "村干部电话"),
    ("evacuation_route", "转移路线"), ("evacuation_place", "转移地点"), ("alarm_person", "报警人"),
    ("alarm_signal", "报警信号"), ("refuge", "避险场地"), ("cards_issued_on", "“两卡一书”发放日期"),
]
_CHOICE_CODES = {"hazard_type": {str(lbl): v for v, lbl in HazardType.choices},
                 "scale": {str(lbl): v for v, lbl in Scale.choices}}
_SEP = "、"
_NUMERIC = {"longitude", "latitude", "threatened_households", "threatened_people",
            "threatened_property", "cards_issued_on"}


def _row_to_fields(cells: dict) -> dict:
    """A sheet row (column name → cell) as `PointData` fields: labels to codes, the monitors'
    names and phones (separated by 、) paired."""
    out = {}
    for name, _ in COLUMNS:
        v = cells.get(name)
        if isinstance(v, str):
            v = v.strip()
        if v in (None, ""):
            continue
        if name in _CHOICE_CODES:
            v = _CHOICE_CODES[name].get(v, v)
        if isinstance(v, dt.datetime):
            v = v.date()
        if name in _NUMERIC:
            v = Decimal(str(v)) if isinstance(v, float) else v
        elif isinstance(v, float):
            v = str(int(v)) if v.is_integer() else str(v)   # a phone or code typed as a number
        elif isinstance(v, int):
            v = str(v)
        out[name] = v
    names = [x.strip() for x in str(out.pop("monitor_names", "")).split(_SEP) if x.strip()]
    phones = [x.strip() for x in str(out.pop("monitor_phones", "")).split(_SEP) if x.strip()]
    if len(names) != len(phones):
        raise ValidationError({"monitors": f"监测人{len(names)}名、电话{len(phones)}个，须一一对应"})
    out["monitors"] = [{"name": a, "phone": b} for a, b in zip(names, phones, strict=True)]
    return out


def _rows_checked(rows):
    out, errors = [], []
    for n, cells in rows:
        try:
            out.append((n, _row_to_fields(cells)))
        except ValidationError as exc:
            errors += [f"第{n}行：{m}" for ms in exc.message_dict.values() for m in ms]
    if errors:
        raise InvalidInput("导入失败，未写入任何数据：" + "；".join(errors), field="monitors")
    return out


def xlsx_rows(content: bytes) -> list[tuple[int, dict]]:
    """The data rows of the register's sheet: (sheet row number, fields). The header row names
    the columns (Chinese labels as exported); blank rows are skipped."""
    from openpyxl import load_workbook

    check_size_value(len(content))
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise InvalidInput("文件不是有效的 xlsx 工作簿", field="file") from exc
    ws = wb.worksheets[0]
    it = iter(capped_rows(ws))
    header = next(it, None) or ()
    by_label = {lbl: name for name, lbl in COLUMNS}
    names = [by_label.get(str(h).strip()) if h is not None else None for h in header]
    if "code" not in names:
        raise InvalidInput("第1行应为表头，且含“编号”列（请用导出的表格作模板）", field="file")
    rows = []
    for i, values in enumerate(it, start=2):
        if all(v in (None, "") for v in values):
            continue
        rows.append((i, {n: v for n, v in zip(names, values, strict=False) if n}))
    return _rows_checked(rows)


def _export_row(p: HazardPoint) -> dict:
    return {
        "code": p.code, "name": p.name, "hazard_type": p.get_hazard_type_display(),
        "scale": p.get_scale_display(), "org": p.org.name, "location": p.location,
        "longitude": float(p.longitude), "latitude": float(p.latitude),
        "threatened_households": p.threatened_households, "threatened_people": p.threatened_people,
        "threatened_property": float(p.threatened_property), "threatened_objects": p.threatened_objects,
        "monitor_names": p.monitor_names(), "monitor_phones": p.monitor_phones(),
        **{n: getattr(p, n) for n in ("county_leader", "county_leader_phone", "township_leader",
                                     "township_leader_phone", "village_cadre", "village_cadre_phone",
                                     "evacuation_route", "evacuation_place", "alarm_person",
                                     "alarm_signal", "refuge")},
        "cards_issued_on": p.cards_issued_on,
    }


def points_xlsx(points) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "地质灾害隐患点"
    ws.append([lbl for _, lbl in COLUMNS])
    for p in points:
        row = _export_row(p)
        ws.append([row.get(name) for name, _ in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def points_geojson(points) -> dict:
    """A FeatureCollection: each point a Feature with its register fields as properties (field
    names as `PointData`, monitors as a list), re-importable as it is."""
    feats = []
    for p in points:
        props = {n: getattr(p, n) for n in FIELDS if n not in ("longitude", "latitude")}
        props.update(code=p.code, org=p.org.code, monitors=p.monitors,
                     threatened_property=str(p.threatened_property),
                     cards_issued_on=p.cards_issued_on.isoformat() if p.cards_issued_on else None,
                     hazard_type_label=p.get_hazard_type_display(), scale_label=p.get_scale_display())
        feats.append({"type": "Feature", "id": p.code,
                      "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
                      "properties": props})
    return {"type": "FeatureCollection", "name": "地质灾害隐患点", "features": feats}


def geojson_rows(content: bytes | str) -> list[tuple[int, dict]]:
    """(feature number from 1, fields) of a FeatureCollection of Points."""
    try:
        doc = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("文件不是有效的 GeoJSON（JSON 格式错误）", field="file") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InvalidInput("GeoJSON 应为 FeatureCollection", field="file")
    rows, errors = [], []
    for i, f in enumerate(doc.get("features") or [], start=1):
        geom = (f or {}).get("geometry") or {}
        coords = geom.get("coordinates")
        if geom.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            errors.append(f"第{i}个要素：几何应为点（Point）及其经纬度")
            continue
        props = {k: v for k, v in (f.get("properties") or {}).items()
                 if k in PointData.model_fields}
        try:
            props["longitude"], props["latitude"] = (Decimal(str(round(float(c), 6))) for c in coords[:2])
        except (TypeError, ValueError, OverflowError):
            errors.append(f"第{i}个要素：经纬度应为数字")
            continue
        rows.append((i, props))
    if errors:
        raise InvalidInput("导入失败，未写入任何数据：" + "；".join(errors), field="file")
    return rows


# ---------------------------------------------------------------- cards and plans

@transaction.atomic
def cards_issued(point: HazardPoint, *, on: dt.date, actor) -> HazardPoint:
    """Record that the 两卡一书 were handed out (109号 二(四))."""
    if not selectors.can_change(actor, point.org):
        raise Forbidden("您无权登记该隐患点", field="code")
    old = point.cards_issued_on
    point.cards_issued_on = on
    point.save(update_fields=["cards_issued_on", "updated_at"])
    audit_record(actor=actor, action="geohazards.cards_issued", obj=point, org=point.org,
                 extra={"changes": {"cards_issued_on": [_plain(old), str(on)]}})
    return point


@_refusal(None)
@transaction.atomic
def plan_file(point: HazardPoint, *, title: str, approved_by: str, approved_on, fh, name: str,
              actor) -> EmergencyPlan:
    """File the point's emergency plan (109号 二(四)), a PDF or Word document judged by its
    bytes."""
    if not selectors.can_change(actor, point.org):
        raise Forbidden("您无权为该隐患点备案应急预案", field="code")
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写预案名称"
    if not (approved_by or "").strip():
        errors["approved_by"] = "请填写批准单位"
    try:
        approved_on = dt.date.fromisoformat(str(approved_on))
    except ValueError:
        errors["approved_on"] = "批准日期格式应为 年-月-日"
    if errors:
        raise ValidationError(errors)
    checked = check_file(fh, name=name, max_bytes=20 * 1024 * 1024, allowed=("pdf", "docx"))
    fh.seek(0)
    plan = EmergencyPlan.objects.create(point=point, title=title.strip(), approved_by=approved_by.strip(),
                                        approved_on=approved_on, file_name=name, content=fh.read(),
                                        content_type=checked.type.mime, filed_by=actor)
    audit_record(actor=actor, action="geohazards.plan_file", obj=point, org=point.org,
                 extra={"plan": plan.pk, "title": plan.title, "sha256": checked.sha256})
    return plan


# ---------------------------------------------------------------- warnings

LEADER_FIELDS = (("county_leader", "包乡县级领导"), ("township_leader", "包村乡镇干部"),
                 ("village_cadre", "包组村干部"))


def _users_by_phone(phones: set[str]) -> dict[str, object]:
    """Accounts whose role assignment carries one of `phones`: they also get the inbox copy."""
    out = {}
    for a in RoleAssignment.objects.filter(phone__in=phones).select_related("user"):
        out.setdefault(a.phone, a.user)
    return out


def warning_recipients(points) -> list[notify.Recipient]:
    """The monitors and the 四包 leaders of `points` (each person once)."""
    people = []
    for p in points:
        for m in p.monitors:
            people.append((m.get("name", ""), "监测人", m.get("phone", ""), m.get("email", ""), p))
        for f, role in LEADER_FIELDS:
            if getattr(p, f):
                people.append((getattr(p, f), role, getattr(p, f"{f}_phone"), "", p))
    users = _users_by_phone({x[2] for x in people if x[2]})
    return [notify.Recipient(name=n, role=f"{role}（{p.code} {p.name}）", phone=ph, email=em,
                             user=users.get(ph)) for n, role, ph, em, p in people]


@_refusal(WarningInput)
@transaction.atomic
def warning_issue(raw, *, actor) -> WeatherWarning:
    """Enter a weather-bureau warning once; push it to the monitors and leaders of every point
    in its area (109号 三(七) 注意接收气象部门的“等级预报”; 三(五) 预警动态监测)."""
    data: WarningInput = validate_input(WarningInput, raw, step_label="气象预警")
    areas = [org_resolve(a, "areas") for a in data.areas]
    issuer = None
    for a in RoleAssignment.objects.filter(user=actor).select_related("org"):
        if a.role not in (Role.PUBLIC, Role.AUDITOR):
            issuer = issuer or a.org
    for area in areas:
        if not selectors.can_change(actor, area):
            raise Forbidden(f"您无权向“{area.name}”发布预警", field="areas")
    if issuer is None:
        raise Forbidden("您无权发布预警", field="areas")
    w = WeatherWarning.objects.create(grade=data.grade, valid_from=data.valid_from,
                                      valid_until=data.valid_until, text=data.text,
                                      issued_by_org=issuer, entered_by=actor)
    w.areas.set(areas)
    cond = Q(pk__in=[])
    for area in areas:
        cond |= subtree_q(area.path)
    points = list(HazardPoint.objects.filter(cond).select_related("org").order_by("code"))
    grade = WarningGrade(data.grade).label
    names = "、".join(a.name for a in areas)
    body = (f"{names}地质灾害气象预警（{grade}），{data.valid_from:%m月%d日%H时}至"
            f"{data.valid_until:%m月%d日%H时}：{data.text} 请加强隐患点巡查监测，发现险情立即报警并组织转移。")
    note = notify.notify(warning_recipients(points), subject=f"地质灾害气象预警（{grade}）", body=body,
                         source=SOURCE, ref=f"warning-{w.pk}", org=issuer, actor=actor)
    w.notification = note
    w.save(update_fields=["notification"])
    audit_record(actor=actor, action="geohazards.warning_issue", obj=w, org=issuer,
                 extra={"grade": data.grade, "areas": [a.code for a in areas], "points": len(points),
                        "deliveries": note.deliveries.count()})
    return w


# ---------------------------------------------------------------- duty roster

def _county_for_roster(text: str, actor) -> OrgUnit:
    unit = org_resolve(text)
    if unit.kind != OrgKind.COUNTY or unit.code not in geomap.COUNTY_ADCODES:
        raise ValidationError({"org": "值班表按县（市）区填报"})
    if not selectors.can_change(actor, unit):
        raise Forbidden(f"您无权填报{unit.name}的值班表", field="org")
    return unit


@_refusal(ShiftInput)
@transaction.atomic
def shift_set(raw, *, actor) -> DutyShift:
    """Set one day's shift of a county's roster (replacing that day's entry)."""
    data: ShiftInput = validate_input(ShiftInput, raw, step_label="汛期值班")
    county = _county_for_roster(data.org, actor)
    start, end = selectors.season(data.day.year)
    if not start <= data.day <= end:
        raise ValidationError({"day": f"{data.day} 不在汛期（{start}至{end}）内"})
    shift, created = DutyShift.objects.update_or_create(
        org=county, day=data.day,
        defaults=dict(leader=data.leader, leader_phone=data.leader_phone, officer=data.officer,
                      officer_phone=data.officer_phone, deputy=data.deputy,
                      deputy_phone=data.deputy_phone, recorded_by=actor))
    audit_record(actor=actor, action="geohazards.shift_set", obj=shift, org=county,
                 extra={"day": str(data.day), "leader": data.leader, "officer": data.officer,
                        "created": created})
    return shift


@_refusal(None)
@transaction.atomic
def roster_report(county_text: str, year: int, *, actor) -> RosterReport:
    """Report the county's roster for the season to the city (三(四) 汛前…上报市政府办公厅)."""
    county = _county_for_roster(county_text, actor)
    rep, _ = RosterReport.objects.update_or_create(
        org=county, season=year, defaults={"reported_at": timezone.now(), "reported_by": actor})
    gaps = selectors.roster_gaps(county, year)
    audit_record(actor=actor, action="geohazards.roster_report", obj=rep, org=county,
                 extra={"season": year, "gaps": len(gaps)})
    return rep


def _duty_recipients(county: OrgUnit) -> list[notify.Recipient]:
    """The county's government and office, its land bureau, and the city's general office."""
    units = [county.pk]
    units += list(OrgUnit.objects.filter(code__in=[f"{county.code}-land", "city-general-office"])
                  .values_list("pk", flat=True))
    out = []
    for a in RoleAssignment.objects.filter(org_id__in=units).exclude(
            role__in=[Role.PUBLIC, Role.AUDITOR, Role.ENTERPRISE]).select_related("user", "org"):
        out.append(notify.Recipient(name=a.user.get_full_name() or a.user.username,
                                    role=f"{a.org.name}{a.title}", phone=a.phone,
                                    email=a.user.email, user=a.user))
    return out


@transaction.atomic
def gaps_escalate(*, on: dt.date, days_ahead: int = 7, actor=None) -> dict:
    """Escalate each day without anyone on duty, from `on` to `on + days_ahead` within the
    season, once per county and day: the county and the city's general office are told."""
    counts = {"counties": 0, "days": 0}
    for county in selectors.duty_counties():
        gaps = selectors.roster_gaps(county, on.year, start=on, end=on + dt.timedelta(days=days_ahead))
        done = set(DutyGapEscalation.objects.filter(org=county, day__in=gaps).values_list("day", flat=True))
        new = [d for d in gaps if d not in done]
        if not new:
            continue
        days = "、".join(f"{d:%m月%d日}" for d in new)
        note = notify.notify(
            _duty_recipients(county), subject=f"{county.name}汛期值班表缺班",
            body=f"{county.name}汛期24小时值班表以下日期无人值班：{days}。请立即安排带班领导和值班人员"
                 "（昆政办〔2010〕109号 三(二)）。", source=SOURCE, ref=f"gap-{county.code}",
            org=county, actor=actor)
        DutyGapEscalation.objects.bulk_create([
            DutyGapEscalation(org=county, day=d, escalated_at=timezone.now(), notification=note)
            for d in new])
        audit_record(actor=actor, action="geohazards.gap_escalate", object_type="geohazards.dutyshift",
                     object_id=county.code, org=county, extra={"days": [str(d) for d in new]})
        counts["counties"] += 1
        counts["days"] += len(new)
    return counts


# ---------------------------------------------------------------- quick reports

def report_judged(case, level: str, *, actor, now: dt.datetime) -> None:
    """Judge and keep (inside the step) whether the report reached `level` in time."""
    if case.occurred_at and case.occurred_at > now:
        raise ValidationError({"occurred_at": "发生时间不能晚于报告时间"})
    hours = round((now - case.occurred_at).total_seconds() / 3600, 2)
    d = decide("geohazards.quick_report_timeliness",
               {"level": level, "hours_elapsed": hours, "as_of": now.date().isoformat()})
    decision_keep(case, d, actor=actor, now=now,
                  subject=f"{'报县级' if level == 'county' else '报市级'}：发生后{hours}小时")


@_refusal(None)
@transaction.atomic
def report_create(*, org: str = "", point: str = "", actor):
    """Open a quick report for a unit (or a registered point's unit). A county land bureau
    files it in its own name (its unit is beside the townships, not above them)."""
    from kmgov.core.scope import can_change_org
    from kmgov.procedures.services import case_create

    from .models import QuickReport

    p = selectors.point_get(actor, point) if point else None
    unit = p.org if p else (OrgUnit.objects.filter(code=org).first() or org_resolve(org))
    if not can_change_org(actor, unit):
        county = unit.county_level()
        land = OrgUnit.objects.filter(code=f"{county.code}-land").first() if county else None
        if land is None or not can_change_org(actor, land):
            raise Forbidden(f"您无权以“{unit.name}”的名义报送速报", field="org")
        unit = land
    return case_create(QuickReport, actor=actor, org=unit, point=p,
                       title=f"地质灾害速报（{p.name if p else unit.name}）")

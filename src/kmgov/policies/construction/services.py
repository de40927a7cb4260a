"""Writes of 建设工程质检全覆盖 (111号). Each is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from kmgov.core.audit import audit_record
from kmgov.core.calendar import local
from kmgov.core.errors import InvalidInput
from kmgov.core.models import OrgUnit, Role
from kmgov.core.scope import can_change_org, has_role
from kmgov.core.sheets import capped_rows, check_size_value
from kmgov.procedures.errors import ConditionUnmet, TransitionDenied
from kmgov.procedures.filings import Period, PeriodKeyInvalid, PeriodKind
from kmgov.procedures.imports import Importer, actor_unit
from kmgov.procedures.services import case_create, case_transition

from .models import (
    CITY_HOUSING,
    GROUP_ROLE,
    SUPERVISING_UNITS,
    Inspection,
    PartyRole,
    Project,
    ProjectKind,
    ProjectParty,
    ProjectStatus,
    Rectification,
    SupervisionBody,
    default_deadline,
)

WRITER_ROLES = (Role.COUNTY_DEPARTMENT, Role.COUNTY_OFFICE, Role.COUNTY_GOVERNMENT,
                Role.CITY_OFFICE, Role.CITY_DEPARTMENT, Role.ADMINISTRATOR)


def supervising_unit(code: str | OrgUnit, field: str = "org") -> OrgUnit:
    """A county's or zone's 住房和城乡建设局, given it or its county (`wuhua` → `wuhua-housing`)."""
    if isinstance(code, OrgUnit):
        code = code.code
    code = (code or "").strip()
    if code and not code.endswith("-housing"):
        code = f"{code}-housing"
    if code not in SUPERVISING_UNITS:
        raise ValidationError({field: f"“{code or '（空）'}”不是县（市、区）或开发（度假）区的建设行政主管部门"})
    return OrgUnit.objects.get(code=code)


def _may_write(actor, unit: OrgUnit, what: str, field: str = "org") -> None:
    if not (can_change_org(actor, unit) and has_role(actor, *WRITER_ROLES, within=unit)) and not (
            has_role(actor, GROUP_ROLE, within=OrgUnit.objects.get(code=CITY_HOUSING))):
        raise TransitionDenied(f"您无权为“{unit.name}”{what}", field=field)


# ---------------------------------------------------------------- projects

PARTY_FIELDS = ("unit_name", "legal_rep", "person", "phone", "qualification")


def _clean_parties(parties) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i, p in enumerate(parties or []):
        role = str(p.get("role", "")).strip()
        if role not in PartyRole.values:
            labels = {str(lbl): v for v, lbl in PartyRole.choices}
            role = labels.get(role, role)
        if role not in PartyRole.values:
            raise ValidationError({f"parties.{i}.role": f"第{i + 1}个责任主体：类别“{role}”无效"})
        if role in out:
            raise ValidationError({f"parties.{i}.role":
                                   f"第{i + 1}个责任主体：{PartyRole(role).label}重复"})
        fields = {k: str(p.get(k) or "").strip() for k in PARTY_FIELDS}
        if not fields["unit_name"]:
            continue
        out[role] = fields
    return out


def _project_fields(data: dict) -> dict:
    kind = str(data.get("kind", "")).strip()
    kinds = {str(lbl): v for v, lbl in ProjectKind.choices}
    kind = kinds.get(kind, kind)
    status = str(data.get("status") or ProjectStatus.UNDERWAY).strip()
    statuses = {str(lbl): v for v, lbl in ProjectStatus.choices}
    status = statuses.get(status, status)
    started = data.get("started_on") or None
    if isinstance(started, dt.datetime):
        started = started.date()
    if isinstance(started, str):
        try:
            started = dt.date.fromisoformat(started.strip())
        except ValueError:
            raise ValidationError({"started_on": f"开工日期“{started}”应写作如2010-07-01"}) from None
    return {"code": str(data.get("code") or "").strip(), "name": str(data.get("name") or "").strip(),
            "kind": kind, "address": str(data.get("address") or "").strip(),
            "permit_no": str(data.get("permit_no") or "").strip(), "started_on": started,
            "status": status}


def _save_project(*, actor, unit: OrgUnit, data: dict, project: Project | None = None) -> Project:
    fields = _project_fields(data)
    parties = _clean_parties(data.get("parties"))
    if project is None:
        project = Project(org=unit, created_by=actor, **fields)
    else:
        for k, v in fields.items():
            setattr(project, k, v)
    project.full_clean(exclude=["created_by", "org"])
    project.save()
    for role, values in parties.items():
        party, _ = ProjectParty.objects.get_or_create(project=project, role=role,
                                                      defaults={"unit_name": values["unit_name"]})
        for k, v in values.items():
            setattr(party, k, v)
        party.full_clean()
        party.save()
    return project


@transaction.atomic
def project_create(*, actor, org: str | OrgUnit, **data) -> Project:
    """Register a project under a county's supervision, with its responsible parties
    (`parties=[{"role": "builder", "unit_name": …, "legal_rep", "person", "phone"}, …]`)."""
    unit = supervising_unit(org)
    _may_write(actor, unit, "登记工程项目")
    if Project.objects.filter(code=str(data.get("code") or "").strip()).exists():
        raise ValidationError({"code": f"监督登记号“{data.get('code')}”已登记"})
    project = _save_project(actor=actor, unit=unit, data=data)
    audit_record(actor=actor, action="construction.project_create", obj=project, org=unit,
                 extra={"code": project.code, "parties": sorted(project.parties.values_list(
                     "role", flat=True))})
    return project


@transaction.atomic
def project_update(project: Project, *, actor, **data) -> Project:
    _may_write(actor, project.org, "修改工程项目")
    data.setdefault("code", project.code)
    before = {f: str(getattr(project, f)) for f in ("name", "kind", "status", "started_on")}
    project = _save_project(actor=actor, unit=project.org, data=data, project=project)
    audit_record(actor=actor, action="construction.project_update", obj=project, org=project.org,
                 extra={"before": before})
    return project


# ---------------------------------------------------------------- xlsx import / export

#: The columns of the register's spreadsheet: the project, then each party's unit, legal
#: representative, person in charge and phone.
PROJECT_COLUMNS = [("code", "监督登记号"), ("org", "监督单位"), ("name", "工程名称"),
                   ("kind", "工程类别"), ("address", "工程地点"), ("permit_no", "施工许可证号"),
                   ("started_on", "开工日期"), ("status", "工程状态")]
PARTY_COLUMNS = [("unit_name", "单位"), ("legal_rep", "法定代表人"), ("person", "项目负责人"),
                 ("phone", "电话")]


def xlsx_headers() -> list[str]:
    heads = [label for _, label in PROJECT_COLUMNS]
    for role in PartyRole:
        heads += [f"{role.label}{label}" for _, label in PARTY_COLUMNS]
    return heads


def projects_xlsx(projects) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "工程项目"
    ws.append(xlsx_headers())
    for p in projects:
        parties = {x.role: x for x in p.parties.all()}
        row = [p.code, p.org.code, p.name, p.get_kind_display(), p.address, p.permit_no,
               p.started_on.isoformat() if p.started_on else "", p.get_status_display()]
        for role in PartyRole:
            x = parties.get(role.value)
            row += [getattr(x, k, "") if x else "" for k, _ in PARTY_COLUMNS]
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def projects_import_xlsx(content: bytes, *, actor, on_progress=None) -> dict:
    """Create or update projects from the register's spreadsheet (headers as `xlsx_headers`).
    Every row is tried, each in a savepoint of one transaction; a bad row is refused naming its
    row number (all the bad rows are named), and then nothing at all is written.
    `on_progress(done, total)` is called every `PROGRESS_EVERY` rows."""
    from openpyxl import load_workbook

    try:
        check_size_value(len(content))
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = capped_rows(wb.active)
    except InvalidInput as exc:  # over a cap (core.sheets)
        raise ValidationError({"file": exc.message}) from None
    except Exception:
        raise ValidationError({"file": "不是有效的xlsx文件"}) from None
    if not rows:
        raise ValidationError({"file": "表格为空"})
    heads = [str(h or "").strip() for h in rows[0]]
    missing = [h for h in ("监督登记号", "监督单位", "工程名称", "工程类别") if h not in heads]
    if missing:
        raise ValidationError({"file": f"缺少列：{'、'.join(missing)}"})
    index = {h: i for i, h in enumerate(heads)}
    created = updated = 0
    errors: list[str] = []
    total = len(rows) - 1
    with transaction.atomic():
        for n, raw in enumerate(rows[1:], start=2):
            if on_progress is not None and (n - 1) % PROGRESS_EVERY == 0:
                on_progress(n - 1, total)
            if not any(v not in (None, "") for v in raw):
                continue

            def cell(label, raw=raw):
                i = index.get(label)
                v = raw[i] if i is not None and i < len(raw) else None
                return v.date().isoformat() if isinstance(v, dt.datetime) else (
                    "" if v is None else str(v).strip())

            data = {k: cell(label) for k, label in PROJECT_COLUMNS}
            data["parties"] = [{"role": role.value, **{k: cell(f"{role.label}{label}")
                                                       for k, label in PARTY_COLUMNS}}
                               for role in PartyRole]
            try:
                with transaction.atomic():
                    existing = Project.objects.filter(code=data["code"]).first()
                    if existing is not None:
                        project_update(existing, actor=actor,
                                       **{k: v for k, v in data.items() if k != "org"})
                        updated += 1
                    else:
                        project_create(actor=actor, **data)
                        created += 1
            except ValidationError as exc:
                errors += [f"第{n}行“{PROJECT_LABELS.get(k, k)}”列：{'，'.join(v)}"
                           for k, v in exc.message_dict.items()]
            except TransitionDenied as exc:
                errors.append(f"第{n}行：{exc.message}")
        if on_progress is not None:
            on_progress(total, total)
        if errors:  # leaving the transaction by the exception: nothing is written
            raise ValidationError({"file": errors})
    return {"created": created, "updated": updated}


# The background job's progress is written every so many rows.
PROGRESS_EVERY = 50


def _import_run(path, *, actor, params=None, on_progress=None) -> dict:
    """The project register's import as a background job (kmgov.procedures.imports)."""
    from pathlib import Path

    result = projects_import_xlsx(Path(path).read_bytes(), actor=actor, on_progress=on_progress)
    return {**result, "rows": result["created"] + result["updated"]}


def _import_text(result: dict) -> str:
    from django.utils.translation import gettext

    return gettext("已导入：新增%(created)s项，更新%(updated)s项") % result


IMPORTER = Importer(
    kind="construction.projects", label=gettext_lazy("工程项目登记导入"), run=_import_run,
    org=lambda actor, params: actor_unit(actor), result_text=_import_text,
    result_url=lambda r: "/construction/")


PROJECT_LABELS = {**dict(PROJECT_COLUMNS), "__all__": "项目"}


# ---------------------------------------------------------------- supervision bodies

@transaction.atomic
def body_set(*, actor, org: str | OrgUnit, name: str, full_time_staff: int, head: str = "",
             phone: str = "") -> SupervisionBody:
    """Record a county's supervision body and its full-time staff (四(三))."""
    unit = supervising_unit(org)
    _may_write(actor, unit, "登记监督机构")
    try:
        staff = int(full_time_staff)
    except (TypeError, ValueError):
        raise ValidationError({"full_time_staff": "专职人员须为整数"}) from None
    if staff < 0:
        raise ValidationError({"full_time_staff": "专职人员不能为负数"})
    body, _ = SupervisionBody.objects.get_or_create(org=unit, defaults={"name": name.strip() or unit.name})
    before = body.full_time_staff
    body.name, body.full_time_staff = (name or "").strip() or unit.name, staff
    body.head, body.phone = head.strip(), phone.strip()
    body.full_clean()
    body.save()
    audit_record(actor=actor, action="construction.body_set", obj=body, org=unit,
                 extra={"full_time_staff": staff, "before": before})
    return body


# ---------------------------------------------------------------- inspections

def _quarter(key: str) -> Period:
    try:
        return Period.parse(key, PeriodKind.QUARTER)
    except PeriodKeyInvalid as exc:
        raise ConditionUnmet(str(exc), field="quarter") from None


@transaction.atomic
def inspection_schedule(*, actor, org: str | OrgUnit, quarter: str, planned_on: dt.date | str,
                        now: dt.datetime | None = None) -> Inspection:
    """The inspection group schedules a county's inspection of a quarter (五(一))."""
    unit = supervising_unit(org)
    p = _quarter(quarter)
    if isinstance(planned_on, str):
        try:
            planned_on = dt.date.fromisoformat(planned_on)
        except ValueError:
            raise ValidationError({"planned_on": "计划督查日期应写作如2010-08-15"}) from None
    if not p.start() <= planned_on <= p.end():
        raise ValidationError({"planned_on": f"计划督查日期须在{p.label()}内"})
    if not has_role(actor, GROUP_ROLE, within=OrgUnit.objects.get(code=CITY_HOUSING)):
        raise TransitionDenied("季度督查由督查组（市住建局领导小组办公室）安排", field="org")
    return case_create(Inspection, actor=actor, org=unit, now=now, quarter=p.key,
                       planned_on=planned_on, title=f"{unit.parent.name}{p.label()}工程质量安全督查")


def finding_issue(inspection: Inspection, *, actor, now, project: str, problem: str,
                  requirement: str = "", deadline: dt.date | None = None) -> Rectification:
    """Inside the inspection's `add_finding` step: one rectification case for the finding,
    its notice given at once (its deadline starts now)."""
    day = local(now).date()
    deadline = deadline or default_deadline(day)
    if deadline < day:
        raise ValidationError({"deadline": "整改期限不能早于今天"})
    registered = Project.objects.filter(org=inspection.org, name=project.strip()).first()
    rect = case_create(Rectification, actor=actor, org=inspection.org, now=now,
                       title=f"整改：{project.strip()}"[:200], inspection=inspection,
                       project_name=project.strip(), project=registered, problem=problem.strip(),
                       requirement=requirement.strip(), deadline=deadline)
    audit_record(actor=actor, action="cq-inspection.finding", obj=inspection, org=inspection.org,
                 extra={"rectification": rect.reference, "deadline": deadline.isoformat()})
    return case_transition(rect, "issue", actor=actor, now=now)

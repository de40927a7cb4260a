"""Pages of 建设工程质检全覆盖 (111号): the project register (list, detail, registration form,
xlsx import and export), the supervision bodies with their check, the scheduling of quarterly
inspections and the city monthly report (page, xlsx, PDF). The filings, inspections and
rectifications are the kernel's generated pages (/filings/cq-monthly/, /cases/cq-…/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kmgov.core.errors import Refusal, field_errors
from kmgov.core.models import OrgUnit, Role
from kmgov.core.replica import reads_from_replica
from kmgov.core.scope import has_role
from kmgov.procedures.filings import Period, PeriodKeyInvalid, PeriodKind
from kmgov.rules import today

from . import reports, selectors, services
from .models import (
    CITY_HOUSING,
    GROUP_ROLE,
    SUPERVISING_UNITS,
    PartyRole,
    ProjectKind,
    ProjectStatus,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        labels = {**services.PROJECT_LABELS, "full_time_staff": "专职人员", "planned_on": "计划督查日期",
                  "quarter": "督查季度", "file": "文件"}
        return [f"{labels.get(k, '')}：{m}" if labels.get(k) else m
                for k, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


def _units(user):
    """The supervising units the user may register for (the group: all)."""
    units = OrgUnit.objects.filter(code__in=SUPERVISING_UNITS).select_related("parent")
    return [u for u in _in_gazette_order(units) if has_role(user, *services.WRITER_ROLES, within=u)
            or has_role(user, GROUP_ROLE, within=OrgUnit.objects.get(code=CITY_HOUSING))]


def _in_gazette_order(units) -> list[OrgUnit]:
    order = {code: i for i, code in enumerate(SUPERVISING_UNITS)}
    return sorted(units, key=lambda u: order.get(u.code, len(order)))


def _is_group(user) -> bool:
    return has_role(user, GROUP_ROLE, within=OrgUnit.objects.get(code=CITY_HOUSING))


@login_required
def overview(request):
    if request.method == "POST":
        return _post(request)
    return _overview(request)


#: The fields of the overview's forms by their ids (for the error summary's links).
_FORM_IDS = {"body": {"org": "b-org", "name": "b-name", "full_time_staff": "b-staff",
                      "head": "b-head", "phone": "b-phone"},
             "inspection": {"org": "i-org", "quarter": "i-q", "planned_on": "i-d"},
             "project": {"org": "p-org", "code": "p-code", "name": "p-name", "kind": "p-kind",
                         "address": "p-addr", "permit_no": "p-permit", "started_on": "p-start",
                         "status": "p-status"}}


def _overview(request, kept=None):
    """The overview; `kept` = a refused form (its action, what was typed, the messages by
    field), shown again with each message above its field."""
    org = request.GET.get("org", "")
    projects = selectors.projects_visible(request.user, org=org, q=request.GET.get("q", ""))
    day = today()
    from kmgov.rules.plain import explain

    bodies = []
    for b in selectors.bodies_visible(request.user):
        d = selectors.body_check(b, year=day.year, on=day)
        bodies.append({"body": b, "ok": d.outcome == "compliant", "plain": explain(d.to_dict()),
                       "staff_ok": d.outputs["checks"].get("staff", True),
                       "missing_q": [_label(k, PeriodKind.QUARTER)
                                     for k in d.outputs.get("quarters_without_inspection") or []],
                       "missing_m": [_label(k, PeriodKind.MONTH)
                                     for k in d.outputs.get("months_without_report") or []]})
    units = _units(request.user)
    last_month = Period.containing(day, PeriodKind.MONTH).shift(-1)
    return render(request, "construction/overview.html", {
        "projects": projects[:500], "bodies": bodies, "units": units, "org": org,
        "q": request.GET.get("q", ""), "kinds": ProjectKind.choices,
        "statuses": ProjectStatus.choices, "party_roles": list(PartyRole),
        "is_group": _is_group(request.user), "last_month": last_month,
        "this_quarter": Period.containing(day, PeriodKind.QUARTER),
        "counties": _in_gazette_order(OrgUnit.objects.filter(code__in=SUPERVISING_UNITS)
                                      .select_related("parent")),
        "kept": kept or {},
    }, status=400 if kept else 200)


def _post(request):
    action = request.POST.get("action", "")
    try:
        if action == "project":
            data = {k: request.POST.get(k, "") for k in
                    ("org", "code", "name", "kind", "address", "permit_no", "started_on", "status")}
            data["parties"] = [{"role": r.value, **{k: request.POST.get(f"{r.value}_{k}", "")
                                                    for k in services.PARTY_FIELDS}}
                               for r in PartyRole]
            p = services.project_create(actor=request.user, **data)
            messages.success(request, f"已登记：{p.code} {p.name}")
        elif action == "import":
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError({"file": "请选择xlsx文件"})
            r = services.projects_import_xlsx(upload.read(), actor=request.user)
            messages.success(request, f"已导入：新增{r['created']}项，更新{r['updated']}项")
        elif action == "body":
            services.body_set(actor=request.user, org=request.POST.get("org", ""),
                              name=request.POST.get("name", ""),
                              full_time_staff=request.POST.get("full_time_staff", ""),
                              head=request.POST.get("head", ""), phone=request.POST.get("phone", ""))
            messages.success(request, "已保存监督机构")
        elif action == "inspection":
            case = services.inspection_schedule(actor=request.user, org=request.POST.get("org", ""),
                                                quarter=request.POST.get("quarter", ""),
                                                planned_on=request.POST.get("planned_on", ""))
            messages.success(request, f"已安排督查：{case.reference}")
            return redirect("construction:inspection", reference=case.reference)
    except (ValidationError, Refusal) as exc:
        if action not in _FORM_IDS:  # the import: its message at the top, as before
            for m in (_errors(exc) if isinstance(exc, ValidationError) else [exc.message]):
                messages.error(request, m)
            return redirect(request.path)
        errors = field_errors(exc)
        ids = _FORM_IDS[action]
        return _overview(request, kept={
            "action": action, "values": request.POST, "errors": errors,
            "parties": [(r.value, {k: request.POST.get(f"{r.value}_{k}", "")
                                   for k in services.PARTY_FIELDS}) for r in PartyRole],
            "summary": [(ids.get(k, ""), m) for k, m in errors.items()]})
    return redirect(request.path)


@login_required
def project_detail(request, code: str):
    project = selectors.project_get(request.user, code)
    return render(request, "construction/project.html", {
        "p": project, "parties": {x.role: x for x in project.parties.all()},
        "party_roles": list(PartyRole), "findings": project.findings.order_by("-created_at")})


@login_required
@reads_from_replica
def projects_export(request):
    content = services.projects_xlsx(selectors.projects_visible(request.user,
                                                                org=request.GET.get("org", "")))
    resp = HttpResponse(content, content_type=XLSX)
    resp["Content-Disposition"] = 'attachment; filename="cq-projects.xlsx"'
    return resp


@login_required
@reads_from_replica
def city_report(request):
    key = request.GET.get("period") or Period.containing(today(), PeriodKind.MONTH).shift(-1).key
    try:
        report = reports.city_report(request.user, key)
    except PeriodKeyInvalid as exc:
        messages.error(request, str(exc))
        return redirect(request.path)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf"):
        content = reports.report_xlsx(report) if fmt == "xlsx" else reports.report_pdf(report)
        resp = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="cq-city-{report["period"]}.{fmt}"'
        return resp
    period = Period.parse(report["period"], PeriodKind.MONTH)
    return render(request, "construction/city_report.html", {
        "r": report, "counts": reports.COUNTS, "period": period,
        "periods": [period.shift(-k) for k in range(1, 4)] + [period.shift(1)],
        "can_receive": has_role(request.user, Role.CITY_DEPARTMENT, GROUP_ROLE)})


def _label(key: str, kind: PeriodKind) -> str:
    return Period.parse(key, kind).label()


def inspection_extra(request, case):
    return {"findings": case.findings.order_by("pk")}

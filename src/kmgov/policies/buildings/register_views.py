"""Pages of the building register (BE-3), grades (BE-4) and targets (BE-5):

- /buildings/register/?year=&county=&grade=  the register per county and grade
- /buildings/register/<id>/?year=            a building: its years (occupancy over time), tenants,
                                             grade with its trace, and the form for editors
- /buildings/register/import/                xlsx import (refused rows named, nothing written)
- /buildings/register/export.xlsx?year=      xlsx export (the import's layout)
- /buildings/targets/?year=                  二(三) targets from the register, with the traces
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kmgov.core.errors import field_errors
from kmgov.core.models import OrgUnit
from kmgov.core.money import UNIT_WORDS, WAN, amount_parse, amount_text, unit_code
from kmgov.core.replica import reads_from_replica
from kmgov.core.scope import has_role
from kmgov.procedures.errors import CaseNotFound, StepInputInvalid
from kmgov.procedures.inputs import form_data, form_fields
from kmgov.rules import today

from . import register
from .models import BuildingYear, CountyYear, GradeCode
from .register_inputs import RegisterReportInput
from .rules import FACILITIES, GRADE_LABELS, MANAGEMENT_LEVELS


def _year(request) -> int:
    raw = request.GET.get("year") or ""
    try:
        return register._check_year(raw)
    except ValidationError:
        return today().year - 1  # 七(三): the register of the last full year


def _messages(exc: Exception) -> tuple[str, dict]:
    if isinstance(exc, StepInputInvalid):
        return exc.message, {e["field"]: e["message"] for e in exc.errors}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        errs = {k: "；".join(v) for k, v in exc.message_dict.items()}
        return "；".join(errs.values()), errs
    return str(exc), {}


@login_required
def register_list(request):
    year = _year(request)
    county = request.GET.get("county") or None
    grade = request.GET.get("grade") or None
    rows = register.register_rows(request.user, year=year, county=county, grade=grade)
    counts: dict = {}
    for r in register.register_rows(request.user, year=year, county=county):
        key = r["building"].county.name
        g = (r["record"].grade or "none") if r["record"] else "none"
        counts.setdefault(key, {"A": 0, "B": 0, "C": 0, "none": 0})[g] += 1
    counties = OrgUnit.objects.filter(pk__in=register.buildings_visible(request.user)
                                      .values("county_id")).order_by("path")
    return render(request, "buildings/register_list.html", {
        "year": year, "rows": rows, "county": county, "grade": grade, "counties": counties,
        "grades": GradeCode.choices, "counts": counts, "grade_labels": GRADE_LABELS,
        "can_import": has_role(request.user, *register.EDIT_ROLES),
    })


@login_required
@require_http_methods(["GET", "POST"])
def register_detail(request, pk: int):
    try:
        building = register.building_get(pk, request.user)
    except CaseNotFound:
        raise Http404 from None
    year = _year(request)
    editable = register.can_edit(request.user, building)
    error, errors, values = "", {}, None
    can_assign = has_role(request.user, *register.COUNTY_ROLES, within=building.county)
    if request.method == "POST" and request.POST.get("form") == "liaison":
        if not can_assign:
            raise PermissionDenied(_("只有县级楼宇办可以指定楼宇所在街道和联络员"))
        try:
            register.building_liaison_set(
                building, subdistrict=request.POST.get("subdistrict", ""),
                liaison_name=request.POST.get("liaison_name", ""),
                liaison_phone=request.POST.get("liaison_phone", ""), actor=request.user)
            return redirect(f"{request.path}?year={year}")
        except ValidationError as exc:
            error, errors = _messages(exc)
    elif request.method == "POST":
        if not editable:
            raise PermissionDenied(_("您无权修改这幢楼宇的楼宇经济信息"))
        data = form_data(RegisterReportInput, request.POST)
        try:
            register.record_save(building, year, data, actor=request.user)
            return redirect(f"{request.path}?year={year}")
        except (StepInputInvalid, ValidationError) as exc:
            error, errors = _messages(exc)
            values = data
    years = list(BuildingYear.objects.filter(building=building).order_by("year"))
    record = next((r for r in years if r.year == year), None)
    grade = register.grade_record(record, request.user) if record else None
    if values is None and record is not None:
        values = {"total_floor_area_m2": record.total_floor_area_m2,
                  "office_floor_area_m2": record.office_floor_area_m2,
                  "vacant_floor_area_m2": record.vacant_floor_area_m2,
                  "management_level": record.management_level, "facilities": record.facilities,
                  "tenants": [f"{t.name}｜{t.industry}｜{'是' if t.registered_locally else '否'}｜"
                              f"{'是' if t.headquarters else '否'}｜{t.tax_yuan}"
                              + (f"｜{t.credit_code}" if t.credit_code else "")
                              for t in record.tenants.all()]}
    liaison_post = request.method == "POST" and request.POST.get("form") == "liaison"
    fields = [f for f in form_fields(RegisterReportInput, values=values or {},
                                     errors={} if liaison_post else errors)
              if f.name != "property_certificate_no"]
    return render(request, "buildings/register_detail.html", {
        "building": building, "year": year, "years": years, "record": record,
        "grade": grade, "grade_decision": grade.as_decision() if grade else None,
        "grade_labels": GRADE_LABELS,
        "facility_labels": [label for k, label in FACILITIES.items()
                            if record is not None and record.facilities.get(k)],
        "management_levels": MANAGEMENT_LEVELS,
        "editable": editable, "error": error, "can_assign": can_assign,
        "liaison_errors": (errors or {"__all__": error}) if liaison_post and error else {},
        "subdistricts": register.subdistrict_choices(building) if can_assign else [],
        "form": {"spec": {"name": "register", "label": _("保存楼宇年度信息")}, "fields": fields,
                 "error": "" if liaison_post else error},
    }, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def register_import(request):
    """The register's xlsx import; a refusal is shown beside the file field with the file's
    name (a browser never refills a file input), nothing imported."""
    result, error, picked = None, "", ""
    if request.method == "POST":
        f = request.FILES.get("file")
        try:
            if f is None:
                raise ValidationError({"file": _("请选择要导入的xlsx文件")})
            picked = f.name
            if f.size > 10 * 1024 * 1024:
                raise ValidationError({"file": _("文件不能超过10MB")})
            result = register.register_import(f.read(), actor=request.user)
        except (ValidationError, StepInputInvalid) as exc:
            # the form has one control: whatever the refusal names (a sheet's row) is the file's
            error = "；".join(field_errors(exc).values())
    return render(request, "buildings/register_import.html", {
        "result": result, "error": error, "picked": picked,
        "summary": [("f-file", error)] if error else []}, status=400 if error else 200)


@login_required
@reads_from_replica
def register_export(request):
    year = _year(request)
    body = register.register_export(request.user, year=year)
    resp = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="building-register-{year}.xlsx"'
    return resp


_TARGET_IDS = {"county": "f-county", "total_tax_yuan": "f-tax", "clusters": "f-clusters"}


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    year = _year(request)
    error, errors, typed = "", {}, {"total_tax_yuan__unit": WAN}
    if request.method == "POST":
        county = OrgUnit.objects.filter(code=request.POST.get("county", "")).first()
        # the county's tax typed in 元 or 万元, kept in 元 (exact); kept as typed on a refusal
        typed = {k: request.POST.get(k, "") for k in ("county", "total_tax_yuan", "clusters")}
        typed["total_tax_yuan__unit"] = unit_code(request.POST.get("total_tax_yuan__unit"), WAN)
        yuan = amount_parse(typed["total_tax_yuan"], typed["total_tax_yuan__unit"])
        try:
            if county is None:
                raise ValidationError({"county": _("请选择县（市）区")})
            register.county_year_save(
                county, year, clusters=request.POST.get("clusters") or 0, actor=request.user,
                total_tax_yuan=typed["total_tax_yuan"] if yuan is None else amount_text(yuan))
            return redirect(f"{request.path}?year={year}")
        except CaseNotFound:
            raise Http404 from None
        except ValidationError as exc:
            error = _messages(exc)[0]
            errors = field_errors(exc)
    t = register.targets(request.user, year=year)
    entry_counties = [u for u in OrgUnit.objects.filter(kind__in=("county", "zone", "other_body"))
                      .order_by("path") if has_role(request.user, *register.COUNTY_ROLES, within=u)]
    return render(request, "buildings/targets.html", {
        "t": t, "year": year, "error": error, "entry_counties": entry_counties,
        "errors": errors, "typed": typed, "unit_words": list(UNIT_WORDS.items()),
        "summary": [(_TARGET_IDS.get(k, ""), m) for k, m in errors.items()],
        "county_years": CountyYear.objects.filter(year=year, county__in=entry_counties),
    }, status=400 if error else 200)

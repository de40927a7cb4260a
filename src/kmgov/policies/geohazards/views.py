"""Pages of the 109号 module: the register (list, import/export, a point with its cards, plan,
decision and history), the map, warnings, the duty roster, quick reports (kernel case pages)."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kmgov.core import geomap
from kmgov.core.errors import Refusal, field_errors, form_status
from kmgov.core.models import OrgUnit
from kmgov.core.money import UNIT_WORDS, WAN, amount_parse, amount_text, unit_code
from kmgov.core.replica import reads_from_replica
from kmgov.core.scope import user_assignments
from kmgov.procedures import notify
from kmgov.procedures.errors import CaseNotFound
from kmgov.procedures.models import Delivery
from kmgov.rules import today

from . import cards, selectors, services
from .inputs import PointData
from .models import HazardType, Scale, WarningGrade


def _point_or_404(request, code):
    try:
        return selectors.point_get(request.user, code)
    except CaseNotFound as exc:
        raise Http404(_("没有这个隐患点，或您无权查看")) from exc


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in ("county", "hazard_type", "scale", "q")}


def _filter_context(request, f) -> dict:
    return {"f": f, "counties": selectors.counties_visible(request.user),
            "types": HazardType.choices, "scales": Scale.choices}


def _error(request, exc) -> None:
    if isinstance(exc, Refusal):
        messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(exc.messages))


@login_required
def points(request):
    """The register; an import refused is shown beside the file field with the file's name
    (a browser never refills a file input), nothing imported."""
    errors, picked, status = {}, "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError({"file": [_("请选择要导入的 xlsx 或 GeoJSON 文件")]})
            picked = upload.name
            content = upload.read()
            if upload.name.lower().endswith((".geojson", ".json")):
                rows, source = services.geojson_rows(content), "geojson"
            else:
                rows, source = services.xlsx_rows(content), "xlsx"
            c = services.points_import(rows, actor=request.user, source=source)
            messages.success(request, _("已导入：新增 %(created)s 处，修改 %(updated)s 处，未变 %(unchanged)s 处") % c)
            return redirect(request.get_full_path())
        except (Refusal, ValidationError) as exc:
            # the form has one control: whatever the refusal names (a row, a column) is the file's
            errors, status = {"file": "；".join(field_errors(exc).values())}, form_status(exc)
    f = _filters(request)
    qs = selectors.points_visible(request.user, **f).prefetch_related("plans")
    return render(request, "geohazards/points.html", {
        "points": qs, **_filter_context(request, f), "errors": errors, "picked": picked,
        "summary": [("import-file", m) for m in errors.values()]}, status=status)


FORM_SKIP = ("monitors",)
NUMERIC = ("longitude", "latitude", "threatened_households", "threatened_people", "threatened_property")


#: Amounts of the register, kept in 万元 (GD-1's column), typed in 万元 or 元.
MONEY = ("threatened_property",)


def _form_fields(values: dict, errors: dict | None = None, units: dict | None = None
                 ) -> list[dict]:
    """The register's fields as form inputs (labels from `PointData`, choices in words), each
    with its error and, for an amount, the unit it was typed in."""
    out = []
    errors, units = errors or {}, units or {}
    for name, f in PointData.model_fields.items():
        if name in FORM_SKIP:
            continue
        kind = ("choice" if name in ("hazard_type", "scale") else "date" if name == "cards_issued_on"
                else "money" if name in MONEY else "number" if name in NUMERIC else "text")
        choices = HazardType.choices if name == "hazard_type" else Scale.choices if name == "scale" else ()
        label = re.sub(r"（万元）$", "", f.title) if kind == "money" else f.title
        out.append({"name": name, "label": label, "kind": kind, "choices": choices,
                    "value": values.get(name, ""), "required": f.is_required(),
                    "error": errors.get(name, ""), "money_unit": units.get(name, WAN),
                    "unit_words": list(UNIT_WORDS.items())})
    return out


def _monitors_text(monitors) -> str:
    return "\n".join(f"{m.get('name', '')} {m.get('phone', '')}".strip() for m in monitors)


def _monitors_parse(text: str) -> list[dict]:
    out = []
    for line in text.splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if parts:
            out.append({"name": " ".join(parts[:-1]) or parts[0], "phone": parts[-1] if len(parts) > 1 else ""})
    return out


@login_required
def point_edit(request, code=None):
    """Register a point, or change one (every change goes to its history)."""
    point = _point_or_404(request, code) if code else None
    errors, units = {}, {}
    if request.method == "POST":
        values = {n: request.POST.get(n, "").strip() for n in PointData.model_fields if n not in FORM_SKIP}
        values = {k: v for k, v in values.items() if v != ""}
        if point is not None:
            values["code"] = point.code
        raw = {**values, "monitors": _monitors_parse(request.POST.get("monitors", ""))}
        for name in MONEY:  # typed in 万元 or 元, kept in 万元 (exact)
            units[name] = unit_code(request.POST.get(f"{name}__unit"), WAN)
            wan = amount_parse(values.get(name, ""), units[name], WAN)
            if wan is not None:
                raw[name] = amount_text(wan)
        try:
            p = services.point_save(raw, actor=request.user)
            messages.success(request, _("已保存"))
            return redirect(f"/geohazards/points/{p.code}/")
        except (Refusal, ValidationError) as exc:
            errors = field_errors(exc)
        monitors = request.POST.get("monitors", "")
    elif point is not None:
        values = {n: getattr(point, n) for n in PointData.model_fields if n not in FORM_SKIP and n != "org"}
        values["org"] = point.org.name
        values = {k: ("" if v is None else v) for k, v in values.items()}
        monitors = _monitors_text(point.monitors)
    else:
        values, monitors = {}, ""
    fields = _form_fields(values, errors, units)
    known = {f["name"] for f in fields} | {"monitors"}
    summary = [(f"pt-{k}" if k in known else "", m) for k, m in errors.items()]
    return render(request, "geohazards/point_edit.html", {
        "p": point, "fields": fields, "monitors": monitors, "errors": summary,
        "monitors_error": errors.get("monitors", "")}, status=400 if errors else 200)


@login_required
@reads_from_replica
def points_export(request, fmt):
    f = _filters(request)
    qs = selectors.points_visible(request.user, **f)
    if fmt == "geojson":
        resp = HttpResponse(json.dumps(services.points_geojson(qs), ensure_ascii=False, indent=1),
                            content_type="application/geo+json; charset=utf-8")
    else:
        resp = HttpResponse(services.points_xlsx(qs), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    resp["Content-Disposition"] = f'attachment; filename="hazard-points.{fmt}"'
    return resp


def _map_points(qs):
    return [geomap.MapPoint(lon=float(p.longitude), lat=float(p.latitude),
                            label=f"{p.name}（{p.get_hazard_type_display()}，{p.get_scale_display()}）",
                            url=f"/geohazards/points/{p.code}/", css=f"scale-{p.scale}", tag=p.code)
            for p in qs]


def _county_names() -> dict[str, str]:
    return dict(OrgUnit.objects.filter(code__in=list(geomap.COUNTY_ADCODES)).values_list("code", "short_name"))


@login_required
def point_detail(request, code):
    point = _point_or_404(request, code)
    kept = None  # a refused form (cards or plan): what was typed and the messages by field
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cards":
                services.cards_issued(point, on=dt.date.fromisoformat(request.POST.get("on") or str(today())),
                                      actor=request.user)
                messages.success(request, _("已登记“两卡一书”发放"))
            elif action == "plan":
                f = request.FILES.get("file")
                if f is None:
                    raise ValidationError(_("请选择预案文件（PDF 或 Word）"))
                services.plan_file(point, title=request.POST.get("title", ""),
                                   approved_by=request.POST.get("approved_by", ""),
                                   approved_on=request.POST.get("approved_on", ""), fh=f, name=f.name,
                                   actor=request.user)
                messages.success(request, _("应急预案已备案"))
        except (Refusal, ValidationError, ValueError) as exc:
            field = "on" if action == "cards" else "__all__"
            errors = ({field: _("日期格式应为 年-月-日")}
                      if isinstance(exc, ValueError) and not isinstance(exc, (Refusal, ValidationError))
                      else field_errors(exc))
            if action == "cards" and "__all__" in errors:
                errors["on"] = errors.pop("__all__")
            if action == "plan" and "__all__" in errors and request.FILES.get("file") is None:
                errors["file"] = errors.pop("__all__")
            prefix = "pt" if action in ("cards", "plan") else ""
            kept = {"action": action, "values": request.POST, "errors": errors,
                    "summary": [(f"{prefix}-{k}" if k != "__all__" else "", m)
                                for k, m in errors.items()]}
        if kept is None:
            return redirect(request.path)
    decision = selectors.point_decision(point)
    county = point.county()
    fig = geomap.map_figure(_map_points([point]), names=_county_names(),
                            highlight=[county.code] if county else [])
    from kmgov.rules.plain import explain

    return render(request, "geohazards/point.html", {
        "p": point, "decision": decision, "missing": decision.outputs.get("missing", []),
        "plain": explain(decision.to_dict()),
        "history": _history(point), "plans": point.plans.all(), "fig": fig,
        "kinds": cards.KINDS, "can_change": selectors.can_change(request.user, point.org),
        "plan_required": decision.outputs.get("emergency_plan_required"), "kept": kept or {}},
        status=400 if kept else 200)


ACTIONS = {"geohazards.point_create": "登记", "geohazards.point_update": "修改",
           "geohazards.cards_issued": "登记“两卡一书”发放", "geohazards.plan_file": "备案应急预案"}


def _history(point) -> list[dict]:
    """The point's audit entries in words: what was done and which fields changed (labels)."""
    labels = {n: f.title for n, f in PointData.model_fields.items()}
    out = []
    for h in selectors.point_history(point)[:50]:
        text = _(ACTIONS.get(h.action, "其他变更"))
        changed = [_(labels.get(k, "")) for k in (h.extra.get("changes") or {}) if labels.get(k)]
        if h.action == "geohazards.point_update" and changed:
            text += "：" + "、".join(changed)
        if h.action == "geohazards.plan_file":
            text += "：" + h.extra.get("title", "")
        out.append({"at": h.at, "actor": h.actor.get_username() if h.actor_id else "", "text": text})
    return out



@login_required
def point_card(request, code, kind):
    point = _point_or_404(request, code)
    if kind not in cards.KINDS:
        raise Http404(_("没有这种卡书"))
    household = None
    if kind == "refuge":
        household = {"head": request.GET.get("head", ""), "members": request.GET.get("members", ""),
                     "address": request.GET.get("address", "")}
    pdf = cards.render(point, kind, household=household, on=today())
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{point.code}-{kind}.pdf"'
    return resp


@login_required
def plan_download(request, code, plan_id):
    point = _point_or_404(request, code)
    plan = point.plans.filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("没有这份预案"))
    resp = HttpResponse(bytes(plan.content), content_type=plan.content_type)
    resp["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.{plan.file_name.rsplit(".", 1)[-1]}"'
    return resp


@login_required
def map_page(request):
    f = _filters(request)
    qs = selectors.points_visible(request.user, **f)
    fig = geomap.map_figure(_map_points(qs), names=_county_names(),
                            highlight=[f["county"]] if f["county"] else [])
    return render(request, "geohazards/map.html", {"fig": fig, "count": len(fig.points) + len(fig.outside),
                                                   **_filter_context(request, f)})


@login_required
def warnings(request):
    """The warnings; 录入并推送 on the same page. A refused entry comes back with what was
    typed and each message above its field (nothing pushed)."""
    values, errors = {}, {}
    if request.method == "POST":
        values = {"grade": request.POST.get("grade", ""), "areas": request.POST.getlist("areas"),
                  "valid_from": request.POST.get("valid_from", ""),
                  "valid_until": request.POST.get("valid_until", ""),
                  "text": request.POST.get("text", "")}
        try:
            w = services.warning_issue(values, actor=request.user)
            messages.success(request, _("预警已推送：%(n)s 条发送记录") % {"n": w.notification.deliveries.count()})
            return redirect(f"/geohazards/warnings/{w.pk}/")
        except (Refusal, ValidationError) as exc:
            errors = field_errors(exc)
    ws = list(selectors.warnings_visible(request.user)[:100])
    known = ("grade", "areas", "valid_from", "valid_until", "text")
    return render(request, "geohazards/warnings.html", {
        "warnings": [(w, notify.summary(w.notification) if w.notification_id else {}) for w in ws],
        "grades": WarningGrade.choices, "areas": selectors.counties_visible(request.user),
        "now": timezone.localtime(), "values": values, "errors": errors,
        "summary": [(f"warn-{k}" if k in known else "", m) for k, m in errors.items()]},
        status=400 if errors else 200)


@login_required
def warning_detail(request, pk):
    w = selectors.warnings_visible(request.user).filter(pk=pk).first()
    if w is None:
        raise Http404(_("没有这条预警，或您无权查看"))
    failed = None  # a refused acknowledgement: its row, the note typed, the message
    if request.method == "POST":
        delivery = request.POST.get("delivery") or "0"
        note = request.POST.get("note", "")
        try:
            notify.delivery_acknowledge(int(delivery) if delivery.isdigit() else 0,
                                        actor=request.user, note=note)
            messages.success(request, _("已记录确认收到"))
            return redirect(request.path)
        except Refusal as exc:
            failed = {"delivery": int(delivery) if delivery.isdigit() else 0, "note": note,
                      "message": exc.message}
    deliveries = (Delivery.objects.filter(notification=w.notification).order_by("recipient_name", "channel")
                  if w.notification_id else [])
    return render(request, "geohazards/warning.html", {
        "w": w, "deliveries": deliveries, "summary": notify.summary(w.notification) if w.notification_id else {},
        "failed": failed, "failed_errors": [(f"ack-{failed['delivery']}-note", failed["message"])]
        if failed else []}, status=400 if failed else 200)


@login_required
def duty(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2010 <= int(year) <= 2100 else today().year
    kept = None  # a refused shift: its county, what was typed, the messages by field
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "shift":
                typed = {k: request.POST.get(k, "") for k in SHIFT_FIELDS}
                try:
                    services.shift_set(typed, actor=request.user)
                except (Refusal, ValidationError) as exc:
                    kept = {"org": typed["org"], "values": typed, "errors": field_errors(exc)}
                    raise
                messages.success(request, _("已保存值班安排"))
            elif action == "report":
                services.roster_report(request.POST.get("org", ""), year, actor=request.user)
                messages.success(request, _("值班表已上报市政府办公厅"))
            elif action == "escalate":
                c = services.gaps_escalate(on=today(), actor=request.user)
                messages.success(request, _("已督促：%(c)s 个县区，%(d)s 天缺班") % {"c": c["counties"], "d": c["days"]})
        except (Refusal, ValidationError) as exc:
            if kept is None:
                _error(request, exc)
        if kept is None:
            return redirect(f"{request.path}?year={year}")
    start, end = selectors.season(year)
    rows = []
    for c in selectors.counties_visible(request.user):
        gaps = selectors.roster_gaps(c, year)
        rows.append({"county": c, "shifts": list(selectors.roster(c, year)), "gaps": gaps,
                     "gap_ranges": _ranges(gaps), "report": selectors.roster_report_of(c, year),
                     "can_change": selectors.can_change(request.user, c)})
    if kept:
        kept["summary"] = [(f"duty-{k}-{kept['org']}" if k in SHIFT_FIELDS else "", m)
                           for k, m in kept["errors"].items()]
    return render(request, "geohazards/duty.html", {"rows": rows, "year": year, "start": start,
                                                    "end": end, "today": today(),
                                                    "kept": kept or {}},
                  status=400 if kept else 200)


SHIFT_FIELDS = ("org", "day", "leader", "leader_phone", "officer", "officer_phone", "deputy",
                "deputy_phone")


def _ranges(days: list[dt.date]) -> list[str]:
    """Consecutive days as ranges, '5月1日—5月3日'."""
    out, run = [], []
    for d in days + [None]:
        if d is not None and run and (d - run[-1]).days == 1:
            run.append(d)
            continue
        if run:
            a, b = run[0], run[-1]
            out.append(f"{a.month}月{a.day}日" + (f"—{b.month}月{b.day}日" if b != a else ""))
        run = [d] if d is not None else []
    return out


@login_required
def report_new(request):
    """Open a quick report (for a unit, or a registered point), then file it on its page."""
    errors, values, errors_exc = {}, {}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("org", "point")}
        try:
            case = services.report_create(org=values["org"], point=values["point"],
                                          actor=request.user)
            return redirect(f"/geohazards/reports/{case.reference}/")
        except (Refusal, ValidationError) as exc:
            errors, errors_exc = field_errors(exc), exc
            if "code" in errors:  # the point looked up by its code: the form's point
                errors["point"] = errors.pop("code")
            if "__all__" in errors:
                errors.setdefault("point" if values["point"] else "org", errors.pop("__all__"))
    units = [a.org for a in user_assignments(request.user)]
    return render(request, "geohazards/report_new.html", {
        "values": values, "errors": errors,
        "summary": [(f"qr-{k}" if k in ("org", "point") else "", m) for k, m in errors.items()],
"units": units, "points": selectors.points_visible(request.user)[:500]},
        status=form_status(errors_exc) if errors else 200)

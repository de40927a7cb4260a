"""Pages of the development index under /buildings-index/: the index and its ranks, the
sensitivity charts (SVG drawn by the server), the yearly report PDF, data entry and import,
the specification and weights. Views parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kmgov.core.errors import Forbidden, InvalidInput, NotFound, Refusal, field_errors, form_status
from kmgov.core.replica import reads_from_replica
from kmgov.rules import today
from kmgov.rules.composite import AGGREGATION_LABELS, IMPUTATION_LABELS, NORMALISATION_LABELS

from . import charts, report, selectors, services
from .models import DOC, IndexSpec

LEVEL_CHOICE_NAMES = ("指标→领域", "领域→子系统", "子系统→指数")


def _year(request, default=None):
    raw = request.GET.get("year") or request.POST.get("year")
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _rows(run):
    """One row per county, best first: rank, name, index, subsystem scores, stability."""
    res = run.result
    names = run.inputs.get("unit_names") or res["units"]
    subsystems = list(res["levels"][1]) if len(res["levels"]) > 1 else []
    w = (run.sensitivity or {}).get("weights", {}).get("summary")
    rows = []
    for i, name in enumerate(names):
        rows.append({"rank": res["rank"][i], "name": name, "index": res["index"][i],
                     "subsystems": [res["levels"][1][s][i] for s in subsystems],
                     "median": w["median"][i] if w else None,
                     "p05": w["p05"][i] if w else None, "p95": w["p95"][i] if w else None})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    return subsystems, rows


@login_required
def home(request):
    year = _year(request)
    run = selectors.latest_run(request.user, year)
    return _run_page(request, run, year=year)


@login_required
def run_detail(request, pk: int):
    return _run_page(request, selectors.run_get(request.user, pk))


def _run_page(request, run, year=None, *, compute_error: str = "", compute_year: str = "", status: int = 200):
    ctx = {"run": run, "years": selectors.years(request.user), "year": year or (run.year if run else None),
           "may_compute": services.may_edit_spec(request.user), "doc": DOC,
           "this_year": today().year - 1, "compute_error": compute_error,
           "compute_year": compute_year,
           "summary": [("idx-compute-year", compute_error)] if compute_error else []}
    if run is not None:
        subsystems, rows = _rows(run)
        methods = (run.sensitivity or {}).get("methods", {}).get("scenarios", [])
        removal = (run.sensitivity or {}).get("removal", {})
        names = run.inputs.get("unit_names") or run.result["units"]
        ctx.update(subsystems=subsystems, rows=rows, spec_lines=report.spec_lines(run.spec_data),
                   methods=[{"label": s["label"], "error": s.get("error"),
                             "ranks": list(zip(names, s.get("ranks") or []))} for s in methods],
                   removal_moves=_removal_moves(run, removal, names), names=names,
                   weights_params=(run.sensitivity or {}).get("weights", {}).get("params"),
                   history=selectors.runs(request.user, run.year)[:10])
    return render(request, "devindex/index.html", ctx, status=status)


def _removal_moves(run, removal, names):
    """The indicators whose removal moves some county by two places or more."""
    out = []
    base = run.result["rank"]
    for s in removal.get("scenarios", []):
        ranks = s.get("ranks") or []
        moves = [(names[i], int(base[i]), int(r)) for i, r in enumerate(ranks)
                 if r is not None and base[i] is not None and abs(r - base[i]) >= 2]
        if moves:
            out.append({"label": s["label"], "moves": moves})
    return out


@login_required
def chart(request, pk: int, kind: str):
    run = selectors.run_get(request.user, pk)
    svg = charts.index_chart(run) if kind == "index" else charts.rank_chart(run, kind)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@login_required
def report_pdf(request, pk: int):
    run = selectors.run_get(request.user, pk)
    resp = HttpResponse(report.render(run), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="devindex-{run.year}-{run.pk}.pdf"'
    return resp


@login_required
@require_POST
def compute(request):
    """Compute the index of the year typed; a refusal (too few counties with data, a method
    the data do not allow) is shown beside the year with what was typed, nothing stored. Who
    may not compute is refused (403), not shown a form error."""
    typed = request.POST.get("year", "")
    try:
        run = services.index_compute(actor=request.user, year=typed)
    except Forbidden:
        raise
    except Refusal as exc:
        # the form's one control is the year: every refusal of the computation is shown there
        return _run_page(request, selectors.latest_run(request.user, _year(request)),
                         year=_year(request), compute_error="；".join(field_errors(exc).values()),
                         compute_year=typed, status=form_status(exc))
    messages.success(request, _("已计算%(year)s年指数") % {"year": run.year})
    return redirect("buildings_devindex:run", pk=run.pk)


# ---------------------------------------------------------------- data

@login_required
def data(request):
    return _data_page(request)


def _data_page(request, *, import_error: str = "", picked: str = ""):
    """The data entry page; `import_error` when it is shown again after a refused import (the
    POST was the import's, not values to save)."""
    units = list(selectors.units_visible(request.user))
    latest = selectors.values(request.user).order_by("-year").values_list("year", flat=True).first()
    year = _year(request, latest or today().year - 1)
    code = request.GET.get("org") or request.POST.get("org") or (units[0].code if units else "")
    org = next((u for u in units if u.code == code), None)
    if code and org is None:  # another county's data: as if it did not exist (scope refusals are 404)
        raise NotFound("没有可查看的该县（市）区指标数据")
    inds = services.indicators()
    error_field, error_message, refused = None, "", None
    posted = {}
    if request.method == "POST" and org is not None and not import_error:
        posted = {str(i.number): request.POST.get(f"v{i.number}", "") for i in inds}
        try:
            n = services.values_set(actor=request.user, org_code=org.code, year=year, values=posted,
                                    note=request.POST.get("note", ""))
        except Refusal as exc:
            # as every module form: the summary at the top links to the field, the message
            # stands beside it, what was typed stays (the design system's error pattern)
            refused, error_field = exc, exc.field if exc.field in {f"v{i.number}" for i in inds} else "idx-note"
            label = next((f"{i.number}. {i.name}" for i in inds if f"v{i.number}" == exc.field), "")
            error_message = f"{label}：{exc.message}" if label else exc.message
        else:
            messages.success(request, _("已保存%(n)s项") % {"n": n})
            return redirect(f"{request.path}?org={org.code}&year={year}")
    current = {}
    if org is not None:
        current = {v.indicator.number: v.value for v in selectors.values(request.user, year).filter(org=org)}
    rows = [{"ind": i, "value": posted.get(str(i.number), current.get(i.number, "")),
             "error": error_message if error_field == f"v{i.number}" else ""} for i in inds]
    return render(request, "devindex/data.html", {
        "units": units, "org": org, "year": year, "rows": rows,
        "may_enter": org is not None and services.may_enter_values(request.user, org),
        "filled": sum(1 for r in rows if r["value"] not in ("", None)),
        "import_error": import_error, "picked": picked,
        "note": request.POST.get("note", "") if refused else "",
        "note_error": error_message if error_field == "idx-note" else "",
        "values_summary": [(error_field, error_message)] if refused else [],
        "summary": [("idx-file", import_error)] if import_error else []},
        status=form_status(refused) if refused else (400 if import_error else 200))


@login_required
@reads_from_replica
def data_export(request):
    year = _year(request)
    qs = selectors.values(request.user, year).order_by("year", "org__path", "indicator__number")
    rows = [(v.org.name, v.year, v.indicator.number, v.indicator.name, v.indicator.unit, v.value, v.note) for v in qs]
    if not rows:  # a template to fill: every visible county × indicator, values empty
        y = year or today().year - 1
        rows = [(u.name, y, i.number, i.name, i.unit, None, "")
                for u in selectors.units_visible(request.user) for i in services.indicators()]
    resp = HttpResponse(services.values_xlsx(rows),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="devindex-values-{year or "all"}.xlsx"'
    return resp


@login_required
@require_POST
def data_import(request):
    """Values from an xlsx file, all or nothing; a refusal (a row's number, a county not the
    importer's) is shown beside the file field with the file's name (a browser never refills a
    file input) on the data page, nothing written."""
    f = request.FILES.get("file")
    try:
        if f is None:
            raise InvalidInput("请选择 xlsx 文件", field="file")
        n = services.values_import_xlsx(actor=request.user, data=f.read())
    except Refusal as exc:
        return _data_page(request, import_error="；".join(field_errors(exc).values()),
                          picked=f.name if f else "")
    messages.success(request, _("已导入%(n)s个数值") % {"n": n})
    return redirect("buildings_devindex:data")


# ---------------------------------------------------------------- specification

def _weights_table(spec: dict, inds, errors: dict | None = None):
    """The weights as rows (key, weight, its error): a refused form shows what was typed."""
    w = spec.get("weights") or {}
    errors = errors or {}
    subsystems = list(dict.fromkeys(i.subsystem for i in inds))
    domains = list(dict.fromkeys(i.domain for i in inds))
    return {"subsystems": [(s, w.get(s, 1), errors.get(s, "")) for s in subsystems],
            "domains": [(d, w.get(d, 1), errors.get(d, "")) for d in domains],
            "indicators": [(i, w.get(i.code, 1), errors.get(i.code, "")) for i in inds]}


@login_required
def spec(request):
    may_edit = services.may_edit_spec(request.user)
    versions = list(selectors.specs(request.user)[:20])
    current = versions[0].spec if versions else services.p("default_spec")
    inds = services.indicators()
    if request.method == "POST":
        if not may_edit:  # who may not revise is refused (403), as every module's forms
            raise Forbidden(_("只有市促进楼宇经济发展工作领导小组办公室、市商务局、市统计局或系统管理员可修订指数规格"))
        data = dict(current)
        data["imputation"] = request.POST.get("imputation", "")
        data["normalisation"] = request.POST.get("normalisation", "")
        data["outliers"] = dict(current.get("outliers") or {}, enabled=bool(request.POST.get("outliers")))
        data["aggregation"] = [request.POST.get(f"agg{i}", "") for i in range(3)]
        weights, typed, errors = {}, {}, {}
        keys = [s for s, _w, _e in _weights_table(current, inds)["subsystems"]]
        keys += [d for d, _w, _e in _weights_table(current, inds)["domains"]] + [i.code for i in inds]
        for k in keys:  # every bad weight named at once, beside its field
            raw = request.POST.get(f"w:{k}", "1").strip() or "1"
            typed[k] = raw
            try:
                val = float(raw)
            except ValueError:
                errors[k] = _("权重须为数字：") + (next((i.name for i in inds if i.code == k), k))
                continue
            if val != 1:
                weights[k] = val
        data["weights"] = weights
        reason = request.POST.get("reason", "")
        if not errors:
            try:
                obj = services.spec_save(actor=request.user, data=data, reason=reason)
            except Refusal as exc:
                errors[exc.field if exc.field == "reason" else "__all__"] = exc.message
            else:
                messages.success(request, _("已保存第%(v)s版规格") % {"v": obj.version})
                return redirect("buildings_devindex:spec")
        # refused: the form again with what was typed, each message beside its field
        return _spec_page(request, may_edit, versions, {**data, "weights": typed}, inds,
                          errors=errors, reason=reason)
    return _spec_page(request, may_edit, versions, current, inds)


def _spec_page(request, may_edit, versions, current, inds, *, errors=None, reason=""):
    errors = errors or {}
    return render(request, "devindex/spec.html", {
        "errors": errors, "reason": reason,
        "summary": [("spec-reason" if k == "reason" else "", m) for k, m in errors.items()],
        "may_edit": may_edit, "versions": versions, "current": current,
        "w": _weights_table(current, inds, errors),
        "imputations": IMPUTATION_LABELS.items(), "normalisations": NORMALISATION_LABELS.items(),
        "aggregations": AGGREGATION_LABELS.items(),
        "levels": [(i, LEVEL_CHOICE_NAMES[i], (current.get("aggregation") or ["arithmetic"] * 3)[i]) for i in range(3)],
        # the saved version in words (what was typed may not even be numbers)
        "spec_lines": report.spec_lines(versions[0].spec if versions else services.p("default_spec"))},
        status=400 if errors else 200)


def version_label(v: IndexSpec) -> str:
    return f"第{v.version}版"

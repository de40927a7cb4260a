"""Pages of the safety module: what is genuinely its own — the filer's nine forms of a period,
the office's consolidated table, the city's view of counties, a unit's archive and history,
the ledger of warnings (with xlsx), drafting a warning, the accident register, the PDFs. Filing
a form and the steps of a warning use the kernel's generated case pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kmgov.core.calendar import local
from kmgov.core.errors import form_status
from kmgov.core.models import OrgUnit
from kmgov.core.replica import reads_from_replica
from kmgov.core.scope import can_change_org, user_assignments
from kmgov.procedures.errors import ProcedureError, StepInputInvalid
from kmgov.procedures.filing_selectors import slots_visible
from kmgov.procedures.filings import Period, PeriodKeyInvalid, PeriodKind
from kmgov.procedures.selectors import case_visible

from . import selectors, services
from .forms import NUMERALS
from .inputs import GROUND_FIELDS
from .ledger import LEDGER_COLUMNS, ledger_xlsx
from .models import (
    ZERO_REPORTS,
    ZR_OBLIGATIONS,
    AccidentGrade,
    Action,
    Warning,
    period_label,
)
from .rules import LadderInput


def current_period() -> str:
    """The half year whose filing is due now or next: in January the previous year (H2), in
    July the first half; otherwise the last half that ended."""
    today = local(timezone.now()).date()
    return Period.containing(today, PeriodKind.HALF).shift(-1).key


def _period(request) -> str:
    raw = request.GET.get("period") or current_period()
    try:
        return Period.parse(raw, PeriodKind.HALF).key
    except PeriodKeyInvalid as exc:
        messages.error(request, str(exc))
        return current_period()


def _periods(period: str) -> list[dict]:
    p = Period.parse(period, PeriodKind.HALF)
    keys = [p.shift(k) for k in (1, 0, -1, -2, -3)]
    return [{"key": x.key, "label": period_label(x.key)} for x in keys]


@login_required
def index(request):
    period = _period(request)
    mine = {a.org_id for a in user_assignments(request.user)}
    slots = sorted(slots_visible(request.user, period=period)
                   .filter(obligation__in=list(ZR_OBLIGATIONS), org_id__in=mine),
                   key=lambda s: (s.org.path, s.obligation))
    units: dict[int, dict] = {}
    for s in slots:
        n = int(s.obligation[2:].split("-")[0])
        s.form_label = f"表{NUMERALS[n - 1]}"
        s.form_title = f"{s.form_label} {ZERO_REPORTS[n].table_form().title}"
        s.can_start = not s.case_reference and can_change_org(request.user, s.org)
        s.form_code = f"zero-report-{n}"
        units.setdefault(s.org_id, {"org": s.org, "slots": [], "first": s})["slots"].append(s)
    return render(request, "safety/index.html", {
        "period": period, "period_label": period_label(period), "periods": _periods(period),
        "units": list(units.values()), "city": selectors.is_city_office(request.user)})


@login_required
@reads_from_replica
def consolidated(request):
    period = _period(request)
    under = OrgUnit.objects.filter(code=request.GET.get("under", "")).first()
    view = selectors.consolidated(request.user, period, under=under)
    return render(request, "safety/consolidated.html", {
        **view, "periods": _periods(period), "under": under})


@login_required
@reads_from_replica
def counties(request):
    period = _period(request)
    rows = selectors.counties_view(request.user, period)
    if rows is None:
        raise Http404(_("只有市安全生产委员会办公室可以查看各县（市）区汇总"))
    return render(request, "safety/counties.html", {
        "rows": rows, "period": period, "period_label": period_label(period),
        "periods": _periods(period), "forms": [f"表{x}" for x in NUMERALS]})


@login_required
def unit(request, code: str):
    org = selectors.units_visible(request.user).filter(code=code).first()
    if org is None:
        raise Http404(_("没有该单位，或不在您的职责范围内"))
    return render(request, "safety/unit.html", {
        "org": org, "archive": selectors.unit_archive(request.user, org),
        "warnings": selectors.ledger(request.user, unit=org),
        "accidents": selectors.accidents_visible(request.user).filter(org=org)})


@login_required
def report_pdf(request, n: int, reference: str):
    model = ZERO_REPORTS.get(n)
    case = model.objects.filter(reference=reference).first() if model else None
    if case is None or not case_visible(case, request.user) or not case.answers:
        raise Http404(_("没有该零申报表，或尚未报送"))
    from .pdf import zero_report_pdf

    resp = HttpResponse(zero_report_pdf(case), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{reference}.pdf"'
    return resp


@login_required
def notice_pdf(request, reference: str):
    w = Warning.objects.filter(reference=reference).select_related("org", "issuer_org").first()
    if w is None or not case_visible(w, request.user) or w.issued_on is None:
        raise Http404(_("没有该警示通知，或尚未发出"))
    from .pdf import warning_notice_pdf

    resp = HttpResponse(warning_notice_pdf(w), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{reference}.pdf"'
    return resp


def _ledger_filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in ("county", "level", "period")}


@login_required
def ledger(request):
    filters = _ledger_filters(request)
    if filters["level"] and filters["level"] not in Action.values:
        filters["level"] = ""
    try:
        rows = selectors.ledger(request.user, **filters)
    except ProcedureError as exc:
        messages.error(request, exc.message)
        filters["period"] = ""
        rows = selectors.ledger(request.user, **filters)
    if request.GET.get("format") == "xlsx":
        resp = HttpResponse(ledger_xlsx(rows), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        resp["Content-Disposition"] = 'attachment; filename="safety-warnings.xlsx"'
        return resp
    counties = OrgUnit.objects.filter(kind__in=("county", "zone")).order_by("path")
    return render(request, "safety/ledger.html", {
        "rows": rows, "filters": filters, "levels": Action.choices, "counties": counties,
        "columns": LEDGER_COLUMNS})


def _ground_choices() -> list[tuple[str, str]]:
    fields = LadderInput.model_fields
    return [(g, fields[g].description or g) for g in GROUND_FIELDS]


@login_required
def warning_new(request):
    values, errors, errors_exc = {}, {}, None
    if request.method == "POST":
        values = {"recipient": request.POST.get("recipient", "").strip(),
                  "level": request.POST.get("level", ""),
                  "grounds": request.POST.getlist("grounds"),
                  "notice_text": request.POST.get("notice_text", "").strip()}
        try:
            w = services.warning_draft(actor=request.user, data=values)
        except StepInputInvalid as exc:
            errors, errors_exc = {e["field"].split(".")[0]: e["message"] for e in exc.errors}, exc
        except ProcedureError as exc:
            errors, errors_exc = {exc.field or "recipient": exc.message}, exc
        else:
            messages.success(request, _("已拟定警示，请核对警示阶梯的建议后发出"))
            return redirect("procedures:case", procedure="safety-warning", reference=w.reference)
    units = selectors.units_visible(request.user).exclude(kind__in=("village", "community", "city"))
    return render(request, "safety/warning_new.html", {
        "values": values, "errors": errors, "levels": Action.choices,
        "grounds": _ground_choices(), "units": units.order_by("path")[:500]},
        status=form_status(errors_exc) if errors else 200)


@login_required
def accidents(request):
    errors, values, errors_exc = {}, {}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip()
                  for k in ("org", "occurred_on", "grade", "deaths", "summary")}
        data = {k: v for k, v in values.items() if v != ""}
        try:
            services.accident_record(actor=request.user, data=data)
        except StepInputInvalid as exc:
            errors, errors_exc = {e["field"].split(".")[0]: e["message"] for e in exc.errors}, exc
        except ProcedureError as exc:
            errors, errors_exc = {exc.field or "org": exc.message}, exc
        else:
            messages.success(request, _("已登记事故"))
            return redirect("safety:accidents")
    units = selectors.units_visible(request.user).exclude(kind__in=("village", "community", "city"))
    return render(request, "safety/accidents.html", {
        "accidents": selectors.accidents_visible(request.user)[:200], "grades": AccidentGrade.choices,
        "values": values, "errors": errors, "units": units.order_by("path")[:500],
        "can_record": any(
            a.role in services.ACCIDENT_RECORDERS for a in user_assignments(request.user))},
        status=form_status(errors_exc) if errors else 200)


def warning_extra(request, case):
    """On the kernel's page of a warning: what the ladder proposes now, from the records."""
    if case.state != "draft":
        return {}
    from kmgov.rules import decide

    from .services import ladder_facts

    today = local(timezone.now()).date()
    facts = ladder_facts(case, on=today)
    d = decide("safety.warning_ladder", {**facts, "as_of": today.isoformat()})
    from kmgov.rules.plain import explain

    return {"proposal": d.outputs.get("highest_action") or "", "plain": explain(d.to_dict()),
            "proposal_label": Action(d.outputs["highest_action"]).label
            if d.outputs.get("highest_action") else "",
            "proposal_grounds": d.outputs.get("grounds") or {}, "facts": facts}


def report_extra(request, case):
    """On a zero report's page: the period's label, the answers as the gazette's rows, the
    checks with their provisions, the PDF."""
    form = type(case).table_form()
    answers = case.answers or {}
    rows = [{"number": r.number, "text": r.text, "answer": answers.get(r.key) or "—",
             "note": answers.get(f"{r.key}_note") or ""} for r in form.rows]
    return {"form": form, "rows": rows, "period_label": period_label(case.period),
            "n": type(case).form_no, "checks": case.checks or []}

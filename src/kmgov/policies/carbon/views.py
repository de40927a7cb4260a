"""Pages of the carbon-sink module: they parse, call a service or selector, and render. The
donation's own steps (credit, void) are the kernel's generated case page
(/cases/carbon-donation/<reference>/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kmgov.core.errors import Refusal, form_status
from kmgov.procedures.errors import StepInputInvalid
from kmgov.procedures.inputs import form_fields, form_parse
from kmgov.rules import parameter_value, today

from . import charts, pdf, selectors, services
from .models import INDICATORS, DonationState


def _form(model, request=None, errors=None, values=None):
    return form_fields(model, values=values, errors=errors)


def _post(request, model, service, ok_message: str):
    """Run a service on a posted form; on refusal give the form back with what was typed and a
    message under each field named."""
    data, typed, form_errors = form_parse(model, request.POST)
    shown = {**data, **typed}  # amounts back in the unit typed
    try:
        if form_errors:
            raise StepInputInvalid("；".join(form_errors.values()), errors=[
                {"field": k, "message": v} for k, v in form_errors.items()])
        result = service(data, actor=request.user)
    except StepInputInvalid as exc:
        errs = {e["field"]: e["message"] for e in exc.errors}
        return None, form_fields(model, values=shown, errors=errs), exc.message, form_status(exc)
    except Refusal as exc:
        return (None, form_fields(model, values=shown, errors={exc.field: exc.message} if exc.field else {}),
                exc.message, form_status(exc))
    messages.success(request, ok_message)
    return result, None, "", 200


def home(request):
    return render(request, "carbon/home.html", {
        "mine": list(selectors.accounts_of(request.user)),
        "office": selectors.reads_every_account(request.user)})


def public_list(request):
    rows = selectors.public_list()
    return render(request, "carbon/public.html", {"rows": rows, "totals": {
        "yuan": sum(r["yuan"] for r in rows), "co2_tonnes": sum(r["co2_tonnes"] for r in rows),
        "area_mu": sum(r["area_mu"] for r in rows)}})


def verify(request):
    code = request.GET.get("code", "").strip()
    result = selectors.certificate_verify(code) if code else None
    status = 404 if code and result is None else 200
    return render(request, "carbon/verify.html", {"code": code, "result": result}, status=status)


@login_required
def account_list(request):
    """Officials who keep or audit the fund: every account, and the office's forms. A donor:
    their own account(s)."""
    office = selectors.reads_every_account(request.user)
    forms = {"account": _form(services.AccountIn), "donation": _form(services.DonationIn)}
    errors, status = {}, 200
    if request.method == "POST":
        which = request.POST.get("form")
        spec = {"account": (services.AccountIn, services.account_open, _("已开立账户")),
                "donation": (services.DonationIn, services.donation_record, _("已登记捐资，待计量登记入账"))}
        if which not in spec:
            raise Http404()
        result, fields, error, status = _post(request, *spec[which])
        if result is not None:
            target = (f"/cases/carbon-donation/{result.reference}/" if which == "donation"
                      else f"/carbon/accounts/{result.number}/")
            return redirect(target)
        forms[which], errors[which] = fields, error
    accounts = selectors.accounts_visible(request.user)
    pending = (selectors.donations_visible(request.user).filter(state=DonationState.RECORDED)
               if office else [])
    return render(request, "carbon/accounts.html", {
        "accounts": accounts, "office": office, "forms": forms, "errors": errors,
        "pending": pending}, status=status)


@login_required
def account_detail(request, number):
    acc = selectors.account_get(number, request.user)
    if acc is None:
        raise Http404(_("没有找到该账户，或您无权查看"))
    sign = acc.sign_decision
    return render(request, "carbon/account.html", {
        "acc": acc, "totals": acc.totals(),
        "donations": acc.donations.order_by("-donated_on", "-id"),
        "office": selectors.reads_every_account(request.user),
        "sign": sign.as_decision() if sign else None, "sign_record": sign})


def _donation(request, reference):
    d = selectors.donation_get(reference, request.user)
    if d is None:
        raise Http404(_("没有找到该笔捐资，或您无权查看"))
    return d


def _pdf(data: bytes, name: str) -> HttpResponse:
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{name}"'
    return resp


@login_required
def receipt(request, reference):
    d = _donation(request, reference)
    if d.state == DonationState.VOIDED:
        raise Http404(_("该笔捐资已作废"))
    return _pdf(pdf.receipt_pdf(d), f"receipt-{d.reference}.pdf")


@login_required
def certificate(request, reference):
    d = _donation(request, reference)
    if d.state != DonationState.CREDITED:
        raise Http404(_("该笔捐资尚未登记入账户，还没有荣誉证书"))
    url = request.build_absolute_uri("/carbon/verify/")
    return _pdf(pdf.certificate_pdf(d, verify_url=url), f"certificate-{d.reference}.pdf")


def fund(request, *, form=None, error: str = "", status: int = 200):
    rows = selectors.fund_progress()
    on = today()
    per_year = parameter_value("carbon.city_budget_per_year", on)
    chart = charts.bars(
        _("碳汇造林资金（按年度）"),
        [(str(r["year"]), [float(r["city_yuan"]), float(r["enterprise_yuan"]), float(r["individual_yuan"])])
         for r in rows],
        [_("市级财政"), _("企业捐资"), _("个人捐资")], target=float(per_year),
        target_label=_("市级每年1000万元"))
    return render(request, "carbon/fund.html", {
        "rows": rows, "totals": selectors.fund_totals(rows), "chart": chart,
        "startup_target": parameter_value("carbon.enterprise_startup_target", on),
        "startup_until": selectors.startup_until(on), "per_year": per_year,
        "can_record": request.user.is_authenticated and selectors.reads_every_account(request.user),
        "form": form or _form(services.AppropriationIn), "error": error}, status=status)


@login_required
def appropriation(request):
    if request.method != "POST":
        return redirect("/carbon/fund/")
    result, fields, error, status = _post(request, services.AppropriationIn, services.appropriation_record,
                                          _("已登记市级财政资金"))
    if result is None:
        # The fund page again, with what was typed and the message beside its field (400; 403
        # for a reader who may not record), never a redirect that loses the input.
        return fund(request, form=fields, error=error, status=status)
    return redirect("/carbon/fund/")


def greening(request):
    series = selectors.greening_series()
    targets = selectors.greening_targets()
    form, error = _form(services.GreeningIn), ""
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        result, fields, error, status = _post(request, services.GreeningIn, services.greening_record,
                                              _("已保存绿化指标"))
        if result is not None:
            return redirect(request.path)
        form = fields
    years = sorted({y["year"] for u in series for y in u["years"]})
    chart_list = []
    for key, label, kind in INDICATORS:
        pct = kind == "rate"
        lines = [(u["unit"].short_name or u["unit"].name,
                  {y["year"]: y["values"][key] * (100 if pct else 1)
                   for y in u["years"] if y["values"][key] is not None}) for u in series]
        lines = [x for x in lines if x[1]]
        if lines:
            t = float(targets[key]) * (100 if pct else 1)
            chart_list.append((_(label), charts.lines(
                _(label) + ("（%）" if pct else ""), years, lines, target=t,
                target_label=_("2015年目标"))))
    return render(request, "carbon/greening.html", {
        "series": series, "targets": [(k, _(label), kind, selectors.show(targets[k], kind))
                    for k, label, kind in INDICATORS],
        "charts": chart_list, "form": form, "error": error,
        "can_record": request.user.is_authenticated}, status=status)

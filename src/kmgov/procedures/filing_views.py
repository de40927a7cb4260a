"""Pages of scheduled filings: the obligations, and per period who has filed and who has not
(scoped by the reader), with a button for a filer to start its own filing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kmgov.core.models import OrgUnit
from kmgov.core.scope import can_change_org

from . import filing_selectors as fsel
from . import filing_services
from .errors import CaseNotFound, ProcedureError
from .filing_api import obligation_out, parse_period
from .filings import obligation, obligations
from .paging import paginate


@login_required
def filings_index(request):
    obs = [obligation_out(ob) for ob in sorted(obligations().values(), key=lambda o: o.code)]
    return render(request, "procedures/filings_index.html", {"obligations": obs})


@login_required
def filings_status(request, code: str):
    try:
        ob = obligation(code)
        period = parse_period(ob, request.GET.get("period"))
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc
    except ProcedureError as exc:
        messages.error(request, exc.message)
        return redirect("procedures:filings", code=code)
    under_code = request.GET.get("under", "")
    under = OrgUnit.objects.filter(code=under_code).first() if under_code else None
    status = request.GET.get("status", "")
    status = status if status in fsel.STATUSES else ""
    qs = fsel.slots_visible(request.user, obligation_code=ob.code, period=period.key,
                            under=under, status=status or None)
    slots = paginate(qs, request)
    for s in slots:
        s.can_start = not s.case_reference and can_change_org(request.user, s.org)
    opens, closes = ob.window_dates(period)
    return render(request, "procedures/filings.html", {
        "ob": ob, "period": period, "opens": opens, "closes": closes, "slots": slots,
        "page": slots, "statuses": fsel.STATUSES.items(), "status": status, "under": under_code,
        "summary": fsel.filing_summary(request.user, ob.code, period.key, under=under),
        "periods": [period.shift(-k) for k in range(1, 4)] + [period.shift(1)],
        "form_code": ob.form,
    })


@login_required
@require_POST
def filing_start(request, code: str, period: str):
    org = OrgUnit.objects.filter(code=request.POST.get("org", "")).first()
    if org is None:
        raise Http404("没有该单位")
    try:
        case = filing_services.filing_start(code, period, org=org, actor=request.user)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc
    except ProcedureError as exc:
        messages.error(request, exc.message)
        return redirect(f"/filings/{code}/?period={period}")
    messages.success(request, f"已创建报送事项：{case.reference}")
    return redirect("procedures:case", procedure=case.procedure.code, reference=case.reference)

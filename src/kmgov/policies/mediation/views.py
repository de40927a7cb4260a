"""Pages of the mediation module (claims and reports use the kernel's generic case pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from kmgov.procedures.errors import ProcedureError
from kmgov.procedures.ledger import Budget

from . import selectors, services


@login_required
def records(request):
    if request.method == "POST":
        try:
            services.record_flag_false(int(request.POST.get("record", 0)), actor=request.user,
                                       reason=request.POST.get("reason", ""))
            messages.success(request, "已认定虚报")
        except ProcedureError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(request.path)
    return render(request, "mediation/records.html", {
        "records": selectors.records_visible(request.user),
        "budgets": Budget.objects.filter(key__startswith="mediation.")})


def claim_extra(request, case):
    return {"records": [r for r in case.records.select_related("committee")]}

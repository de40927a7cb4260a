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
    """The successful mediations; 认定虚报 on a row with its reason. A refusal comes back on the
    page, beside the row's reason, with the reason typed kept (nothing written)."""
    failed = None
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            record = int(request.POST.get("record") or 0)
        except ValueError:
            record = 0
        try:
            services.record_flag_false(record, actor=request.user, reason=reason)
            messages.success(request, "已认定虚报")
            return redirect(request.path)
        except ProcedureError as exc:
            failed = {"record": record, "reason": reason, "message": exc.message}
        except ValidationError as exc:
            failed = {"record": record, "reason": reason, "message": "；".join(exc.messages)}
    return render(request, "mediation/records.html", {
        "records": selectors.records_visible(request.user), "failed": failed,
        "failed_errors": [(f"flag-{failed['record']}-reason", failed["message"])] if failed else [],
        "budgets": Budget.objects.filter(key__startswith="mediation.")},
        status=400 if failed else 200)


def claim_extra(request, case):
    return {"records": [r for r in case.records.select_related("committee")]}

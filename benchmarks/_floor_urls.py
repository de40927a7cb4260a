"""The floor of an audited write on this stack, for benchmarks/hotline_load.py.

`GET /bench/floor/read`: one row read by primary key through the ORM, anonymous, a small
JSON answer: the floor of a public read that asks the database once (a desk answer asks once).

`POST /bench/floor?n=N`: the bearer-token user (the platform's own middleware, as for a ticket
intake), one transaction, N audit entries inserted one statement each through the ORM, a
small JSON answer with 201. Nothing a real write does less: no input to validate, no rule, no
routing, no state machine. What this endpoint serves per second is the most that any audited
write through the platform's stack can reach on the machine, the intake's and a case step's
ceiling (N = the statements they make)."""

from django.db import transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from kmgov.core.audit import audit_record
from kmgov.urls import handler400, handler403, handler404, handler500
from kmgov.urls import urlpatterns as _platform

__all__ = ["urlpatterns", "handler400", "handler403", "handler404", "handler500"]


@csrf_exempt
def floor(request):
    if request.method != "POST" or not request.user.is_authenticated:
        return JsonResponse({"detail": "POST with a bearer token"}, status=401)
    n = max(1, min(50, int(request.GET.get("n", "1"))))
    with transaction.atomic():
        for _ in range(n):
            last = audit_record(actor=request.user, action="bench.floor", object_type="bench",
                                object_id="floor")
    return JsonResponse({"id": last.pk, "n": n}, status=201)


def floor_read(request):
    from kmgov.core.models import OrgUnit

    row = OrgUnit.objects.filter(pk=1).values_list("code", flat=True).first()
    return JsonResponse({"code": row})


urlpatterns = [*_platform, path("bench/floor", floor), path("bench/floor/read", floor_read)]

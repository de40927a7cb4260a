"""The forest project's printed timber transport certificate (the rest of its pages are the
kernel's generated case pages)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from kmgov.procedures.selectors import case_get

from . import transport_pdf
from .models import ForestProject


@login_required
def transport_certificate(request, reference: str, number: str):
    case = case_get(procedure=ForestProject.procedure.code, reference=reference, user=request.user)
    cert = case.transport_certificates.select_related("issued_by").filter(number=number).first()
    if cert is None:
        raise Http404("没有这份木材运输证明")
    return HttpResponse(transport_pdf.render(cert), content_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{cert.number}.pdf"'})

"""总部企业认定 pages: /headquarters/ (list, apply, detail with the decision trace, steps) and the
printable green-channel service card."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from kmgov.policies._recognition_services import application_create
from kmgov.policies._recognition_views import PageSpec, make_pages

from .models import HQ_TYPE_LABELS, GreenChannelCard, HeadquartersApplication


def _create(user, data):
    return application_create(HeadquartersApplication, actor=user, data=data)


def _to_data(extras, inputs):
    data = {"inputs": inputs}
    if extras.get("hq_type"):
        data["hq_type"] = extras["hq_type"]
    return data


SPEC = PageSpec(
    model=HeadquartersApplication, app="headquarters", title="总部企业认定",
    extra_fields=[("hq_type", "申报类型（只能申报其中之一）", "choice", list(HQ_TYPE_LABELS.items()))],
    to_data=_to_data, create=_create, from_case=lambda case: {"hq_type": case.hq_type},
    templates={"detail": "headquarters/detail.html"},
)

pages, get_case = make_pages(SPEC)


@login_required
def card(request, reference):
    case = get_case(request, reference)
    card = GreenChannelCard.objects.filter(application=case).select_related("org").first()
    if card is None:
        raise Http404("该申报尚未发放绿色通道服务卡")
    from . import card_pdf

    if request.GET.get("format") == "pdf" and card_pdf.available():
        return HttpResponse(card_pdf.render(card, case), content_type="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="{card.number}.pdf"'})
    return render(request, "headquarters/card.html",
                  {"card": card, "case": case, "pdf_available": card_pdf.available()})

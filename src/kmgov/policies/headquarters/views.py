"""总部企业认定 pages: /headquarters/ (list, apply, detail with the decision trace, steps) and the
printable green-channel service card."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop as N_

from kmgov.policies._recognition_services import application_create
from kmgov.policies._recognition_views import PageSpec, make_pages

from .models import HQ_TYPE_LABELS, GreenChannelCard, HeadquartersApplication
from .rules import TYPE_LABELS


def _create(user, data):
    return application_create(HeadquartersApplication, actor=user, data=data)


def _to_data(extras, inputs):
    data = {"inputs": inputs}
    if extras.get("hq_type"):
        data["hq_type"] = extras["hq_type"]
    return data


def _intro() -> dict:
    """Before the form: the application window (第十一条) and whether it is open today, and
    the conditions of each type in the gazette's words, from the rule's cited parameters."""
    from django.utils.translation import gettext as _

    from kmgov.rules import PARAMETERS, decide, get_rule, today
    from kmgov.rules.plain import fmt_date

    on = today()
    w = decide("headquarters.application_window", {"filed_on": on.isoformat()}).to_dict()
    start, end = w["window_start"], w["window_end"]
    window = {"open": w["outcome"] == "open", "start": fmt_date(start), "end": fmt_date(end),
              "today": fmt_date(on), "citation": get_rule("headquarters.application_window").citations[0]}
    groups = [("basic", _("基本条件（所有类型）")), ("comprehensive", _(TYPE_LABELS["comprehensive"]))]
    groups += [(k.replace(".", "_"), _(v)) for k, v in TYPE_LABELS.items() if k.startswith("functional.")]
    groups += [("growth", _("成长型总部（尚未达到综合型、职能型标准）"))]
    conditions = []
    names = get_rule("headquarters.certification").parameter_names()
    for prefix, heading in groups:
        seen, lines = set(), []
        for n in names:
            short = n.split(".", 1)[1]
            if not short.startswith(prefix + "_") or PARAMETERS[n].interpretation:
                continue
            c = PARAMETERS[n].citation
            if c and c.quote and c.path not in seen:
                seen.add(c.path)
                lines.append(c)
        if prefix == "basic":
            lines.insert(0, get_rule("headquarters.certification").citations[0])
        conditions.append((heading, lines))
    return {"window": window, "conditions": conditions}


SPEC = PageSpec(
    model=HeadquartersApplication, app="headquarters", title=N_("总部企业认定"),
    extra_fields=[("hq_type", N_("申报类型（只能申报其中之一）"), "choice", list(HQ_TYPE_LABELS.items()))],
    to_data=_to_data, create=_create, from_case=lambda case: {"hq_type": case.hq_type},
    templates={"detail": "headquarters/detail.html"},
    intro=_intro,
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

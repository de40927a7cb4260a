from django.shortcuts import render

from kmgov.core import selectors as core_selectors
from kmgov.gazette import selectors as gazette_selectors


def home(request):
    return render(request, "web/home.html", {"issues": gazette_selectors.issue_list()})


def orgs(request):
    return render(request, "web/orgs.html", {"units": core_selectors.org_tree_for(request.user)})


def org_staff(request, code: str):
    org, rows = core_selectors.org_staff(user=request.user, code=code)
    return render(request, "web/org_staff.html", {"org": org, "rows": rows})

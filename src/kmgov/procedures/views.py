"""Web pages of the procedures kernel: the inbox."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def inbox(request):
    include_done = request.GET.get("done") == "1"
    items = selectors.inbox_for(request.user, include_done=include_done)[:500]
    return render(request, "procedures/inbox.html",
                  {"items": items, "include_done": include_done})

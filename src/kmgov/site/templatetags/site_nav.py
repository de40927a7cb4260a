"""`{% site_nav as entries %}`: the navigation every app declares on its AppConfig
(`contributions.nav`), in order, as `kmgov.site.discovery.nav_for` gives them to the reader
(without the entries for logged-in users when nobody is, nor those whose `shown_to` does not
admit the reader). The entry whose address is the longest prefix of the current page is
marked `active` (the service navigation shows it as the current item)."""

from django import template

from kmgov.site.discovery import nav_for, nav_href

register = template.Library()


@register.simple_tag(takes_context=True)
def site_nav(context):
    entries = [{"label": e.label, "href": nav_href(e), "active": False}
               for e in nav_for(context.get("user"))]
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    matches = [e for e in entries if e["href"] != "/" and path.startswith(e["href"])]
    if matches:
        max(matches, key=lambda e: len(e["href"]))["active"] = True
    return entries

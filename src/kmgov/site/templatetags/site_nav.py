"""`{% site_nav as entries %}`: the navigation every app declares on its AppConfig
(`contributions.nav`), in order, without the entries for logged-in users when nobody is."""

from django import template

from kmgov.site.discovery import nav_entries, nav_href

register = template.Library()


@register.simple_tag(takes_context=True)
def site_nav(context):
    user = context.get("user")
    logged_in = bool(user is not None and user.is_authenticated)
    return [{"label": e.label, "href": nav_href(e)} for e in nav_entries()
            if logged_in or not e.login]

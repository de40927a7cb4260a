from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import Contributions, NavEntry


class WebConfig(AppConfig):
    name = "kmgov.web"
    label = "web"
    verbose_name = "网页"
    contributions = Contributions(
        urls="kmgov.web.urls",
        nav=[NavEntry(_("组织机构"), "web:orgs", order=40),
             NavEntry(_("统计看板"), "web:dashboards", order=45, login=True,
                      shown_to="kmgov.core.scope:is_official")],
    )

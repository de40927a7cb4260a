from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry


class AgricultureConfig(AppConfig):
    name = "kmgov.policies.agriculture"
    label = "agriculture"
    verbose_name = "滇池流域农业产业结构调整（昆政发〔2010〕59号）"
    contributions = Contributions(
        api=[ApiMount("/agriculture", "kmgov.policies.agriculture.api:router")],
        urls="kmgov.policies.agriculture.urls",
        nav=[NavEntry(_("农业结构调整报账"), "/agriculture/claims/", order=63, login=True,
                      shown_to="kmgov.core.scope:is_official")],
        demo="kmgov.policies.agriculture.demo:contribute",
        dashboards=[Dashboard("agriculture", _("滇池流域农业结构调整进度"),
                              "kmgov.policies.agriculture.dashboard:charts", order=63)],
        importers=["kmgov.policies.agriculture.imports:IMPORTER"],
    )

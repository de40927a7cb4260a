from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry


class ForestryConfig(AppConfig):
    name = "kmgov.policies.forestry"
    label = "forestry"
    verbose_name = "中低产林改造（昆政发〔2010〕61号）"
    contributions = Contributions(
        api=[ApiMount("/forestry", "kmgov.policies.forestry.api:router")],
        urls="kmgov.policies.forestry.urls",
        nav=[NavEntry(_("中低产林改造"), "/forestry/projects/", order=62, login=True,
                      shown_to="kmgov.core.scope:is_official")],
        demo="kmgov.policies.forestry.demo:contribute",
        dashboards=[Dashboard("forestry", _("中低产林改造进度"),
                              "kmgov.policies.forestry.dashboard:charts", order=62)],
    )

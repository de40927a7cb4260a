from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry


class HeadquartersConfig(AppConfig):
    name = "kmgov.policies.headquarters"
    label = "headquarters"
    verbose_name = "总部经济（昆政发〔2010〕63号）"
    contributions = Contributions(
        api=[ApiMount("/headquarters", "kmgov.policies.headquarters.api:router")],
        urls="kmgov.policies.headquarters.urls",
        nav=[NavEntry(_("总部企业认定"), "/headquarters/", order=60, login=True,
                      shown_to="kmgov.core.scope:is_official_or_enterprise")],
        demo="kmgov.policies.headquarters.demo:contribute",
        dashboards=[Dashboard("headquarters", _("总部企业认定统计"),
                              "kmgov.policies.headquarters.dashboard:charts", order=60)],
    )

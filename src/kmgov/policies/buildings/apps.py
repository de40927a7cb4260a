from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry


class BuildingsConfig(AppConfig):
    name = "kmgov.policies.buildings"
    label = "buildings"
    verbose_name = "楼宇经济（昆政发〔2010〕62号）"
    contributions = Contributions(
        api=[ApiMount("/buildings", "kmgov.policies.buildings.api:router")],
        urls="kmgov.policies.buildings.urls",
        nav=[NavEntry(_("商务楼宇认定"), "/buildings/", order=61, login=True,
                      shown_to="kmgov.core.scope:is_official_or_enterprise"),
             NavEntry(_("楼宇经济信息"), "/buildings/register/", order=62, login=True,
                      shown_to="kmgov.core.scope:is_official_or_enterprise")],
        demo="kmgov.policies.buildings.demo:contribute",
        dashboards=[Dashboard("buildings", _("商务楼宇认定与楼宇经济统计"),
                              "kmgov.policies.buildings.dashboard:charts", order=61)],
        importers=["kmgov.policies.buildings.register:IMPORTER"],
    )

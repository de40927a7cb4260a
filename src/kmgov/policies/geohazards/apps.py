"""地质灾害防治（昆政办〔2010〕109号）"""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry


class GeohazardsConfig(AppConfig):
    name = "kmgov.policies.geohazards"
    label = "geohazards"
    verbose_name = "地质灾害防治（昆政办〔2010〕109号）"
    contributions = Contributions(
        api=[ApiMount("/geohazards", "kmgov.policies.geohazards.api:router")],
        urls="kmgov.policies.geohazards.urls",
        nav=[NavEntry(_("地质灾害隐患点"), "/geohazards/points/", order=66, login=True,
                      shown_to="kmgov.core.scope:is_official")],
        demo="kmgov.policies.geohazards.demo:contribute",
        dashboards=[Dashboard("geohazards", _("地质灾害隐患点统计"),
                              "kmgov.policies.geohazards.dashboard:charts", order=66)],
        importers=["kmgov.policies.geohazards.services:IMPORTER"],
    )

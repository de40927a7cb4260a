"""碳汇造林（昆政发〔2010〕60号）"""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry


class CarbonConfig(AppConfig):
    name = "kmgov.policies.carbon"
    label = "carbon"
    verbose_name = "碳汇造林（昆政发〔2010〕60号）"
    contributions = Contributions(
        api=[ApiMount("/carbon", "kmgov.policies.carbon.api:router")],
        urls="kmgov.policies.carbon.urls",
        nav=[NavEntry(_("碳汇造林"), "/carbon/", order=65)],
        demo="kmgov.policies.carbon.demo:contribute",
        dashboards=[Dashboard("carbon", _("碳汇造林资金统计"),
                              "kmgov.policies.carbon.dashboard:charts", order=65)],
    )

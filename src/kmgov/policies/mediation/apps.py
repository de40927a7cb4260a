from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry


class MediationConfig(AppConfig):
    name = "kmgov.policies.mediation"
    label = "mediation"
    verbose_name = "人民调解“以奖代补”（昆政办〔2010〕108号）"
    contributions = Contributions(
        api=[ApiMount("/mediation", "kmgov.policies.mediation.api:router")],
        urls="kmgov.policies.mediation.urls",
        nav=[NavEntry(_("以奖代补"), "/mediation/claims/", order=64, login=True,
                      shown_to="kmgov.core.scope:is_official")],
        demo="kmgov.policies.mediation.demo:contribute",
        dashboards=[Dashboard("mediation", _("人民调解“以奖代补”统计"),
                              "kmgov.policies.mediation.dashboard:charts", order=70)],
    )

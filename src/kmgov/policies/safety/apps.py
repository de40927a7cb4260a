from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry


class SafetyConfig(AppConfig):
    name = "kmgov.policies.safety"
    label = "safety"
    verbose_name = "安全生产警示与零申报（昆政办〔2010〕106号、107号）"
    contributions = Contributions(
        api=[ApiMount("/safety", "kmgov.policies.safety.api:router")],
        urls="kmgov.policies.safety.urls",
        nav=[NavEntry(_("安全生产零申报与警示"), "/safety/", order=70, login=True,
                      shown_to="kmgov.core.scope:is_official_or_enterprise")],
        demo="kmgov.policies.safety.demo:contribute",
        dashboards=[Dashboard("safety", _("安全生产零申报与警示统计"),
                              "kmgov.policies.safety.dashboard:charts", order=70)],
    )

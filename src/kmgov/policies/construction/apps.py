"""建设工程质检全覆盖（昆政办〔2010〕111号）"""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, NavEntry


class ConstructionConfig(AppConfig):
    name = "kmgov.policies.construction"
    label = "construction"
    verbose_name = "建设工程质检全覆盖（昆政办〔2010〕111号）"
    contributions = Contributions(
        api=[ApiMount("/construction", "kmgov.policies.construction.api:router")],
        urls="kmgov.policies.construction.urls",
        nav=[NavEntry(_("工程质检全覆盖"), "/construction/", order=68, login=True,
                      shown_to="kmgov.core.scope:is_official")],
        demo="kmgov.policies.construction.demo:contribute",
        importers=["kmgov.policies.construction.services:IMPORTER"],
    )


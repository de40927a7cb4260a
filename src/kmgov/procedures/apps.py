from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, NavEntry


class ProceduresConfig(AppConfig):
    name = "kmgov.procedures"
    label = "procedures"
    verbose_name = "办事程序"
    default_auto_field = "django.db.models.BigAutoField"
    # One router from kmgov.procedures.api (it may grow routers of its own per procedure).
    contributions = Contributions(
        api=[ApiMount("/", "kmgov.procedures.api:router")],
        urls="kmgov.procedures.urls",
        nav=[NavEntry(_("我的待办"), "procedures:inbox", order=50, login=True),
             NavEntry(_("我的通知"), "procedures:notifications", order=51, login=True),
             NavEntry(_("通知设置"), "procedures:notification_settings", order=52, login=True)],
    )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, Dashboard, NavEntry, SetupStep


class HotlineConfig(AppConfig):
    name = "kmgov.hotline"
    label = "hotline"
    verbose_name = "96128 政务信息查询专线"
    default_auto_field = "django.db.models.BigAutoField"
    contributions = Contributions(
        api=[ApiMount("/hotline", "kmgov.hotline.api:install")],
        urls="kmgov.hotline.urls",
        nav=[NavEntry(_("96128热线"), "hotline:public", order=30)],
        setup=[SetupStep("kmgov.hotline.setup_steps:seed", order=50)],
        dashboards=[Dashboard("hotline", _("96128热线统计"), "kmgov.hotline.dashboard:charts",
                              order=30)],
        warmup=["kmgov.hotline.kb:warm_up"],
    )

    def ready(self):
        from kmgov.core import search

        from .kb import DOMAIN_WORDS

        search.add_words(DOMAIN_WORDS)

        # Every change of what the desk ranks by — an entry, a synonym group, a topic — tells
        # every process's answer index (kb.kb_changed, in the same transaction), whoever
        # makes it: the desk's services, the admin, a later service that forgets to.
        from django.db.models.signals import post_delete, post_save

        from .models import KbEntry, Synonym, Topic

        for model in (KbEntry, Synonym, Topic):
            post_save.connect(_kb_changed, sender=model, dispatch_uid=f"kb-changed-{model.__name__}")
            post_delete.connect(_kb_changed, sender=model,
                                dispatch_uid=f"kb-deleted-{model.__name__}")


def _kb_changed(sender, **kwargs):
    from .kb import kb_changed

    kb_changed()

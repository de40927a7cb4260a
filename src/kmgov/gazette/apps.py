from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, NavEntry, SetupStep


class GazetteConfig(AppConfig):
    name = "kmgov.gazette"
    label = "gazette"
    verbose_name = "公报库"
    contributions = Contributions(
        api=[ApiMount("/gazette", "kmgov.gazette.api:router")],
        urls="kmgov.gazette.urls",
        nav=[NavEntry(_("公报"), "gazette:issues", order=10),
             NavEntry(_("检索"), "gazette:search", order=11)],
        setup=[SetupStep("kmgov.gazette.setup_steps:ingest", order=30, arguments=(
            ("--gazette", {"help": "收录的公报文本文件路径"}),))],
    )

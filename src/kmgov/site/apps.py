from django.apps import AppConfig

from kmgov.core.contributions import Contributions, SetupStep


class SiteConfig(AppConfig):
    """The site: the channel that assembles what every app declares on its AppConfig
    (`contributions`, see kmgov.core.contributions) into the API, the URLs, the navigation,
    `kmgov setup` and `kmgov demo`, and renders refusals and error pages one way."""

    name = "kmgov.site"
    label = "site"
    verbose_name = "站点"
    contributions = Contributions(
        setup=[SetupStep("kmgov.site.setup_steps:admin_account", order=20, arguments=(
            ("--admin", {"default": None, "help": "管理员用户名（默认 KMGOV_ADMIN_USER 或 admin）"}),
        ))],
    )

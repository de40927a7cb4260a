from django.apps import AppConfig

from kmgov.core.contributions import ApiMount, Contributions, SetupStep


class CoreConfig(AppConfig):
    name = "kmgov.core"
    label = "core"
    verbose_name = "核心：组织、角色、审计"
    contributions = Contributions(
        api=[ApiMount("/", "kmgov.core.api:router")],
        setup=[SetupStep("kmgov.core.setup_steps:org_tree", order=10)],
    )

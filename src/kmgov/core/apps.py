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

    def ready(self):
        from django.db.models.signals import post_migrate

        from kmgov.core.db_roles import app_role_after_migrate

        post_migrate.connect(app_role_after_migrate, sender=self,
                             dispatch_uid="kmgov-app-role-after-migrate")

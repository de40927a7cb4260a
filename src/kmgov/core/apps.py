from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kmgov.core"
    label = "core"
    verbose_name = "核心：组织、角色、审计"

from django.apps import AppConfig


class ForestryConfig(AppConfig):
    name = "kmgov.policies.forestry"
    label = "forestry"
    verbose_name = "中低产林改造（昆政发〔2010〕61号）"

from django.apps import AppConfig


class GeohazardsConfig(AppConfig):
    name = "kmgov.policies.geohazards"
    label = "geohazards"
    verbose_name = "地质灾害防治（昆政办〔2010〕109号）"

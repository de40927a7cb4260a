from django.apps import AppConfig


class GazetteConfig(AppConfig):
    name = "kmgov.gazette"
    label = "gazette"
    verbose_name = "公报库"

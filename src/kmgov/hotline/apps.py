from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "kmgov.hotline"
    label = "hotline"
    verbose_name = "96128 政务信息查询专线"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kmgov.core import search

        from .kb import DOMAIN_WORDS

        search.add_words(DOMAIN_WORDS)

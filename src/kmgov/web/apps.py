from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kmgov.web"
    label = "web"
    verbose_name = "网页"

from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "kmgov.policies.hotline"
    label = "hotline"
    verbose_name = "96128专线“三个延伸”（昆政办〔2010〕116号）"

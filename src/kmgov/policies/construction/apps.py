from django.apps import AppConfig


class ConstructionConfig(AppConfig):
    name = "kmgov.policies.construction"
    label = "construction"
    verbose_name = "建设工程质检全覆盖（昆政办〔2010〕111号）"

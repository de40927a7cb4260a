from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "kmgov.policies.safety"
    label = "safety"
    verbose_name = "安全生产警示与零申报（昆政办〔2010〕106号、107号）"

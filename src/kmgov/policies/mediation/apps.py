from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "kmgov.policies.mediation"
    label = "mediation"
    verbose_name = "人民调解“以奖代补”（昆政办〔2010〕108号）"

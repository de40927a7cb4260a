from django.apps import AppConfig


class CarbonConfig(AppConfig):
    name = "kmgov.policies.carbon"
    label = "carbon"
    verbose_name = "碳汇造林（昆政发〔2010〕60号）"

from django.apps import AppConfig


class BuildingsConfig(AppConfig):
    name = "kmgov.policies.buildings"
    label = "buildings"
    verbose_name = "楼宇经济（昆政发〔2010〕62号）"

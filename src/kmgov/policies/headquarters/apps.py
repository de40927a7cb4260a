from django.apps import AppConfig


class HeadquartersConfig(AppConfig):
    name = "kmgov.policies.headquarters"
    label = "headquarters"
    verbose_name = "总部经济（昆政发〔2010〕63号）"

from django.apps import AppConfig


class AgricultureConfig(AppConfig):
    name = "kmgov.policies.agriculture"
    label = "agriculture"
    verbose_name = "滇池流域农业产业结构调整（昆政发〔2010〕59号）"

from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "kmgov.procedures"
    label = "procedures"
    verbose_name = "办事程序"
    default_auto_field = "django.db.models.BigAutoField"

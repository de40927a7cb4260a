from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "kmgov.policies.hotline"
    # The label "hotline" belongs to the service desk (kmgov.hotline); this module's
    # parameters and rules keep the "hotline." names the gazette's 116号 gives them.
    label = "hotline_policy"
    parameters_prefix = "hotline"
    verbose_name = "96128专线“三个延伸”（昆政办〔2010〕116号）"

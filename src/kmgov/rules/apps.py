import importlib
import importlib.util
from pathlib import Path

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, NavEntry


class RulesConfig(AppConfig):
    name = "kmgov.rules"
    label = "rules"
    verbose_name = "规则：参数与决定"
    contributions = Contributions(
        api=[ApiMount("/rules", "kmgov.rules.api:router")],
        urls="kmgov.rules.urls",
        nav=[NavEntry(_("规则与计算"), "rules:list", order=20)],
    )

    def ready(self):
        autodiscover()


def autodiscover() -> None:
    """Every installed app with a `parameters/` folder contributes its parameters (named
    `<prefix>.…`, the app's `parameters_prefix` or else its label) and every app with a `rules` module registers its rules. The kernel names no
    policy: adding a gazette document means adding an app."""
    from .parameters import PARAMETERS

    for cfg in apps.get_app_configs():
        pdir = Path(cfg.path) / "parameters"
        prefix = getattr(cfg, "parameters_prefix", cfg.label)
        if pdir.is_dir() and prefix not in PARAMETERS.directories:
            PARAMETERS.register_directory(prefix, pdir)
        if cfg.name == __package__:
            continue
        modname = f"{cfg.name}.rules"
        try:
            spec = importlib.util.find_spec(modname)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            importlib.import_module(modname)

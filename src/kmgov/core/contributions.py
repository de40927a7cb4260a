"""What an app contributes to the site, declared on its AppConfig.

The channels (the API under /api/v1/, the URLs, the navigation, `kmgov setup`, `kmgov demo`)
name no app: `kmgov.site` reads the `contributions` attribute of every installed AppConfig
(`django.apps.apps.get_app_configs()`, in INSTALLED_APPS order) and mounts what it finds.
Adding a gazette document means adding an app that declares its contributions:

    class ForestryConfig(AppConfig):
        name = "kmgov.policies.forestry"
        contributions = Contributions(
            api=[ApiMount("/forestry", "kmgov.policies.forestry.api:router")],
            urls="kmgov.policies.forestry.urls",
            nav=[NavEntry(_("中低产林改造"), "/forestry/projects/", order=62, login=True,
                          shown_to="kmgov.core.scope:is_official")],
            demo="kmgov.policies.forestry.demo:contribute",
        )

Targets are "module:attribute" strings, imported only when the site needs them, so declaring
them costs nothing when the app loads and the declaring module imports no channel. This module
is in `core` because every layer declares with it; it imports nothing of kmgov.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ApiMount:
    """A part of the JSON API. `target` is a ninja Router, mounted at `prefix`, or a callable
    `install(api, prefix)` that mounts what it needs (routers generated at start-up, exception
    handlers of its own)."""

    prefix: str
    target: str


@dataclass(frozen=True)
class NavEntry:
    """A link in the site's navigation. `url` is a URL name ("gazette:issues") or a path
    ("/headquarters/"); `label` is Chinese, marked for translation (gettext_lazy) so the English
    interface shows its translation; `login` shows it only to logged-in users; `shown_to`, a
    "module:attribute" of a predicate `(user) -> bool` (kmgov.core.scope's `is_official`,
    `is_official_or_enterprise`), shows it only to those the predicate admits — a module's
    pages that answer 403 to a citizen or an enterprise are not offered to them."""

    label: Any
    url: str
    order: int = 100
    login: bool = False
    shown_to: str | None = None


@dataclass(frozen=True)
class SetupStep:
    """A step of `kmgov setup`, run in `order` (every step must be safe to repeat).
    `target` is a callable `step(stdout, **options)`; `arguments` are the command-line options
    it adds to `kmgov setup`, as (flag, argparse keyword arguments)."""

    target: str
    order: int = 100
    arguments: tuple[tuple[str, dict], ...] = ()


@dataclass(frozen=True)
class Dashboard:
    """A dashboard page at /dashboards/<slug>/ (with its xlsx and each chart as SVG/PNG).
    `target` is a callable `charts(user, on=None) -> list[kmgov.core.charts.Chart]` building
    the charts from the module's selectors, scoped to `user` (a logged-in reader), as they stood
    on the date `on` (None: today; the page's `?on=`); `title` is Chinese,
    marked for translation. Charts marked `headline` also appear on the city's overview."""

    slug: str
    title: Any
    target: str
    order: int = 100


@dataclass(frozen=True)
class Contributions:
    api: list[ApiMount] = field(default_factory=list)
    #: A urlconf module included at the site's root (its own `app_name` is the namespace).
    urls: str | None = None
    nav: list[NavEntry] = field(default_factory=list)
    setup: list[SetupStep] = field(default_factory=list)
    #: A callable `contribute(stdout)` adding this app's sample data to `kmgov demo`.
    demo: str | None = None
    #: Dashboards of charts (kmgov.core.charts), shown by kmgov.web under /dashboards/.
    dashboards: list[Dashboard] = field(default_factory=list)
    #: Callables `warm_up()` run by `kmgov serve` before the server accepts a request (load
    #: dictionaries, build in-memory indexes), so the first callers do not pay for them.
    warmup: list[str] = field(default_factory=list)
    #: "module:attribute" of each `kmgov.procedures.imports.Importer` this app offers: a file
    #: import run as a background job (`ImportJob`) with its progress page and API.
    importers: list[str] = field(default_factory=list)


def resolve(target: str):
    """Import "module:attribute" and return the attribute."""
    import importlib

    module, _, attr = target.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj

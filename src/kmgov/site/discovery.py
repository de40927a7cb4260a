"""Discovery: every installed app's `contributions` (declared on its AppConfig, see
kmgov.core.contributions), in INSTALLED_APPS order. The site names no app."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import AppConfig, apps
from django.urls import include, path, reverse

from kmgov.core.contributions import Contributions, Dashboard, NavEntry, SetupStep, resolve


def contributions() -> Iterator[tuple[AppConfig, Contributions]]:
    for cfg in apps.get_app_configs():
        declared = getattr(cfg, "contributions", None)
        if isinstance(declared, Contributions):
            yield cfg, declared


def mount_api(api) -> None:
    """Mount every app's routers (or let its installer mount them) on the NinjaAPI `api`."""
    from ninja import Router

    for _cfg, c in contributions():
        for mount in c.api:
            target = resolve(mount.target)
            if isinstance(target, Router):
                api.add_router(mount.prefix, target)
            elif callable(target):
                target(api, mount.prefix)
            else:
                raise TypeError(f"{mount.target} is neither a ninja Router nor an installer")


def urlpatterns() -> list:
    """Every app's urlconf, included at the site's root."""
    return [path("", include(c.urls)) for _cfg, c in contributions() if c.urls]


def nav_entries() -> list[NavEntry]:
    entries = [e for _cfg, c in contributions() for e in c.nav]
    return sorted(entries, key=lambda e: e.order)


def nav_for(user) -> list[NavEntry]:
    """The entries this user is shown, in order: the one place that decides. An entry marked
    `login` needs a logged-in user; one with `shown_to` needs its predicate to admit the user
    (a citizen or an enterprise is not offered the officials' modules, whose pages refuse
    them)."""
    logged_in = bool(user is not None and user.is_authenticated)
    return [e for e in nav_entries()
            if (logged_in or not e.login) and (e.shown_to is None or resolve(e.shown_to)(user))]


def nav_href(entry: NavEntry) -> str:
    return entry.url if entry.url.startswith("/") else reverse(entry.url)


def setup_steps() -> list[tuple[str, SetupStep]]:
    steps = [(cfg.label, s) for cfg, c in contributions() for s in c.setup]
    return sorted(steps, key=lambda pair: pair[1].order)


def demo_contributors() -> list[tuple[str, object]]:
    """`contribute(stdout)` of every app that declares demo data, in INSTALLED_APPS order."""
    return [(cfg.label, resolve(c.demo)) for cfg, c in contributions() if c.demo]


def dashboards() -> list[Dashboard]:
    """Every declared dashboard, ordered; slugs are unique across the site."""
    found = sorted((d for _cfg, c in contributions() for d in c.dashboards), key=lambda d: d.order)
    slugs = [d.slug for d in found]
    if len(slugs) != len(set(slugs)):
        raise ValueError(f"two apps declare the same dashboard slug: {sorted(slugs)}")
    return found


def warmups() -> list[tuple[str, object]]:
    """`warm_up()` of every app that declares one, in INSTALLED_APPS order (`kmgov serve`)."""
    return [(cfg.label, resolve(t)) for cfg, c in contributions() for t in c.warmup]

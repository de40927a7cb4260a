"""The desk's step of `kmgov setup` (declared on HotlineConfig): the seed knowledge base."""

from django.core.management import call_command


def seed(stdout, **_options) -> None:
    call_command("hotline", "seed", stdout=stdout)

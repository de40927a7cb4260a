"""The gazette's step of `kmgov setup` (declared on GazetteConfig): ingest the issue given by
`--gazette`, if any (the same text again changes nothing)."""

from django.core.management import call_command


def ingest(stdout, gazette: str | None = None, **_options) -> None:
    if gazette:
        call_command("gazette", "ingest", gazette, stdout=stdout)

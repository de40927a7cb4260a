"""Django's makemessages, reading the aliases of gettext_noop this code uses.

Condition labels, todos, units and option words are marked `N_("…")` (or `_noop("…")`) where
they are declared and translated where they are shown; xgettext knows neither name, so
without these keywords the marked strings never reached the catalogue (the English pages
showed them in Chinese although docs/ui-strings-en.tsv had their English)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_", "--keyword=_noop"]

"""Rows built once for a whole test module and committed, flushed when the module is done.

The pattern of the fixtures that need a large set-up (the demo, thirteen accounts with their
tokens) in many tests: build it outside any test transaction, let each test run in its own
transaction on top (rolled back at its end, so what a test writes is gone before the next),
and empty the database at the end, as a transactional test does."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def committed_for_module(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """`build()` run with the database unblocked and committed; its result is yielded; every
    table is flushed on exit, also when a test of the module failed."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        built = build()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)

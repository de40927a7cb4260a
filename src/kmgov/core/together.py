"""Rows written together: inside one transaction, the rows of one model that the changes of a
block record are kept on the connection and written in one INSERT when the block ends, not one
round trip each (the audit entries of a step, the inbox items of the 96128 intake).

    AUDIT = Together("audit", lambda: AuditEntry)
    with AUDIT.block():          # inside transaction.atomic()
        ...                      # the writers call AUDIT.kept(): a list to append to, or None
                                 # outside a block (then they write their row at once)

A block nested in another leaves the writing to the outer one. A block that raises writes
nothing (its transaction is rolled back anyway). A kept row has no id until the block ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction


class Together:
    def __init__(self, name: str, model: Callable[[], type]):
        self._attr = f"_kmgov_{name}_kept"
        self._name = name
        self._model = model  # a callable: the model class is looked up when a block ends

    def kept(self) -> list | None:
        """The rows kept by the block this connection is in, or None outside one."""
        return getattr(transaction.get_connection(), self._attr, None)

    @contextmanager
    def block(self) -> Iterator[None]:
        conn = transaction.get_connection()
        if not conn.in_atomic_block:
            raise RuntimeError(f"a block of {self._name} rows written together must run inside "
                               "the transaction of the change")
        if getattr(conn, self._attr, None) is not None:  # an enclosing block writes them
            yield
            return
        kept: list = []
        setattr(conn, self._attr, kept)
        try:
            yield
        finally:
            setattr(conn, self._attr, None)
        if kept:
            self._model().objects.bulk_create(kept)

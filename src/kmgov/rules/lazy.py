"""numpy, imported on first use.

A command that decides one case and exits (`kmgov ask`, `kmgov rules decide`) never evaluates a
table, and importing numpy costs it ≈ 0.12 s of its second. The modules that evaluate tables
read `np.<name>` through this stand-in; the first read imports numpy, and each later read costs
one attribute look-up more than the module itself (per column operation, not per row).
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    __slots__ = ("_name", "_module")

    def __init__(self, name: str):
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str):
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{' (imported)' if self._module is not None else ''}>"


np = LazyModule("numpy")

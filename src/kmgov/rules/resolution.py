"""Parameter resolution: the gazette's dated values, administrators' dated overrides of
interpretations (`ParameterOverride`, cached a few seconds and invalidated on every change),
and what-if overrides (`--set NAME=VALUE`, never stored).

`parameter_value(name, on)` is the one way for code outside a rule (procedures, services,
pages) to read a parameter: at the date of use, through the administrators' overrides, exactly
as a rule's `c.p(name)` reads it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Mapping
from typing import Any

from .errors import RuleInputError
from .parameters import PARAMETERS, ValueAt

_db_cache: dict[str, Any] = {"at": 0.0, "data": None}
_db_lock = threading.Lock()
DB_CACHE_SECONDS = 5.0


def invalidate_overrides() -> None:
    _db_cache["data"] = None
    _use_cache.clear()


# (parameter, date) → ParamUse, valid while the administrators' overrides are unchanged
_use_cache: dict = {}
_use_cache_owner: list = [None]


def use_cache() -> dict:
    """The (parameter, date) → ParamUse cache, valid for the administrators' overrides in force
    now (read once per decision, not once per parameter)."""
    data = _db_overrides()
    if _use_cache_owner[0] is not data:
        _use_cache.clear()
        _use_cache_owner[0] = data
    return _use_cache


def _use_cache_put(key, use) -> None:
    if len(_use_cache) > 100_000:
        _use_cache.clear()
    _use_cache[key] = use


def _db_overrides() -> dict[str, list[tuple[dt.date, Any, str]]]:
    now = time.monotonic()
    data = _db_cache["data"]
    if data is not None and now - _db_cache["at"] < DB_CACHE_SECONDS:
        return data
    with _db_lock:
        data = {}
        try:
            from .models import ParameterOverride

            for o in ParameterOverride.objects.order_by("effective_from", "id"):
                data.setdefault(o.parameter, []).append((o.effective_from, o.value, f"override:{o.pk}"))
        except Exception:  # no table yet (before migrate), or no database at all
            data = {}
        _db_cache.update(at=now, data=data)
    return data


@contextlib.contextmanager
def pinned_overrides(data: dict):
    """Decide with these administrators' overrides (as `_db_overrides()` returned them in the
    process that started a distributed job) instead of reading the database."""
    saved = dict(_db_cache)
    _db_cache.update(at=float("inf"), data=data)
    try:
        yield
    finally:
        _db_cache.update(saved)


def check_overrides(overrides: Mapping[str, Any] | None) -> None:
    errs = []
    for name in overrides or {}:
        base = name.split("[", 1)[0]
        if base not in PARAMETERS:
            errs.append({"field": f"set.{name}", "message": f"没有这个参数：{name}"})
    if errs:
        raise RuleInputError(errs)


def resolve(name: str, when: dt.date, overrides: Mapping[str, Any] | None = None) -> ValueAt:
    par = PARAMETERS[name]
    va = par.at(when)
    if par.interpretation:
        db = _db_overrides().get(name)
        if db:
            for start, value, src in db:
                if start <= when and start >= va.start:
                    va = ValueAt(value, start, va.citation, src)
    if overrides:
        if name in overrides:
            va = ValueAt(overrides[name], va.start, va.citation, "what-if")
        elif par.is_scale:
            pairs = [list(p) for p in va.value]
            changed = False
            for i, pair in enumerate(pairs):
                for j, key in enumerate(("threshold", "amount")):
                    k = f"{name}[{i}].{key}"
                    if k in overrides:
                        pair[j] = overrides[k]
                        changed = True
            if changed:
                va = ValueAt(pairs, va.start, va.citation, "what-if")
    return va



def override_dates() -> list[dt.date]:
    """The dates on which an administrator's override takes effect (a batch splits there)."""
    return [d for lst in _db_overrides().values() for d, _, _ in lst]


def _day(on: dt.date | dt.datetime) -> dt.date:
    if isinstance(on, dt.datetime):
        from kmgov.core.calendar import local

        return local(on).date()
    if isinstance(on, dt.date):
        return on
    raise TypeError(f"a parameter is read on a date, got {on!r}")


def parameter_at(name: str, on: dt.date | dt.datetime) -> ValueAt:
    """The value of parameter `name` in force on `on` (a date, or a moment taken in Beijing
    time) with the date it took effect, its citation and its source (`gazette` or
    `override:<id>`, an administrator's interpretation). Raises `ParameterError` for an
    unknown name and `ParameterNotInForce` before its first date."""
    return resolve(name, _day(on))


def parameter_value(name: str, on: dt.date | dt.datetime) -> Any:
    """The value of parameter `name` in force on `on`, through the administrators'
    interpretation overrides. `on` is the date of use: the case's date, the filing date, or
    `kmgov.rules.today()` — never a date written in the code."""
    return parameter_at(name, on).value

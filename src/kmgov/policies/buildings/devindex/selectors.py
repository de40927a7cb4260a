"""Reads of the development index, scoped to the caller.

The index and its ranks are published every year (附件2 三2: 每年……发布《昆明市楼宇经济发展
指数评价年度报告》), so every official reads runs; the data set behind them is each county's
own: a county official sees the values of their county only (`core.scope.scoped`), the city
level sees all.
"""

from __future__ import annotations

from kmgov.core.errors import Forbidden, NotFound
from kmgov.core.scope import is_city_level, is_official

from .models import IndexRun, IndexSpec, IndicatorValue
from .services import index_units, may_edit_spec, own_counties


def _require_official(user):
    if not is_official(user):
        raise Forbidden("楼宇经济发展指数仅供政府工作人员查阅")


def runs(user, year: int | None = None):
    _require_official(user)
    qs = IndexRun.objects.select_related("spec")
    return qs.filter(year=year) if year else qs


def run_get(user, pk) -> IndexRun:
    _require_official(user)
    obj = IndexRun.objects.select_related("spec").filter(pk=pk).first()
    if obj is None:
        raise NotFound("没有这次指数计算")
    return obj


def latest_run(user, year: int | None = None) -> IndexRun | None:
    return runs(user, year).first()


def specs(user):
    _require_official(user)
    return IndexSpec.objects.all()


def values(user, year: int | None = None):
    """The values the caller may see: their own county's, or all at the city level."""
    _require_official(user)
    qs = IndicatorValue.objects.select_related("org", "indicator")
    if not sees_inputs(user):
        qs = qs.filter(org__in=own_counties(user))
    return qs.filter(year=year) if year else qs


def units_visible(user):
    """The ranked units whose values the caller may see."""
    _require_official(user)
    return index_units() if sees_inputs(user) else index_units().filter(pk__in=own_counties(user))


def sees_inputs(user) -> bool:
    """Whether the caller may see every county's inputs of a run (the city level)."""
    return may_edit_spec(user) or is_city_level(user)


def years(user) -> list[int]:
    _require_official(user)
    ys = set(IndexRun.objects.values_list("year", flat=True))
    ys |= set(values(user).values_list("year", flat=True))
    return sorted(ys, reverse=True)

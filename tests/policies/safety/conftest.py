"""People and places of 106号/107号, built with the real services: two enterprises of 盘龙区
in listed industries (a coal mine → 盘龙区安监局, a builder → 盘龙区住建局), one of 五华区, the
two townships of 盘龙区 and their officers, the county offices, the city office (市安委办)."""

import datetime as dt

import pytest

from kmgov.core.calendar import TZ
from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import org_tree_load, user_create


def at(*args) -> dt.datetime:
    """A moment in Beijing time."""
    return dt.datetime(*args, tzinfo=TZ)


class People:
    pass


@pytest.fixture
def sp(db, settings, tmp_path):
    from kmgov.policies.safety.services import enterprise_register

    settings.MEDIA_ROOT = tmp_path / "media"
    org_tree_load()
    panlong, wuhua = OrgUnit.objects.get(code="panlong"), OrgUnit.objects.get(code="wuhua")
    for code, name, parent in (("ent-mine", "盘龙示例煤矿有限公司", panlong),
                               ("ent-build", "盘龙示例建筑工程公司", panlong),
                               ("ent-wuhua-chem", "五华示例化工有限公司", wuhua)):
        OrgUnit(code=code, name=name, kind="enterprise", parent=parent).save()
    p = People()
    u = user_create
    p.mine = u(username="meikuang", roles=[(Role.ENTERPRISE, "ent-mine")])
    p.builder = u(username="jianzhu", roles=[(Role.ENTERPRISE, "ent-build")])
    p.chem = u(username="huagong", roles=[(Role.ENTERPRISE, "ent-wuhua-chem")])
    p.dianyuan = u(username="dianyuan-aj", roles=[(Role.TOWNSHIP_STAFF, "panlong-dianyuan")])
    p.aziying = u(username="aziying-aj", roles=[(Role.TOWNSHIP_STAFF, "panlong-aziying")])
    p.panlong_safety = u(username="panlong-ajj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-safety")])
    p.panlong_housing = u(username="panlong-zjj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-housing")])
    p.office = u(username="panlong-awb", roles=[(Role.COUNTY_OFFICE, "panlong")])
    p.government = u(username="panlong-zf", roles=[(Role.COUNTY_GOVERNMENT, "panlong")])
    p.wuhua_office = u(username="wuhua-awb", roles=[(Role.COUNTY_OFFICE, "wuhua")])
    p.city = u(username="shi-awb", roles=[(Role.CITY_OFFICE, "city-safety")])
    # Separation of duties (issue 15): an office's staff draft a warning, its head signs it.
    p.office_head = u(username="panlong-awb-zr", roles=[(Role.COUNTY_OFFICE, "panlong")])
    p.wuhua_office_head = u(username="wuhua-awb-zr", roles=[(Role.COUNTY_OFFICE, "wuhua")])
    p.city_head = u(username="shi-awb-fzr", roles=[(Role.CITY_OFFICE, "city-safety")])
    p.signer = {p.office: p.office_head, p.wuhua_office: p.wuhua_office_head, p.city: p.city_head,
                p.government: p.office_head}
    for code, ind in (("ent-mine", "coal"), ("ent-build", "construction"), ("ent-wuhua-chem", "chemical")):
        enterprise_register(actor=p.city, org=OrgUnit.objects.get(code=code), industry_code=ind,
                            employees=120, in_scope_from=dt.date(2010, 5, 1))
    return p

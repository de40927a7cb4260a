"""People of 111号 (construction quality), built with the real services."""

import pytest

from kmgov.core.models import Role
from kmgov.core.services import org_tree_load, user_create


class People:
    pass


@pytest.fixture
def cq(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org_tree_load()
    p = People()
    u = user_create
    # 二: 领导小组办公室设在市住建局 — the inspection group
    p.group = u(username="shi-zjj-dc", roles=[(Role.CITY_OFFICE, "city-housing")])
    # a member of the group who inspects and records findings: the office that scheduled the
    # inspection does not record it, nor does the recorder recheck the rectification (issue 15)
    p.member = u(username="shi-zjj-dcy", roles=[(Role.CITY_OFFICE, "city-housing")])
    p.general_office = u(username="shi-bgt", roles=[(Role.CITY_DEPARTMENT, "city-general-office")])
    p.wuhua = u(username="wuhua-zjj", roles=[(Role.COUNTY_DEPARTMENT, "wuhua-housing")])
    p.panlong = u(username="panlong-zjj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-housing")])
    p.xishan = u(username="xishan-zjj", roles=[(Role.COUNTY_DEPARTMENT, "xishan-housing")])
    p.panlong_gov = u(username="panlong-zf", roles=[(Role.COUNTY_GOVERNMENT, "panlong")])
    # another city office (市司法局's) is not the inspection group
    p.other_city_office = u(username="shi-sfj-ban", roles=[(Role.CITY_OFFICE, "city-justice")])
    p.auditor = u(username="shenji", roles=[(Role.AUDITOR, "kunming")])
    return p

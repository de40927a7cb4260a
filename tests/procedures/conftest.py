"""People and places for the procedures kernel's tests, built with the real services."""

import pytest
from procedures.helpers import PDF, at, attach

from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.procedures.services import case_create


class People:
    pass


@pytest.fixture
def people(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org_tree_load()
    panlong = OrgUnit.objects.get(code="panlong")
    OrgUnit(code="ent-dianchi", name="昆明滇池示例有限公司", kind="enterprise", parent=panlong).save()
    OrgUnit(code="ent-wuhua", name="五华示例有限公司", kind="enterprise",
            parent=OrgUnit.objects.get(code="wuhua")).save()
    p = People()
    p.applicant = user_create(username="qiye", roles=[(Role.ENTERPRISE, "ent-dianchi")],
                              display_name="滇池示例公司经办人")
    p.other_enterprise = user_create(username="qiye2", roles=[(Role.ENTERPRISE, "ent-wuhua")])
    p.office = user_create(username="panlong-ban", roles=[(Role.COUNTY_OFFICE, "panlong")])
    p.office2 = user_create(username="panlong-ban2", roles=[(Role.COUNTY_OFFICE, "panlong")])
    p.government = user_create(username="panlong-zf", roles=[(Role.COUNTY_GOVERNMENT, "panlong")])
    p.wuhua_office = user_create(username="wuhua-ban", roles=[(Role.COUNTY_OFFICE, "wuhua")])
    p.city_department = user_create(username="shi-shangwu",
                                    roles=[(Role.CITY_DEPARTMENT, "city-commerce")])
    p.city_office = user_create(username="shi-ban", roles=[(Role.CITY_OFFICE, "kunming")])
    p.auditor = user_create(username="shenji", roles=[(Role.AUDITOR, "kunming")])
    p.enterprise_org = OrgUnit.objects.get(code="ent-dianchi")
    return p


@pytest.fixture
def new_case(people):
    from procedures.sample.models import SampleApplication

    def make(amount="100.00", with_licence=True, when=None):
        case = case_create(SampleApplication, actor=people.applicant, org=people.enterprise_org,
                           amount=amount, now=when or at(2026, 3, 10, 10))
        if with_licence:
            attach(case, people.applicant, "licence", "licence.pdf", PDF)
        return case

    return make

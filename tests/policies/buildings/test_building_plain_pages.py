"""The building register's grade and the targets page say their result plainly (issue 13 item 2):
the sentence and the findings of `kmgov.rules.plain` above the folded trace. Values by hand."""

import pytest
from policies.recognition_fixtures import MARCH, client_for

from kmgov.core.models import OrgUnit
from kmgov.policies.buildings import register
from kmgov.policies.buildings.models import Building

pytestmark = pytest.mark.django_db

# 附件1 第十二条 (lines are interpretations): 3万平方米 (1万以上 → 乙), 4 facilities (4项以上 → 乙),
# 二级资质 (乙), one tenant paying 2000万元 (超过1000万 → 乙) → 乙级, each criterion short of 甲级.
FIGURES = {"total_floor_area_m2": "30000", "office_floor_area_m2": "20000", "vacant_floor_area_m2": "2000",
           "management_level": "level2",
           "facilities": {"parking": True, "catering": True, "conference": True, "transport": True},
           "tenants": ["企业甲｜金融｜是｜否｜20000000"]}


@pytest.fixture
def building(people):
    panlong = OrgUnit.objects.get(code="panlong")
    b = Building.objects.create(name="拓东商务大厦", property_certificate_no="PL-PLAIN", county=panlong)
    register.record_save(b, 2025, FIGURES, actor=people.office, now=MARCH)
    return b


def test_register_page_says_the_grade_and_how_to_reach_the_next(people, building):
    page = client_for(people.office).get(f"/buildings/register/{building.pk}/?year=2025")
    text = page.content.decode()
    assert page.status_code == 200
    sentence = "该楼宇评为乙级：税收贡献乙级、建设规模乙级、设备设施乙级、管理服务乙级，取四项中最低的一项（62号 附件1 第十二条）。"
    assert sentence in text and "要评为甲级，须以下4项都达到甲级。" in text
    assert "甲级的管理服务：物业服务企业为一级资质" in text
    # the sentence first, the trace folded below it
    assert text.index(sentence) < text.index("完整计算过程")
    assert "<details open><summary>完整计算过程" not in text
    # another county's office does not see the building at all
    assert client_for(people.wuhua_office).get(f"/buildings/register/{building.pk}/?year=2025").status_code == 404


def test_targets_page_says_what_is_short(people, building):
    page = client_for(people.city_office).get("/buildings/targets/?year=2025")
    text = page.content.decode()
    assert page.status_code == 200
    # 二(三) 2012: 1 building over 1000万 of 60, none at 1亿 of 10, 0 clusters of 5; occupancy
    # (20000 − 2000) ÷ 20000 = 90% meets 90%以上; no tax total entered → no share checked
    assert "对照2012年目标，3项尚未达到（62号 二(三)）：税收过千万元的商务楼宇1栋，税收亿元楼0栋。" in text
    assert "还差59栋税收超过1000万元的商务楼宇" in text
    assert text.index("对照2012年目标，3项") < text.index("完整计算过程")
    # an enterprise reaches no county: neither the city's decisions nor any county's are shown
    other = client_for(people.applicant).get("/buildings/targets/?year=2025").content.decode()
    assert "对照2012年目标" not in other and "税收过千万元的商务楼宇1栋" not in other

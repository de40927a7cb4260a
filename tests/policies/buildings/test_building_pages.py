"""商务楼宇奖励扶持认定 through the pages and the CLI: the reward fields at the meeting, scope."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from policies.recognition_fixtures import BUILDING_DOCS, PDF, client_for

from kmgov.policies.buildings.models import Building, BuildingApplication

pytestmark = pytest.mark.django_db

FORM = {
    "building_name": "金马大厦", "property_certificate_no": "昆房权证盘龙字第201000123号",
    "address": "盘龙区北京路100号", "contribution_this_year_yuan": "2000000",
    "contribution_last_year_yuan": "1500000", "other_policies": "",
    "total_floor_area_m2": "12000", "commercial_floor_area_m2": "6000",
    "in_kunming": "true", "pays_tax_in_kunming": "true", "clean_record": "on",
}


def test_building_pages_and_ledger(people, march, tmp_path):
    applicant = client_for(people.applicant)
    r = applicant.post("/buildings/new/", {**FORM, "property_certificate_no": ""})
    assert r.status_code == 400 and "property_certificate_no" in r.content.decode()
    assert Building.objects.count() == 0
    # 附件1 第二十一条's other policies are typed one a line, 名称｜金额 (never JSON); a line
    # without its amount comes back (400) with what was typed
    r = applicant.post("/buildings/new/", {**FORM, "other_policies": "非公经济专项资金"})
    assert r.status_code == 400 and "第1行须写作“政策名称｜金额（元）”" in r.content.decode()
    assert ">非公经济专项资金</textarea>" in r.content.decode()
    r = applicant.post("/buildings/new/", {**FORM, "other_policies": "非公经济专项资金｜300000\n"})
    assert r.status_code == 302, r.content.decode()[:3000]
    case = BuildingApplication.objects.get()
    assert case.other_policies == [{"policy": "非公经济专项资金", "amount_yuan": "300000.00"}]
    edit = applicant.get(f"/buildings/{case.reference}/edit/").content.decode()
    assert "非公经济专项资金｜300000.00</textarea>" in edit
    url = f"/buildings/{case.reference}/"
    assert "综合商务楼宇：总建筑面积1万平方米及以上" in applicant.get(url).content.decode()
    # A second applicant for the same building: refused on the page too, naming the holder.
    r = client_for(people.second_applicant).post("/buildings/new/", FORM)
    assert r.status_code == 409 and "昆明滇池总部有限公司" in r.content.decode()
    for key in BUILDING_DOCS:
        f = io.BytesIO(PDF)
        f.name = f"{key}.pdf"
        applicant.post(f"{url}attach/", {"key": key, "file": f})
    assert applicant.post(f"{url}step/submit/", {}).status_code == 302
    assert client_for(people.wuhua_office).get(url).status_code == 404
    assert client_for(people.office).post(f"{url}step/pass_to_meeting/", {}).status_code == 302
    sec = client_for(people.secretary)
    assert "proposed_reward_yuan" in sec.get(url).content.decode()
    r = sec.post(f"{url}step/meeting_pass/", {"meeting_date": "2026-03-10",
                                              "meeting_members": "区财政局",
                                              "proposed_reward_yuan": "800000"})
    assert r.status_code == 302
    case.refresh_from_db()
    # 62号 附件1 第二十条: min(800,000, 2,000,000 − 1,500,000) = 500,000.
    assert str(case.reward_amount_yuan) == "500000.00"
    assert "500000.00" in client_for(people.auditor).get(url).content.decode()
    path = tmp_path / "ledger.xlsx"
    call_command("buildings", "export", "--year", "2026", "--xlsx", str(path), stdout=io.StringIO())
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][rows[0].index("本项奖励（元）")] == 500000.0

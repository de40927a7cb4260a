"""107号 零申报 filed online: 表三 for 2010H1 by an enterprise inside the window (四(一):
7月1日-10日), refused outside it with the window's dates and citation; the route of 四(二)."""

import json

import pytest
from django.test import Client

from kmgov.core.models import OrgUnit
from kmgov.policies.safety.models import ZeroReport3
from kmgov.policies.safety.services import zr_file, zr_start
from kmgov.procedures.errors import WindowClosed
from kmgov.procedures.filing_services import slots_open
from kmgov.procedures.models import FilingSlot

from .conftest import at

pytestmark = pytest.mark.django_db

# 表三 (gazette lines 1175–1196): items 1, 1.2, 1.3, 1.4, 2, 3, 3.2; 1.4 is the staffing rule.
T3 = {
    "unit_name": "盘龙示例煤矿有限公司", "report_date": "2010-07-05", "principal": "张矿长",
    "leader_in_charge": "李副矿长", "filled_by": "王安全", "reviewed_by": "赵审核",
    "phone": "0871-65000001",
    "item_1": "落实", "item_1_2": "落实", "item_1_3": "落实", "item_1_4": "落实",
    "item_2": "落实", "item_3": "不落实", "item_3_2": "落实",
    "item_3_note": "检测设备尚缺一台，已列入下季度采购",
}


def test_route_of_four_two(sp):
    # 四(二)1: the coal mine files to 盘龙区安监局, the builder to 盘龙区住建局 (三(二) as data).
    slots_open("zr3-ent", "2010H1", now=at(2010, 7, 1, 8))
    got = dict(FilingSlot.objects.filter(obligation="zr3-ent", period="2010H1")
               .values_list("org__code", "receiver_org__code"))
    assert got == {"ent-mine": "panlong-safety", "ent-build": "panlong-housing",
                   "ent-wuhua-chem": "wuhua-safety"}
    # 四(二)3: townships file to their county's 安委会办公室; the county to the city's.
    slots_open("zr3-town", "2010H1", now=at(2010, 7, 1, 8))
    town = FilingSlot.objects.get(obligation="zr3-town", period="2010H1", org__code="panlong-dianyuan")
    assert (town.receiver_role, town.receiver_org.code) == ("county_office", "panlong")
    # 四(二)1 汇总: departments after the enterprises (7月11日–15日), counties after them (16–20日).
    slots_open("zr3-county", "2010H1", now=at(2010, 7, 16, 8))
    county = FilingSlot.objects.get(obligation="zr3-county", period="2010H1", org__code="panlong")
    assert (county.receiver_role, county.receiver_org.code) == ("city_office", "city-safety")
    assert (str(county.window_opens), str(county.window_closes)) == ("2010-07-16", "2010-07-20")


@pytest.mark.parametrize("day,ok", [((2010, 6, 30), False), ((2010, 7, 1), True),
                                    ((2010, 7, 10), True), ((2010, 7, 11), False)])
def test_window_through_the_service(sp, day, ok):
    ent = OrgUnit.objects.get(code="ent-mine")
    slots_open("zr3-ent", "2010H1", now=at(2010, 6, 30, 8))
    case = zr_start(3, "2010H1", org=ent, actor=sp.mine, now=at(2010, 6, 30, 8))
    if ok:
        case = zr_file(case, T3, actor=sp.mine, now=at(*day, 10))
        assert case.state == "filed" and case.not_implemented == 1
        slot = FilingSlot.objects.get(obligation="zr3-ent", period="2010H1", org=ent)
        assert slot.filed_at is not None and not slot.late
    else:
        with pytest.raises(WindowClosed) as exc:
            zr_file(case, T3, actor=sp.mine, now=at(*day, 10))
        # the window's dates and its provision are in the refusal
        assert "2010年7月1日至2010年7月10日" in exc.value.message
        assert "107号 附件 四(一)" in exc.value.message
        assert ZeroReport3.objects.get(pk=case.pk).state == "draft"


def test_window_through_the_api_and_the_page(sp, monkeypatch):
    from django.utils import timezone

    ent = OrgUnit.objects.get(code="ent-mine")
    slots_open("zr3-ent", "2010H1", now=at(2010, 7, 1, 8))
    case = zr_start(3, "2010H1", org=ent, actor=sp.mine, now=at(2010, 7, 1, 8))
    c = Client()
    c.force_login(sp.mine)
    url = f"/api/v1/cases/zero-report-3/{case.reference}/steps/submit"
    body = json.dumps({"data": T3, "expected_state": "draft"})
    # The day is the clock's (Beijing time); the window is checked on it.
    monkeypatch.setattr(timezone, "now", lambda: at(2010, 7, 11, 9))
    r = c.post(url, body, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "window_closed"
    assert "2010年7月1日至2010年7月10日" in r.json()["detail"]
    page = f"/cases/zero-report-3/{case.reference}/"
    r = c.post(f"{page}steps/submit/", {**T3, "expected_state": "draft", "next": page}, follow=True)
    text = r.content.decode()
    assert r.status_code == 200 and "2010年7月1日至2010年7月10日" in text and "四(一)" in text
    monkeypatch.setattr(timezone, "now", lambda: at(2010, 7, 10, 16))
    r = c.post(url, body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "filed"

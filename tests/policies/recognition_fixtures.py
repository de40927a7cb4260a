"""People, places and helpers of the HQ and buildings procedure tests (importable as
`policies.recognition_fixtures`; each folder's conftest re-exports the fixtures)."""

import datetime as dt
import io
import json

import pytest
from django.test import Client

from kmgov.core.calendar import TZ
from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.procedures.services import attachment_add

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def at(*args) -> dt.datetime:
    """A moment in Beijing time."""
    return dt.datetime(*args, tzinfo=TZ)


#: Inside the window: 昆政发〔2010〕63号 附件 第十一条 / 62号 附件1 第九条 — 每年3月1日至31日.
MARCH = at(2026, 3, 10, 10)


class People:
    pass


@pytest.fixture
def people(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org_tree_load()
    panlong = OrgUnit.objects.get(code="panlong")
    wuhua = OrgUnit.objects.get(code="wuhua")
    OrgUnit(code="ent-dianchi", name="昆明滇池总部有限公司", kind="enterprise", parent=panlong).save()
    OrgUnit(code="ent-jinma", name="金马商务有限公司", kind="enterprise", parent=panlong).save()
    OrgUnit(code="ent-wuhua", name="五华示例有限公司", kind="enterprise", parent=wuhua).save()
    p = People()
    p.applicant = user_create(username="qiye", roles=[(Role.ENTERPRISE, "ent-dianchi")],
                              display_name="滇池总部经办人")
    p.second_applicant = user_create(username="jinma", roles=[(Role.ENTERPRISE, "ent-jinma")])
    p.other_enterprise = user_create(username="qiye-wuhua", roles=[(Role.ENTERPRISE, "ent-wuhua")])
    p.office = user_create(username="panlong-ban", roles=[(Role.COUNTY_OFFICE, "panlong")])
    p.office2 = user_create(username="panlong-ban2", roles=[(Role.COUNTY_OFFICE, "panlong")])
    p.secretary = user_create(username="panlong-lianshen",
                              roles=[(Role.COUNTY_DEPARTMENT, "panlong", "联审会议秘书")])
    p.government = user_create(username="panlong-zf", roles=[(Role.COUNTY_GOVERNMENT, "panlong")])
    p.government2 = user_create(username="panlong-zf2", roles=[(Role.COUNTY_GOVERNMENT, "panlong")])
    p.wuhua_office = user_create(username="wuhua-ban", roles=[(Role.COUNTY_OFFICE, "wuhua")])
    p.wuhua_government = user_create(username="wuhua-zf", roles=[(Role.COUNTY_GOVERNMENT, "wuhua")])
    p.city_office = user_create(username="shi-ban", roles=[(Role.CITY_OFFICE, "kunming")])
    p.city_commerce = user_create(username="shi-shangwu",
                                  roles=[(Role.CITY_DEPARTMENT, "city-commerce")])
    p.auditor = user_create(username="shenji", roles=[(Role.AUDITOR, "kunming")])
    p.enterprise_org = OrgUnit.objects.get(code="ent-dianchi")
    return p


@pytest.fixture
def march(monkeypatch):
    """Pin "now" inside the window for requests (the services take `now`; views use the clock)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: MARCH)
    return MARCH


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post_json(client, url, body=None, method="post"):
    fn = getattr(client, method)
    return fn(url, json.dumps(body or {}), content_type="application/json")


def step(client, code, ref, name, **body):
    return post_json(client, f"/api/v1/cases/{code}/{ref}/steps/{name}", body)


def upload(client, code, ref, key, name="doc.pdf", content=PDF):
    f = io.BytesIO(content)
    f.name = name
    return client.post(f"/api/v1/cases/{code}/{ref}/attachments", {"key": key, "file": f})


def attach(case, actor, key, name="doc.pdf", content=PDF):
    return attachment_add(case, key=key, file=io.BytesIO(content), name=name, actor=actor)


#: A comprehensive HQ (综合型) applying on 2026-03-10, worked by hand from 63号 附件:
#: 第五条 — registered and taxed in Kunming, industrial policy, 40% ≥ 30% revenue from
#: subsidiaries, 5 ≥ 3 subsidiaries; 第六条 — capital 1.2亿 ≥ 1亿, revenue 2025 6亿 ≥ 5亿,
#: local tax share 2025 3000万 ≥ 2500万; 第九条 clean record.
HQ_INPUTS = {
    "registered_in_kunming": True, "pays_tax_in_kunming": True, "fits_industrial_policy": True,
    "clean_record": True, "revenue_share_from_subsidiaries": 0.4, "subsidiaries": 5,
    "capital_or_net_assets_yuan": 120_000_000, "revenue_last_year_yuan": 600_000_000,
    "local_tax_share_by_year_yuan": {"2025": 30_000_000, "2024": 26_000_000, "2023": 24_000_000},
    "years_operating_in_kunming": 8,
}

HQ_DOCS = ("application", "premises", "licences", "revenue_evidence", "tax_certificate")

#: A comprehensive building (综合商务楼宇), 62号 附件1 第二条: total 12000 m² ≥ 10000 m²,
#: commercial 6000 m² ≥ 5000 m²; 第三条 taxed in Kunming; 第七条 clean record.
BUILDING_INPUTS = {
    "total_floor_area_m2": 12000, "commercial_floor_area_m2": 6000, "purely_commercial": False,
    "in_kunming": True, "pays_tax_in_kunming": True, "clean_record": True,
}
BUILDING_DOCS = ("application", "land_property", "licences", "tax_certificate")

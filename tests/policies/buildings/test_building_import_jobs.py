"""Issue 15 item 5: the 62号 building register's xlsx import runs as the kernel's background
job (kmgov.procedures.imports): the outcome with its progress, a bad row named by its sheet and
number with nothing written, the job hidden from another county (404)."""

from decimal import Decimal

import pytest
from policies.buildings.test_register import FLAGS, _xlsx, reg  # noqa: F401 — the fixture
from policies.recognition_fixtures import client_for
from procedures.import_jobs import run_queued, start

from kmgov.policies.buildings.models import BuildingYear, Tenant

pytestmark = pytest.mark.django_db


def test_register_import_as_a_job(reg, django_capture_on_commit_callbacks):  # noqa: F811
    rows = [["PL-0", 2025, "盘龙0号楼", 30000, 20000, 1000, "一级资质", *FLAGS, ""],
            ["PL-1", 2025, "盘龙1号楼", 12000, 8000, 0, "二级资质", *FLAGS, ""]]
    content = _xlsx(rows, [["PL-0", 2025, "甲公司", "金融", "是", "是", 100_000_000, ""]])
    office = client_for(reg.office)
    r = start(office, "buildings.register", "register.xlsx", content,
              django_capture_on_commit_callbacks)
    assert r.status_code == 202, r.content
    job = r.json()
    assert job["org"] == "panlong" and not BuildingYear.objects.exists()
    # 五华's office cannot see 盘龙's import, by the API or the page
    wuhua = client_for(reg.wuhua_office)
    assert wuhua.get(f"/api/v1/imports/jobs/{job['id']}").status_code == 404
    assert wuhua.get(f"/imports/{job['id']}/").status_code == 404
    assert run_queued(job["id"])["state"] == "done"
    out = office.get(f"/api/v1/imports/jobs/{job['id']}").json()
    # two building rows and one tenant row checked; two buildings' years and one tenant written
    assert (out["state"], out["done"], out["total"]) == ("done", 3, 3)
    assert (out["result"]["buildings"], out["result"]["tenants"]) == (2, 1)
    # 1亿 (亿元楼, 甲) · 30,000 m² (乙) · 5 facilities (乙) · 一级 (甲) → 乙级 (附件1 第十二条)
    r0 = BuildingYear.objects.get(building__property_certificate_no="PL-0")
    assert r0.grade == "B" and r0.tax_yuan == Decimal("100000000.00")


def test_a_bad_row_is_named_and_nothing_is_written(reg, django_capture_on_commit_callbacks):  # noqa: F811
    good = ["PL-0", 2025, "盘龙0号楼", 30000, 20000, 1000, "一级资质", *FLAGS, ""]
    bad = ["PL-1", 2025, "盘龙1号楼", 30000, "两万", 1000, "一级资质", *FLAGS, ""]
    content = _xlsx([good, bad], [["PL-0", 2025, "甲公司", "金融", "是", "是", 2e8, ""]])
    office = client_for(reg.office)
    job = start(office, "buildings.register", "register.xlsx", content,
                django_capture_on_commit_callbacks).json()
    assert run_queued(job["id"])["state"] == "failed"
    out = office.get(f"/api/v1/imports/jobs/{job['id']}").json()
    (err,) = out["errors"]
    # sheet 楼宇, row 3, the column 商务（办公）面积 named in the message
    assert err["row"] == 3 and "“楼宇”表第3行" in err["message"]
    assert "商务（办公）面积" in err["message"]
    assert not BuildingYear.objects.exists() and not Tenant.objects.exists()

"""Issue 15 item 5: the development index's values import (62号 附件2) runs as the kernel's
background job: the outcome, a bad row named by number and column with nothing written, the
job hidden from another county (404)."""

import pytest
from policies.claims_helpers import client_for
from policies.devindex.test_devindex import _xlsx, folk  # noqa: F401 — the fixture
from procedures.import_jobs import run_queued, start

from kmgov.policies.buildings.devindex.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_values_import_as_a_job(folk, settings, tmp_path, django_capture_on_commit_callbacks):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    panlong = client_for(folk.panlong)
    good = _xlsx([("盘龙区", 2010, 1, "", "", 12.5, ""), ("盘龙区", 2010, 2, "", "", 3, "统计年鉴")])
    job = start(panlong, "buildings_devindex.values", "values.xlsx", good,
                django_capture_on_commit_callbacks).json()
    assert job["org"] == "panlong-commerce"
    assert client_for(folk.wuhua).get(f"/api/v1/imports/jobs/{job['id']}").status_code == 404
    assert run_queued(job["id"])["state"] == "done"
    out = panlong.get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert out["result"] == {"rows": 2} and (out["done"], out["total"]) == (2, 2)
    assert IndicatorValue.objects.get(org__code="panlong", indicator__number=1).value == 12.5
    # a value that is not a number: row 3 named, its column, and nothing of the file written
    bad = _xlsx([("盘龙区", 2010, 3, "", "", 1, ""), ("盘龙区", 2010, 4, "", "", "abc", "")])
    job = start(panlong, "buildings_devindex.values", "values.xlsx", bad,
                django_capture_on_commit_callbacks).json()
    assert run_queued(job["id"])["state"] == "failed"
    (err,) = panlong.get(f"/api/v1/imports/jobs/{job['id']}").json()["errors"]
    assert (err["row"], err["field"]) == (3, "数值") and "“abc”不是数字" in err["message"]
    assert IndicatorValue.objects.count() == 2

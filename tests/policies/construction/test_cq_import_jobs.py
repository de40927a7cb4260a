"""Issue 15 item 5: the 111号 project register's xlsx import runs as the kernel's background
job (kmgov.procedures.imports): the outcome, every bad row named by number and column with
nothing written, the job hidden from another county (404) and followed by the county's
government."""

import pytest
from django.test import Client
from policies.construction.test_cq_channels import _sheet, register  # noqa: F401 — the fixture
from procedures.import_jobs import run_queued, start

from kmgov.policies.construction.models import Project

GOOD = ["WH-101", "wuhua", "五华学校工程", "房屋建筑工程", "", "", "2026-05-01", "在建",
        "甲建设", "张", "李", "1"]


def client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_project_import_as_a_job(register, django_capture_on_commit_callbacks):  # noqa: F811
    wuhua = client(register.wuhua)
    second = ["WH-102", "wuhua", "五华道路工程", "市政工程"]
    job = start(wuhua, "construction.projects", "projects.xlsx", _sheet([GOOD, second]),
                django_capture_on_commit_callbacks).json()
    assert job["state"] == "queued" and job["org"] == "wuhua-housing"
    assert client(register.panlong).get(f"/api/v1/imports/jobs/{job['id']}").status_code == 404
    assert run_queued(job["id"])["state"] == "done"
    out = wuhua.get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert (out["done"], out["total"]) == (2, 2)
    assert out["result"] == {"created": 2, "updated": 0, "rows": 2}
    p = Project.objects.get(code="WH-101")
    assert (p.kind, p.status, p.parties.get(role="builder").unit_name) == ("building", "underway", "甲建设")
    assert Project.objects.get(code="WH-102").kind == "municipal"


@pytest.mark.django_db
def test_every_bad_row_is_named_and_nothing_is_written(register, django_capture_on_commit_callbacks):  # noqa: F811
    bad3 = ["WH-102", "wuhua", "五华道路工程", "不存在的类别"]
    bad4 = ["WH-103", "wuhua", "", "市政工程"]
    wuhua = client(register.wuhua)
    job = start(wuhua, "construction.projects", "projects.xlsx", _sheet([GOOD, bad3, bad4]),
                django_capture_on_commit_callbacks).json()
    assert run_queued(job["id"])["state"] == "failed"
    errors = wuhua.get(f"/api/v1/imports/jobs/{job['id']}").json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "工程类别"), (4, "工程名称")]
    assert not Project.objects.filter(code__in=["WH-101", "WH-102", "WH-103"]).exists()

"""Issue 15 item 5: the 109号 hazard-point register's xlsx and GeoJSON imports run as the
kernel's background jobs (kmgov.procedures.imports): progress, the outcome, a bad row named by
its number and field with nothing written, and the job visible only to who asked and the
officials over its unit (another county's officer: 404)."""

import json

from django.test import Client
from procedures.import_jobs import run_queued, start

from kmgov.core.models import AuditEntry
from kmgov.policies.geohazards import services
from kmgov.policies.geohazards.models import HazardPoint
from kmgov.procedures.models import ImportJob

from .conftest import make_point
from .test_register import sheet, xlsx_row


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_xlsx_import_runs_as_a_job_with_progress(gd, django_capture_on_commit_callbacks):
    panlong = client(gd.panlong_land)
    r = start(panlong, "geohazards.points", "points.xlsx",
              sheet([xlsx_row(i) for i in range(1, 121)]), django_capture_on_commit_callbacks)
    assert r.status_code == 202, r.content
    job = r.json()
    assert (job["state"], job["org"], job["done"]) == ("queued", "panlong-land", 0)
    assert HazardPoint.objects.count() == 0          # queued, nothing imported yet
    # another county's officer cannot see it, by the API or the page; the county's
    # government (over 盘龙区国土资源局) can
    wuhua = client(gd.wuhua_land)
    assert wuhua.get(f"/api/v1/imports/jobs/{job['id']}").status_code == 404
    assert wuhua.get(f"/imports/{job['id']}/").status_code == 404
    assert client(gd.panlong_gov).get(f"/api/v1/imports/jobs/{job['id']}").status_code == 200
    assert run_queued(job["id"])["state"] == "done"
    done = panlong.get(f"/api/v1/imports/jobs/{job['id']}").json()
    # 120 sheet rows checked, all new (二(一) register: one point per row)
    assert (done["state"], done["done"], done["total"]) == ("done", 120, 120)
    assert done["result"]["created"] == 120 and HazardPoint.objects.count() == 120
    assert "新增 120 处" in done["summary"]
    page = panlong.get(f"/imports/{job['id']}/")
    assert page.status_code == 200 and "已导入" in page.content.decode()
    assert "Refresh" not in page
    actions = set(AuditEntry.objects.filter(object_type="procedures.importjob")
                  .values_list("action", flat=True))
    assert actions == {"import.queued", "import.done"}


def test_a_bad_row_is_named_and_nothing_is_written(gd, django_capture_on_commit_callbacks):
    rows = [xlsx_row(i) for i in range(1, 31)]
    rows[12] = xlsx_row(13, 规模="巨型")               # data row 13 is sheet row 14
    panlong = client(gd.panlong_land)
    job = start(panlong, "geohazards.points", "points.xlsx", sheet(rows),
                django_capture_on_commit_callbacks).json()
    assert run_queued(job["id"])["state"] == "failed"
    out = panlong.get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert out["state"] == "failed" and len(out["errors"]) == 1
    assert (out["errors"][0]["row"], out["errors"][0]["field"]) == (14, "scale")
    assert "第14行" in out["errors"][0]["message"]
    assert HazardPoint.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="geohazards.").exists()
    page = panlong.get(f"/imports/{job['id']}/").content.decode()
    assert "未导入任何数据" in page and "第14行" in page


def test_geojson_import_runs_as_a_job(gd, django_capture_on_commit_callbacks):
    make_point(gd.panlong_land, "PL-0001")
    make_point(gd.panlong_land, "PL-0002", org="panlong-aziying")
    doc = services.points_geojson(HazardPoint.objects.select_related("org").order_by("code"))
    doc["features"][1]["properties"]["name"] = "阿子营改名的滑坡"
    panlong = client(gd.panlong_land)
    content = json.dumps(doc, ensure_ascii=False).encode()
    job = start(panlong, "geohazards.points", "points.geojson", content,
                django_capture_on_commit_callbacks).json()
    run_queued(job["id"])
    out = panlong.get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert out["state"] == "done" and out["result"]["source"] == "geojson"
    assert (out["result"]["updated"], out["result"]["unchanged"]) == (1, 1)
    assert HazardPoint.objects.get(code="PL-0002").name == "阿子营改名的滑坡"
    # a feature with a bad scale: named by its number (第2个要素), nothing changed
    doc["features"][0]["properties"]["name"] = "不会写入"
    doc["features"][1]["properties"]["scale"] = "huge"
    job = start(panlong, "geohazards.points", "points.geojson",
                json.dumps(doc, ensure_ascii=False).encode(),
                django_capture_on_commit_callbacks).json()
    run_queued(job["id"])
    out = panlong.get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert out["state"] == "failed" and out["errors"][0]["row"] == 2
    assert "第2个要素" in out["errors"][0]["message"] and out["errors"][0]["field"] == "scale"
    assert HazardPoint.objects.get(code="PL-0001").name != "不会写入"


def test_refused_at_once_nothing_stored(gd, django_capture_on_commit_callbacks, settings):
    panlong = client(gd.panlong_land)
    # a type the import does not take
    r = start(panlong, "geohazards.points", "points.csv", b"a,b", django_capture_on_commit_callbacks)
    assert r.status_code == 422 and r.json()["field"] == "file"
    # an unknown kind
    r = start(panlong, "geohazards.nothing", "p.xlsx", b"x", django_capture_on_commit_callbacks)
    assert r.status_code == 404 and r.json()["field"] == "kind"
    # over the size cap (KMGOV_IMPORT_MAX_BYTES)
    settings.KMGOV_IMPORT_MAX_BYTES = 1024
    r = start(panlong, "geohazards.points", "points.xlsx", sheet([xlsx_row(1)]),
              django_capture_on_commit_callbacks)
    assert r.status_code == 422 and "导入文件不能超过1KB" in r.json()["detail"]
    # a read-only role may not import at all
    r = start(client(gd.auditor), "geohazards.points", "points.xlsx", b"x",
              django_capture_on_commit_callbacks)
    assert r.status_code == 403 and "没有可以导入数据的岗位" in r.json()["detail"]
    # anonymous callers are refused
    assert Client().post("/api/v1/imports/geohazards.points").status_code == 401
    assert ImportJob.objects.count() == 0


def test_the_upload_page_starts_a_job_or_says_why_not(gd, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    panlong = client(gd.panlong_land)
    page = panlong.get("/imports/new/geohazards.points/")
    assert page.status_code == 200 and "地质灾害隐患点导入" in page.content.decode()
    # a file of another type: refused on the page, in Chinese, nothing stored
    r = panlong.post("/imports/new/geohazards.points/",
                     {"file": SimpleUploadedFile("points.csv", b"a,b")})
    assert r.status_code == 400 and "文件类型不对" in r.content.decode()
    assert ImportJob.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        r = panlong.post("/imports/new/geohazards.points/",
                         {"file": SimpleUploadedFile("points.xlsx", sheet([xlsx_row(1)]))})
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/imports/{job.pk}/"
    page = panlong.get(r["Location"])
    assert page.status_code == 200 and "排队中" in page.content.decode() and page["Refresh"] == "5"
    # an unknown kind is not there; an anonymous reader is sent to log in
    assert panlong.get("/imports/new/nothing.here/").status_code == 404
    assert Client().get("/imports/new/geohazards.points/").status_code == 302
    assert Client().get(f"/imports/{job.pk}/").status_code == 302

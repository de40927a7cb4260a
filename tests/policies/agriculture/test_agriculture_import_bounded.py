"""Issue 15 item 5: the agriculture xlsx import is bounded — size and row caps, every row
checked before anything is written, the lines inserted in one go with one recompute and one
audit entry, the reference number taken after the sheet is parsed (no lock held meanwhile), and
long imports run in the background with their progress readable by the one who asked.

Amounts are those of 昆政发〔2010〕59号 (worked in test_agriculture_claims): 培训转移 800元/人
(四(三)), 种植业结构调整 粮食→苗木 1000元/亩 (四(一)); 晋宁县 city share 7/10 (四(七))."""

import threading

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult
from policies.agriculture.test_agriculture_claims import sheet
from policies.claims_helpers import client_for

from kmgov.core.models import AuditEntry
from kmgov.policies.agriculture import imports, services
from kmgov.policies.agriculture.models import AgricultureClaim, ClaimLine
from kmgov.procedures.models import ImportJob
from kmgov.procedures.tasks import run_import_job

TRAINING = ["培训转移", None, None, 1, None, None, None, None, None, 800]


def _counts():
    return AgricultureClaim.objects.count(), ClaimLine.objects.count()


@pytest.mark.django_db
def test_bulk_import_one_recompute_one_audit_entry(folk, tmp_path):
    path = sheet(tmp_path, [
        ["种植业结构调整", None, 100, None, "粮食", "苗木", None, None, None, 100000],
        *[TRAINING] * 4,
    ])
    claim = imports.claim_import(actor=folk.jinning_agri, county="jinning", year=2011, path=path)
    # 100亩 × 1000元 + 4人 × 800元 = 103200元; city 7/10 = 72240元, county 30960元
    assert (str(claim.accepted_yuan), str(claim.city_yuan), str(claim.county_yuan)) == \
        ("103200.00", "72240.00", "30960.00")
    assert list(claim.lines.values_list("row_no", flat=True)) == [1, 2, 3, 4, 5]
    entries = AuditEntry.objects.filter(object_id=str(claim.pk), action__startswith="ag-claim.")
    assert sorted(entries.values_list("action", flat=True)) == ["ag-claim.create", "ag-claim.import"]
    assert entries.get(action="ag-claim.import").extra["lines"] == 5


@pytest.mark.django_db
def test_row_cap_refuses_before_anything_is_written(folk, tmp_path, settings):
    settings.KMGOV_IMPORT_MAX_ROWS = 3
    before = _counts()
    path = sheet(tmp_path, [TRAINING] * 4)
    r = client_for(folk.jinning_agri).post("/api/v1/agriculture/claims/import",
                                           {"county": "jinning", "year": 2011,
                                            "file": open(path, "rb")})
    assert r.status_code == 400 and r.json()["field"] == "file"
    assert "一次最多导入3行" in r.json()["detail"]
    assert _counts() == before
    # blank rows between data rows do not count against the cap; the sheet's numbering stays
    ok = sheet(tmp_path, [TRAINING, [None] * 10, [None] * 10, TRAINING, TRAINING], name="ok.xlsx")
    claim = imports.claim_import(actor=folk.jinning_agri, county="jinning", year=2011, path=ok)
    assert claim.lines.count() == 3


@pytest.mark.django_db
def test_size_cap_names_the_file_field(folk, tmp_path, settings):
    path = sheet(tmp_path, [TRAINING] * 2)
    settings.KMGOV_IMPORT_MAX_BYTES = 1024  # an xlsx of two rows is ~5 KB
    before = _counts()
    for background in ("false", "true"):
        r = client_for(folk.jinning_agri).post(
            "/api/v1/agriculture/claims/import",
            {"county": "jinning", "year": 2011, "background": background, "file": open(path, "rb")})
        assert r.status_code == 422, r.content
        assert r.json()["field"] == "file" and "导入文件不能超过1KB" in r.json()["detail"]
        assert "文件过大" in r.json()["detail"]
    assert _counts() == before and ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_background_import_with_progress(folk, tmp_path, django_capture_on_commit_callbacks):
    path = sheet(tmp_path, [TRAINING] * 120)
    county = client_for(folk.jinning_agri)
    with django_capture_on_commit_callbacks(execute=True):
        r = county.post("/api/v1/agriculture/claims/import",
                        {"county": "jinning", "year": 2011, "background": "true",
                         "file": open(path, "rb")})
    assert r.status_code == 202, r.content
    job = r.json()
    assert job["status"] == "queued" and job["claim"] is None
    # queued on the task queue (the database backend here), nothing imported yet
    assert _counts()[0] == 0
    # another county's office cannot read it; the page says the same in Chinese
    assert client_for(folk.wuhua_agri).get(
        f"/api/v1/agriculture/claims/imports/{job['id']}").status_code == 404
    # the old page's address leads to the kernel's page of background imports
    assert county.get(f"/agriculture/imports/{job['id']}/")["Location"] == f"/imports/{job['id']}/"
    page = county.get(f"/imports/{job['id']}/")
    assert page.status_code == 200 and "排队中" in page.content.decode()
    assert page["Refresh"] == "5"
    # queued as the task the worker runs, with the import's id; run as the worker would
    (queued,) = DBTaskResult.objects.filter(task_path=run_import_job.module_path)
    assert queued.args_kwargs["args"] == [job["id"]]
    assert run_import_job.call(*queued.args_kwargs["args"])["state"] == "done"
    done = county.get(f"/api/v1/agriculture/claims/imports/{job['id']}").json()
    assert done["status"] == "done" and (done["done"], done["total"]) == (120, 120)
    claim = AgricultureClaim.objects.get(reference=done["claim"])
    # 120人 × 800元 = 96000元 (四(三))
    assert str(claim.accepted_yuan) == "96000.00" and claim.lines.count() == 120
    page = county.get(f"/imports/{job['id']}/").content.decode()
    assert "已导入" in page and done["claim"] in page and "queued" not in page


@pytest.mark.django_db
def test_background_import_keeps_row_errors(folk, tmp_path):
    bad = sheet(tmp_path, [TRAINING, ["培训转移", None, None, 2.5, None, None, None, None, None, 2000]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    job = imports.import_start(actor=folk.jinning_agri, county="jinning", year=2011,
                               upload=SimpleUploadedFile("c.xlsx", bad.read_bytes()))
    job = imports.import_run(job.pk)
    assert job.state == "failed" and _counts() == (0, 0)
    assert {"row": 3, "field": "人数"}.items() <= job.errors[0].items()
    assert "第3行“人数”列" in job.errors[0]["message"]
    # a second run (a doubled task) changes nothing
    assert imports.import_run(job.pk).state == "failed"


@pytest.mark.django_db(transaction=True)
def test_import_in_progress_does_not_block_another_countys_claim(folk, tmp_path):
    """While 晋宁's sheet is being checked, 盘龙 opens a claim at once (the reference counter is
    not locked during the parse), and takes the earlier reference number."""
    path = sheet(tmp_path, [TRAINING] * 120)
    parsing, other_done = threading.Event(), threading.Event()
    seen = {}

    def open_other_claim():
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cur:
                        cur.execute("SET LOCAL lock_timeout = '3s'")
                seen["other"] = services.claim_create(actor=folk.panlong_agri, county="panlong",
                                                      year=2011).reference
        except Exception as exc:  # noqa: BLE001 — a lock timeout is the failure we look for
            seen["other"] = exc

    def progress(done, total):
        if done >= imports.PROGRESS_EVERY and not parsing.is_set():
            parsing.set()
            if connection.vendor == "postgresql":
                other_done.wait(10)  # still parsing while the other county's claim is made
            else:  # the embedded SQLite test database: the same connection, one thread
                open_other_claim()

    def run_import():
        try:
            seen["import"] = imports.claim_import(actor=folk.jinning_agri, county="jinning",
                                                  year=2011, path=path, on_progress=progress).reference
        except Exception as exc:  # noqa: BLE001
            seen["import"] = exc
        finally:
            if connection.vendor == "postgresql":
                connection.close()

    if connection.vendor == "postgresql":
        worker = threading.Thread(target=run_import)
        worker.start()
        assert parsing.wait(30)
        open_other_claim()
        other_done.set()
        worker.join(60)
    else:
        run_import()
    assert isinstance(seen["other"], str), seen["other"]
    assert isinstance(seen["import"], str), seen["import"]
    year = seen["other"].split("-")[1]
    assert seen["other"] == f"NYBZ-{year}-00001"  # taken while the sheet was being checked
    assert seen["import"] == f"NYBZ-{year}-00002"  # the import's, after its parse


@pytest.mark.django_db
def test_kernel_api_takes_the_county_and_year(folk, tmp_path, django_capture_on_commit_callbacks):
    """The same import through the kernel's API: its parameters named when missing, the
    county's scope checked at once (五华's office may not import for 晋宁: 403, nothing kept)."""
    path = sheet(tmp_path, [TRAINING] * 3)
    county = client_for(folk.jinning_agri)
    r = county.post("/api/v1/imports/agriculture.claims", {"county": "jinning",
                                                          "file": open(path, "rb")})
    assert r.status_code == 422 and r.json()["field"] == "year"
    r = client_for(folk.wuhua_agri).post("/api/v1/imports/agriculture.claims",
                                         {"county": "jinning", "year": 2011, "file": open(path, "rb")})
    assert r.status_code == 403 and r.json()["field"] == "county"
    assert ImportJob.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        r = county.post("/api/v1/imports/agriculture.claims",
                        {"county": "jinning", "year": "2011", "file": open(path, "rb")})
    assert r.status_code == 202 and r.json()["params"] == {"county": "jinning", "year": 2011}
    assert run_import_job.call(r.json()["id"])["state"] == "done"
    out = county.get(f"/api/v1/imports/jobs/{r.json()['id']}").json()
    # 3人 × 800元 = 2400元 (四(三))
    assert out["result"]["accepted_yuan"] == "2400.00" and out["result"]["rows"] == 3

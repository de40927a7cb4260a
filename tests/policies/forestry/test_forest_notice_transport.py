"""FO-7 (61号 五(七)、五(五)): the project's public notice with its thinning — DBH ≤ 10 cm of
plantation timber enters the logging quota only, not the yearly timber production plan — and
the station's timber transport certificate, printed as a PDF."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from policies.claims_helpers import client_for, step

from kmgov.policies.forestry.models import ForestProject, TimberTransportCertificate
from kmgov.procedures.models import DecisionRecord

pytestmark = pytest.mark.django_db
User = get_user_model()

NOTICE = {"notice_from": "2026-11-01", "notice_days": 7, "place": "滇源镇政府公示栏"}


@pytest.fixture
def project(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    case = ForestProject.objects.get(holder_name="滇源镇示范农户（演示）")
    assert case.state == "in_progress"
    return case


def users(*names):
    return [User.objects.get(username=n) for n in names]


def test_notice_then_certificate_then_pdf(project):
    station, county, other = users("demo-dianyuan-lyz", "demo-panlong-lyj", "demo-shilin-lyj")
    ref = project.reference
    # no certificate before the notice (五(七) 公示制度)
    r = step(client_for(station), "forest", ref, "certify_transport",
             data={"volume_m3": "12.5", "species": "华山松", "destination": "嵩明县"})
    assert r.status_code == 400 and r.json()["field"] == "notice_from", r.json()
    # 五(七): 胸径小于10厘米（含10厘米） → only the logging quota
    r = step(client_for(county), "forest", ref, "publish_notice",
             data={**NOTICE, "thinning_dbh_cm": "10", "thinning_volume_m3": "30"})
    assert r.status_code == 200, r.json()
    project.refresh_from_db()
    assert project.state == "in_progress" and project.thinning_in_timber_plan is False
    kept = DecisionRecord.objects.filter(case_reference=ref, rule="forestry.logging_quota").get()
    assert kept.outcome is not None
    # 10.5 cm is over the line: into the yearly timber production plan
    step(client_for(county), "forest", ref, "publish_notice",
         data={**NOTICE, "thinning_dbh_cm": "10.5"})
    project.refresh_from_db()
    assert project.thinning_in_timber_plan is True
    # a bad field is named
    r = step(client_for(county), "forest", ref, "publish_notice", data={**NOTICE, "notice_days": 0})
    assert r.status_code == 422 and r.json()["field"] == "notice_days"
    # another county's official may not certify
    r = step(client_for(other), "forest", ref, "certify_transport",
             data={"volume_m3": "12.5", "species": "华山松", "destination": "嵩明县"})
    assert r.status_code in (403, 404)
    r = step(client_for(station), "forest", ref, "certify_transport",
             data={"volume_m3": "12.5", "species": "华山松", "destination": "嵩明县"})
    assert r.status_code == 200, r.json()
    cert = TimberTransportCertificate.objects.get(project=project)
    assert cert.number == f"{ref}-YS01" and cert.in_timber_plan is True
    page = client_for(county).get(f"/forestry/projects/{ref}/")
    assert cert.number in page.content.decode() and "滇源镇政府公示栏" in page.content.decode()
    pdf = client_for(station).get(f"/forestry/projects/{ref}/transport/{cert.number}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # out of scope: 404, not the certificate
    assert client_for(other).get(f"/forestry/projects/{ref}/transport/{cert.number}.pdf").status_code == 404

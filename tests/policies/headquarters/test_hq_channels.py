"""The other channels of 总部企业认定: the pages for every role, the CLI (export, batch steps),
the card's print view and PDF, and `kmgov demo`."""

import io
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from policies.recognition_fixtures import HQ_DOCS, HQ_INPUTS, MARCH, PDF, client_for

from kmgov.policies.headquarters.models import GreenChannelCard, HeadquartersApplication
from kmgov.procedures.models import InboxItem

pytestmark = pytest.mark.django_db

FORM = {
    "hq_type": "comprehensive", "registered_in_kunming": "on", "pays_tax_in_kunming": "on",
    "fits_industrial_policy": "on", "clean_record": "on", "revenue_share_from_subsidiaries": "0.4",
    "subsidiaries": "5", "capital_or_net_assets_yuan": "120000000",
    "revenue_last_year_yuan": "600000000",
    # tax by year as rows of year + amount + unit (3000万元 = 30000000元)
    "local_tax_share_by_year_yuan__year_0": "2025", "local_tax_share_by_year_yuan__amount_0": "3000",
    "local_tax_share_by_year_yuan__unit_0": "wan",
    "local_tax_share_by_year_yuan__year_1": "2024", "local_tax_share_by_year_yuan__amount_1": "2600",
    "local_tax_share_by_year_yuan__unit_1": "wan",
    "local_tax_share_by_year_yuan__year_2": "2023", "local_tax_share_by_year_yuan__amount_2": "24000000",
    "local_tax_share_by_year_yuan__unit_2": "yuan",
    "years_operating_in_kunming": "8",
}


def test_every_role_through_the_pages(people, march, monkeypatch, only_hq_obligations):
    applicant = client_for(people.applicant)
    r = applicant.get("/headquarters/")
    assert r.status_code == 200 and "新建申报" in r.content.decode()
    # the window (第十一条) and the conditions are shown before the form
    page = applicant.get("/headquarters/new/").content.decode()
    assert page.index("每年的申报期为") < page.index('id="application-form"')
    assert "上一年度营业收入5亿元以上" in page  # 第六条(二)
    r = applicant.post("/headquarters/new/", {**FORM, "subsidiaries": "many"})
    html = r.content.decode()
    # refused naming the field by its label, next to it; the type chosen and the rows kept
    assert r.status_code == 400 and "下属分支企业数" in html and ">subsidiaries" not in html
    assert 'value="comprehensive" selected' in html and 'value="2600"' in html
    assert HeadquartersApplication.objects.count() == 0
    r = applicant.post("/headquarters/new/", FORM)
    assert r.status_code == 302, r.content.decode()[:2000]
    case = HeadquartersApplication.objects.get()
    assert case.inputs["local_tax_share_by_year_yuan"] == {"2025": 30000000.0, "2024": 26000000.0,
                                                           "2023": 24000000.0}
    url = f"/headquarters/{case.reference}/"
    page = applicant.get(url).content.decode()
    # The decision and its trace before submitting (63号 附件 第六条).
    assert "申报的综合型总部：符合认定条件。" in page and "完整计算过程" in page
    assert "综合型：注册资本或净资产1亿元以上" in page
    r = applicant.post(f"{url}step/submit/", {"expected_state": "draft"})
    assert r.status_code == 400 and "尚未上传必备材料" in r.content.decode()
    for key in HQ_DOCS:
        f = io.BytesIO(PDF)
        f.name = f"{key}.pdf"
        assert applicant.post(f"{url}attach/", {"key": key, "file": f}).status_code == 302
    bad = io.BytesIO(b"MZ\x90\x00" + b"\0" * 64)
    bad.name = "virus.pdf"
    r = applicant.post(f"{url}attach/", {"key": "other", "file": bad})
    assert r.status_code == 400 and "virus.pdf" in r.content.decode()
    assert applicant.post(f"{url}step/submit/", {"expected_state": "draft"}).status_code == 302
    office = client_for(people.office)
    page = office.get(url).content.decode()
    assert "综合型：注册资本或净资产1亿元以上" in page and "step/pass_to_meeting" in page
    # A stale form (the state the official saw has changed) is refused with 409.
    assert office.post(f"{url}step/pass_to_meeting/", {"expected_state": "draft"}).status_code == 409
    assert office.post(f"{url}step/pass_to_meeting/", {"expected_state": "submitted"}).status_code == 302
    sec = client_for(people.secretary)
    r = sec.post(f"{url}step/meeting_pass/", {
        "expected_state": "at_meeting", "meeting_date": "2026-03-10",
        "meeting_members": "区发改局 张三\n区商务局 李四\n", "meeting_minutes": "同意"})
    assert r.status_code == 302
    assert client_for(people.government).post(f"{url}step/approve/", {}).status_code == 302
    assert client_for(people.city_office).post(f"{url}step/file/", {"filing_number": ""}).status_code == 302
    case.refresh_from_db()
    assert case.state == "filed" and case.meeting_members == ["区发改局 张三", "区商务局 李四"]
    page = applicant.get(url).content.decode()
    assert "绿色通道服务卡" in page and f"LSTD-{case.reference}" in page
    card = applicant.get(f"/headquarters/{case.reference}/card/")
    assert card.status_code == 200 and "绿色通道服务卡" in card.content.decode()
    pdf = applicant.get(f"/headquarters/{case.reference}/card/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_for(people.wuhua_office).get(f"/headquarters/{case.reference}/card/").status_code == 404
    # 第十九条: the yearly statistics report is a scheduled filing (`hq-statistics`): nothing is
    # asked until the sweep opens the 2026 register on 2027-01-01 (interpretation: window
    # 1 January – 31 March of the next year), then the enterprise's inbox asks for it.
    from policies.recognition_fixtures import at

    from kmgov.procedures.services import deadlines_sweep

    assert "总部情况统计资料" not in applicant.get("/inbox/").content.decode()
    assert deadlines_sweep(now=at(2027, 1, 1, 0, 10))["filings"]["opened"] == 1
    inbox = applicant.get("/inbox/").content.decode()
    assert "报送总部情况统计资料（2026年度）（申报期2027年1月1日至2027年3月31日）" in inbox
    assert 'href="/filings/hq-statistics/?period=2026"' in inbox


def test_cli_export_and_batch_steps(people, tmp_path, march):
    from policies.recognition_fixtures import attach

    from kmgov.policies._recognition_services import application_create
    from kmgov.procedures.services import case_transition

    refs = []
    for user in (people.applicant, people.second_applicant):
        case = application_create(HeadquartersApplication, actor=user, now=MARCH,
                                  data={"hq_type": "comprehensive", "inputs": HQ_INPUTS})
        for key in HQ_DOCS:
            attach(case, user, key)
        refs.append(case_transition(case, "submit", actor=user, now=MARCH).reference)
    out = io.StringIO()
    call_command("headquarters", "step", "pass_to_meeting", *refs, "--as", "panlong-ban",
                 "--reason", "批量提交联审", stdout=out)
    assert out.getvalue().count("待联审会议") == 2
    with pytest.raises(CommandError):
        call_command("headquarters", "step", "approve", refs[0], "--as", "wuhua-zf",
                     stdout=io.StringIO(), stderr=io.StringIO())
    path = tmp_path / "out.xlsx"
    call_command("headquarters", "export", "--county", "panlong", "--year", "2026",
                 "--xlsx", str(path), stdout=io.StringIO())
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and {r[0] for r in rows[1:]} == set(refs)
    assert rows[1][rows[0].index("申报类型")] == "综合型总部"
    call_command("headquarters", "export", "--county", "wuhua", "--xlsx", str(path),
                 stdout=io.StringIO())
    assert len(list(load_workbook(path).active.iter_rows())) == 1
    # --as: the wuhua office's scope holds none of panlong's cases.
    out = io.StringIO()
    call_command("headquarters", "export", "--as", "wuhua-ban", stdout=out)
    assert out.getvalue().strip() == "[]"


def test_demo_is_idempotent(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-123")
    out = io.StringIO()
    call_command("demo", "--no-migrate", stdout=out)
    text = out.getvalue()
    assert "demo-panlong-lianshen" in text and "demo-shenji" in text and "[headquarters]" in text
    counts = (HeadquartersApplication.objects.count(), GreenChannelCard.objects.count(),
              InboxItem.objects.count())
    assert counts[0] == 2 and counts[1] == 1
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    assert (HeadquartersApplication.objects.count(), GreenChannelCard.objects.count(),
            InboxItem.objects.count()) == counts
    from django.test import Client
    c = Client()
    assert c.login(username="demo-shi-ban", password="demo-pass-123")
    assert os.environ["KMGOV_DEMO_PASSWORD"] == "demo-pass-123"

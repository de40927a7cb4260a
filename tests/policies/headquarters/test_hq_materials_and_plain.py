"""The officials' pages of 总部企业认定 (issue 13, item 5) and its plain outcome (item 2):
materials open for whoever may see the case and for no one else; the detail page starts with
the sentence for the type applied for, the trace folded below; the API adds the summary."""

import io

import pytest
from policies.recognition_fixtures import HQ_INPUTS, PDF, client_for

from kmgov.policies._recognition_services import application_create
from kmgov.policies.headquarters.models import HeadquartersApplication
from kmgov.procedures.services import attachment_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people, march):
    # 63号 附件 第六条(三): last year's local share 2000万元 < 2500万元 → not 综合型; 第七条(一)
    # 一般职能型 (4000万元 / 2亿元 / 1000万元) is met by the same figures.
    inputs = {**HQ_INPUTS, "capital_or_net_assets_yuan": 150_000_000,
              "revenue_last_year_yuan": 600_000_000,
              "local_tax_share_by_year_yuan": {"2025": 20_000_000}}
    c = application_create(HeadquartersApplication, actor=people.applicant,
                           data={"hq_type": "comprehensive", "inputs": inputs})
    attachment_add(c, key="application", file=io.BytesIO(PDF), name="营业执照.pdf",
                   actor=people.applicant)
    return c


def test_a_material_opens_for_those_who_may_see_the_case(people, case):
    a = case.attachments().get()
    url = f"/cases/{case.procedure.code}/{case.reference}/attachments/{a.pk}/"
    detail = client_for(people.office).get(f"/headquarters/{case.reference}/").content.decode()
    assert f'href="{url}"' in detail  # the file is a link on the detail page
    for user in (people.applicant, people.office, people.city_office, people.auditor):
        r = client_for(user).get(url)
        assert r.status_code == 200, user
        assert b"".join(r.streaming_content) == PDF
        assert r["Content-Disposition"].startswith("attachment")
        assert r["X-Content-Type-Options"] == "nosniff"
    # another county's office and another enterprise: as if it did not exist
    for user in (people.wuhua_office, people.other_enterprise, people.second_applicant):
        assert client_for(user).get(url).status_code == 404, user
    # a material of another case through this case's address: 404
    assert client_for(people.applicant).get(
        f"/cases/{case.procedure.code}/{case.reference}/attachments/{a.pk + 1000}/").status_code == 404
    # nobody signed in: to the login page
    from django.test import Client

    r = Client().get(url)
    assert r.status_code == 302 and "/login" in r["Location"]


def test_the_detail_page_says_why_the_type_is_not_met_and_what_instead(people, case):
    html = client_for(people.applicant).get(f"/headquarters/{case.reference}/").content.decode()
    sentence = "申报的综合型总部：不符合认定条件，1项条件未满足；可改报一般职能型总部。"
    assert sentence in html
    assert "实际为2000万元，低于要求的2500万元" in html and "附件 第六条(三)" in html
    # the full trace folds below the sentence
    assert html.index(sentence) < html.index('<details class="decision-trace"')
    r = client_for(people.applicant).get(f"/api/v1/headquarters/applications/{case.reference}")
    assert r.status_code == 200 and r.json()["decision_summary"].startswith(sentence)

"""GD-2: 两卡一书 as PDFs with the point's data; the emergency plan filed; the rule
`geohazards.point_requirements` decided on the register's data (109号 二(四)、三(一)、三(五))."""

import io

import pytest
from procedures.pdftext import pdf_text

from kmgov.core.errors import Forbidden
from kmgov.policies.geohazards import cards, selectors, services

from .conftest import make_point

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("kind,title", [("understanding", "地质灾害防治工作明白卡"),
                                        ("refuge", "地质灾害避险卡"),
                                        ("notice", "地质灾害隐患点通知书")])
def test_two_cards_one_notice_carry_name_monitor_route(gd, kind, title):
    p = make_point(gd.panlong_land, "PL-0001", name="大村后山滑坡",
                   monitors=[{"name": "李监测", "phone": "13912345678"}],
                   evacuation_route="沿大村村道向东转移至村小学操场")
    pdf = cards.render(p, kind, household={"head": "赵户主", "members": 4})
    text = pdf_text(pdf)
    flat = text.replace(" ", "").replace("\n", "")
    assert title in flat
    assert "大村后山滑坡" in flat
    assert "李监测" in flat and "13912345678" in flat
    assert "沿大村村道向东转移至村小学操场" in flat
    if kind == "refuge":                       # the 避险卡 is the household's own
        assert "户主姓名赵户主" in flat and "家庭人数4" in flat


def test_card_page_serves_pdf_in_scope_only(gd, client):
    make_point(gd.panlong_land, "PL-0001")
    client.force_login(gd.dianyuan)
    r = client.get("/geohazards/points/PL-0001/cards/notice.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "PL-0001" in pdf_text(r.content).replace(" ", "")
    client.force_login(gd.dongchuan_land)
    assert client.get("/geohazards/points/PL-0001/cards/notice.pdf").status_code == 404


def facts_outcome(p):
    d = selectors.point_decision(p)
    return d.outcome, d.outputs["missing"], d.outputs["emergency_plan_required"]


def test_rule_decides_on_register_data(gd):
    # a complete small point, cards not yet issued: only the cards are missing (二(四))
    p = make_point(gd.panlong_land, "PL-0001", scale="small")
    assert facts_outcome(p) == ("non_compliant", ["two_cards_one_notice"], False)
    services.cards_issued(p, on="2010-05-20", actor=gd.panlong_land)
    p.refresh_from_db()
    assert facts_outcome(p) == ("compliant", [], False)
    # no monitor, no alarm signal, no village cadre
    q = make_point(gd.panlong_land, "PL-0002", monitors=[], alarm_signal="", village_cadre="",
                   cards_issued_on="2010-05-20")
    assert facts_outcome(q) == ("non_compliant", ["monitor", "three_assurances", "four_packages"], False)


def test_medium_point_needs_its_plan_filed(gd):
    # 二(四)：对排查出的中型以上（含中型）地质灾害隐患点……编制隐患点应急预案
    p = make_point(gd.panlong_land, "PL-0003", scale="medium", cards_issued_on="2010-05-20")
    assert facts_outcome(p) == ("non_compliant", ["emergency_plan"], True)
    plan = services.plan_file(p, title="PL-0003应急预案", approved_by="盘龙区人民政府",
                              approved_on="2010-05-25", fh=io.BytesIO(PDF), name="plan.pdf",
                              actor=gd.panlong_land)
    assert plan.content_type == "application/pdf"
    assert facts_outcome(p) == ("compliant", [], True)
    assert selectors.point_history(p).filter(action="geohazards.plan_file").count() == 1


def test_plan_refuses_non_documents_and_outsiders(gd):
    from kmgov.core.errors import Refusal

    p = make_point(gd.panlong_land, "PL-0003", scale="large")
    with pytest.raises(Refusal) as exc:
        services.plan_file(p, title="预案", approved_by="区政府", approved_on="2010-05-25",
                           fh=io.BytesIO(b"MZ\x90\x00 not a pdf"), name="plan.pdf", actor=gd.panlong_land)
    assert "plan.pdf" in exc.value.message
    with pytest.raises(Forbidden):
        services.plan_file(p, title="预案", approved_by="区政府", approved_on="2010-05-25",
                           fh=io.BytesIO(PDF), name="plan.pdf", actor=gd.wuhua_land)
    assert not p.plans.exists()


def test_point_page_shows_decision_in_words(gd, client):
    make_point(gd.panlong_land, "PL-0003", scale="medium")
    client.force_login(gd.panlong_land)
    html = client.get("/geohazards/points/PL-0003/").content.decode()
    # the plain outcome above the folded trace: the point has its monitor, 四包 and 三落实
    # (三(五), 三(一)) but no cards and, being 中型, no plan yet (二(四)): two measures lacking
    assert "该隐患点有2项防治措施尚未落实：发放“两卡一书”、隐患点应急预案" in html
    assert "中型以上隐患点，须编制应急预案" in html
    assert html.index('id="plain-outcome"') < html.index("完整判定过程")
    assert "填写并发放“两卡一书”（明白卡、避险卡和隐患点通知书），登记发放日期" in html
    assert "two_cards_one_notice" not in html and "medium" not in html.split("<main")[-1].split("scale-medium")[0]

"""Demo of 中低产林改造项目 for `kmgov demo` (idempotent: skipped when present)."""

import io

from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role
from kmgov.procedures.services import attachment_add, case_transition

from .models import ForestProject
from .services import project_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOLDER = "滇源镇示范农户（演示）"


def contribute(stdout):
    station = ensure_account("demo-dianyuan-lyz", "滇源镇林业站", Role.TOWNSHIP_STAFF,
                             "panlong-dianyuan", "林业站站长")
    # the township's clerk takes the household's application; the station chief reviews it
    # (61号 五(五)) — one person never files and reviews the same project
    clerk = ensure_account("demo-dianyuan-sl", "滇源镇人民政府（受理农户申请）", Role.TOWNSHIP_STAFF,
                           "panlong-dianyuan", "受理员")
    county = ensure_account("demo-panlong-lyj", "盘龙区林业局", Role.COUNTY_DEPARTMENT,
                            "panlong-forestry", "营林科")
    ensure_account("demo-shi-lyj", "市林业局（中低产林改造领导小组办公室）", Role.CITY_DEPARTMENT,
                   "city-forestry", "抽检组")
    finance = ensure_account("demo-shi-czj", "市财政局", Role.CITY_DEPARTMENT, "city-finance",
                             "农业科")
    if ForestProject.objects.filter(holder_name=HOLDER).exists():
        stdout.write("  中低产林改造：示例已存在")
        return
    case = project_create(actor=clerk, org="panlong-dianyuan", ownership="household",
                          holder_name=HOLDER, area_mu=200, pilot=True, method="tending",
                          site_flags={"dianchi_basin": True}, subcompartment="12-3")
    attachment_add(case, key="design", file=io.BytesIO(PDF), name="design.pdf", actor=clerk)
    case = case_transition(case, "submit_to_station", actor=clerk)
    case = case_transition(case, "station_approve", actor=station, reason="林权清晰")
    case = case_transition(case, "approve_design", actor=county, reason="作业设计符合规程")
    case = case_transition(case, "pay_design", actor=finance)
    stdout.write(f"  中低产林改造 {case.reference} {case.area_mu}亩 试点 {case.state_label()}"
                 f"（首期{case.design_tranche_yuan}元已拨付）")

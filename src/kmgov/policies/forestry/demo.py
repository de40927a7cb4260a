"""Demo of 中低产林改造项目 for `kmgov demo` (idempotent: skipped when present)."""

import datetime as dt
import io

from kmgov.core.calendar import TZ
from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role
from kmgov.procedures.filing_services import filing_start, slots_open
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
    city = ensure_account("demo-shi-lyj", "市林业局（中低产林改造领导小组办公室）", Role.CITY_DEPARTMENT,
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
    # 2010's pilots (61号 四(二)): state forest farms of three counties, dated in 2010, so the
    # progress dashboard on 2010-12-01 shows who met the 11-30 target and who did not.
    for county, area, done, accepted in PILOTS_2010:
        pilot_record(county, area, done_on=done, accepted_on=accepted, finance=finance, city=city)
    stdout.write("  中低产林改造：2010年试点（石林、宜良、寻甸）")
    # 四(一): the plans' final version by 10-15 — 石林 on 10-12, 宜良 late on 10-20.
    slots_open("forest-plan-final", "2010", now=_at(dt.date(2010, 7, 1)))
    for county, day in (("shilin", dt.date(2010, 10, 12)), ("yiliang", dt.date(2010, 10, 20))):
        plan_filing_record(county, "forest-plan-final", day, planned_area_mu=10000)
    stdout.write("  中低产林改造：2010年规划定稿报送（石林按期，宜良逾期）")


#: (county, area 亩, self-check passed on, city spot-check passed on): 石林 1200 亩 by 11-20
#: and 寻甸 exactly 1000 亩 on 11-30 meet "11月30日前…不得低于1000亩"; 宜良's 600 亩 do not.
PILOTS_2010 = [
    ("shilin", 1200, dt.date(2010, 11, 20), dt.date(2010, 12, 5)),
    ("yiliang", 600, dt.date(2010, 11, 25), None),
    ("xundian", 1000, dt.date(2010, 11, 30), None),
]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)


def pilot_record(county: str, area, *, done_on: dt.date, accepted_on: dt.date | None = None,
                 finance, city) -> ForestProject:
    """A pilot on the county's state forest land (五(五): the county forestry bureau approves),
    taken through design approval, the first tranche and the county's self-check on `done_on`
    (and the city's spot-check on `accepted_on`)."""
    bureau = ensure_account(f"demo-{county}-lyj", f"{county}林业局", Role.COUNTY_DEPARTMENT,
                            f"{county}-forestry", "营林科")
    # the state forest farm's clerk files; the bureau's forestry section approves (one person
    # never both files and approves: separation of duties)
    farm = ensure_account(f"demo-{county}-lc", f"{county}国有林场", Role.COUNTY_DEPARTMENT,
                          f"{county}-forestry", "林场经办人")
    start = _at(done_on - dt.timedelta(days=60))
    case = project_create(actor=farm, org=f"{county}-forestry", ownership="state",
                          holder_name=f"{county}国有林场试点（演示）", area_mu=area, pilot=True,
                          method="tending", now=start)
    attachment_add(case, key="design", file=io.BytesIO(PDF), name="design.pdf", actor=farm)
    case = case_transition(case, "submit", actor=farm, now=start)
    case = case_transition(case, "approve_design", actor=bureau, reason="试点设计已报市批准",
                           now=start + dt.timedelta(days=5))
    case = case_transition(case, "pay_design", actor=finance, now=start + dt.timedelta(days=10))
    case = case_transition(case, "self_check", actor=bureau, now=_at(done_on))
    if accepted_on:
        case = case_transition(case, "spot_check_pass", actor=city, now=_at(accepted_on))
    return case


def plan_filing_record(county: str, code: str, day: dt.date, **data):
    """The county government's report of a 2010 filing (61号 四(一)、四(二)) on `day`."""
    from kmgov.core.models import OrgUnit

    gov = ensure_account(f"demo-{county}-zf", f"{county}人民政府", Role.COUNTY_GOVERNMENT, county,
                         "分管副县长")
    case = filing_start(code, "2010", org=OrgUnit.objects.get(code=county), actor=gov, now=_at(day))
    attachment_add(case, key="document", file=io.BytesIO(PDF), name="plan.pdf", actor=gov)
    return case_transition(case, "submit", actor=gov, now=_at(day), data=data)

"""Demo of 建设工程质检全覆盖 (111号) for `kmgov demo` (idempotent: skipped when present):
projects with their parties in 五华 and 盘龙, the supervision bodies (盘龙's with 4 full-time
staff: short of 四(三)'s 5), last month's filings with 官渡区 and others not filed, a recorded
inspection with a finding to rectify."""

from __future__ import annotations

import datetime as dt

from kmgov.core.calendar import TZ
from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role
from kmgov.procedures.filing_services import filing_start, slots_open
from kmgov.procedures.filings import Period, PeriodKind
from kmgov.procedures.services import case_transition
from kmgov.rules import today

from .models import MONTHLY, Project
from .services import body_set, inspection_schedule, project_create

PARTIES = [("builder", "{n}建设投资有限公司", "张建", "李工"),
           ("surveyor", "云南省地质工程勘察院", "王勘", "赵勘"),
           ("designer", "昆明市建筑设计研究院", "陈设", "刘设"),
           ("contractor", "云南建工第{i}建设有限公司", "杨施", "周项目经理"),
           ("supervisor", "昆明建设监理有限公司", "吴监", "郑总监")]
PROJECTS = [("wuhua", "WH-2010-001", "五华区示范安置房工程", "building"),
            ("wuhua", "WH-2010-002", "五华区滇缅大道改造工程", "municipal"),
            ("panlong", "PL-2010-001", "盘龙区城中村改造一期", "village_renewal"),
            ("panlong", "PL-2010-002", "盘龙区金江路排水工程", "water")]


def contribute(stdout):
    group = ensure_account("demo-shi-zjj-dc", "市住建局（质检全覆盖督查组）", Role.CITY_OFFICE,
                           "city-housing", "质检全覆盖领导小组办公室")
    # Separation of duties: the office schedules an inspection and rechecks rectifications; a
    # member of the group inspects and records the findings.
    member = ensure_account("demo-shi-zjj-dcy", "市住建局（质检全覆盖督查组成员）", Role.CITY_OFFICE,
                            "city-housing", "督查组成员")
    wuhua = ensure_account("demo-wuhua-zjj", "五华区住建局质量安全监督站", Role.COUNTY_DEPARTMENT,
                           "wuhua-housing", "监督站")
    panlong = ensure_account("demo-panlong-zjj", "盘龙区住建局质量安全监督站", Role.COUNTY_DEPARTMENT,
                             "panlong-housing", "监督站")
    ensure_account("demo-shi-bgt", "市政府办公厅", Role.CITY_DEPARTMENT, "city-general-office", "秘书处")
    if Project.objects.filter(code="WH-2010-001").exists():
        stdout.write("  建设工程质检全覆盖：示例已存在")
        return
    day = today()
    for i, (county, code, name, kind) in enumerate(PROJECTS, start=1):
        actor = wuhua if county == "wuhua" else panlong
        project_create(actor=actor, org=county, code=code, name=name, kind=kind,
                       address=f"昆明市{name[:3]}", started_on=(day - dt.timedelta(days=40 * i)).isoformat(),
                       parties=[{"role": r, "unit_name": u.format(n=name[:3], i=i), "legal_rep": rep,
                                 "person": person, "phone": f"0871-6{i}00000{j}"}
                                for j, (r, u, rep, person) in enumerate(PARTIES)])
    body_set(actor=wuhua, org="wuhua", name="五华区建设工程质量安全监督站", full_time_staff=8,
             head="五华站长", phone="0871-65000001")
    body_set(actor=panlong, org="panlong", name="盘龙区建设工程质量安全监督站", full_time_staff=4,
             head="盘龙站长", phone="0871-65000002")
    # Last month's filings: 五华 has filed; 盘龙 and the others have not (the register lists
    # them, the sweep reminds and escalates them).
    month = Period.containing(day, PeriodKind.MONTH).shift(-1)
    opens, _ = MONTHLY.window_dates(month)
    now = dt.datetime.combine(opens, dt.time(10, 0), tzinfo=TZ)  # on the window's first day
    slots_open(MONTHLY.code, month.key, now=now)
    report = filing_start(MONTHLY.code, month.key, org=wuhua.role_assignments.first().org,
                          actor=wuhua, now=now)
    case_transition(report, "submit", actor=wuhua, now=now, data={
        "projects_started": 1, "new_projects": ["五华区示范安置房工程"], "problems_found": 2,
        "problems_handled": 1, "problems": ["模板支撑体系未按方案搭设", "钢筋进场未见证取样"],
        "actions": ["责令停工整改", "补做见证取样送检"]})
    # This quarter's inspection of 五华区, recorded, with one finding to rectify in 30 days.
    quarter = Period.containing(day, PeriodKind.QUARTER)
    insp = inspection_schedule(actor=group, org="wuhua", quarter=quarter.key, planned_on=day)
    insp = case_transition(insp, "record", actor=member, data={
        "inspected_on": day.isoformat(), "projects_inspected": ["五华区示范安置房工程"],
        "summary": "抽查在建工程2项，质量安全保证体系基本健全"})
    case_transition(insp, "add_finding", actor=member, data={
        "project": "五华区示范安置房工程", "problem": "外脚手架连墙件设置不足",
        "requirement": "按专项施工方案补设连墙件"})
    stdout.write(f"  建设工程质检全覆盖：{len(PROJECTS)}个工程项目，{month.label()}月报（五华已申报，"
                 f"其余未申报），督查 {insp.reference}")

"""Demo of 106号/107号 for `kmgov demo` (idempotent: skipped when present): enterprises of
盘龙区 in listed industries, 2010年上半年's zero reports with some missing (escalated, 告知
proposed), accidents, a warning of each of the five actions, an admonition answered late and
one not answered at all (escalated to the issuing office)."""

import datetime as dt

from kmgov.core.calendar import TZ
from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import OrgUnit, Role
from kmgov.procedures.filing_services import filings_sweep, slots_open
from kmgov.procedures.services import case_step, deadlines_sweep

from .models import Warning, obligation_code
from .services import (
    accident_record,
    enterprise_register,
    warning_draft,
    warning_issue,
    zero_report_proposals,
    zr_file,
    zr_start,
)

MARK = "（演示）"
ENTERPRISES = [("demo-ent-mine", "盘龙示例煤矿有限公司", "coal", 150),
               ("demo-ent-build", "盘龙示例建筑工程有限公司", "construction", 80),
               ("demo-ent-chem", "盘龙示例化工有限公司", "chemical", 60)]


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def _form(n, unit_name, answers: dict, **extra) -> dict:
    from .forms import zr_form

    form = zr_form(n)
    data = {"unit_name": unit_name, "report_date": "2010-07-05", "principal": "张三",
            "leader_in_charge": "李四", "filled_by": "王五", "reviewed_by": "赵六",
            "phone": "0871-65000000", **extra}
    for r in form.rows:
        data[r.key] = answers.get(r.key, "落实")
        if data[r.key] == "不落实":
            data[f"{r.key}_note"] = answers.get(f"{r.key}_note", "正在整改" + MARK)
    return data


def contribute(stdout):
    panlong = OrgUnit.objects.get(code="panlong")
    city = ensure_account("demo-shi-awb", "市安全生产委员会办公室", Role.CITY_OFFICE, "city-safety",
                          "综合协调处")
    office = ensure_account("demo-panlong-awb", "盘龙区安委会办公室", Role.COUNTY_OFFICE, "panlong",
                            "安委办")
    # Separation of duties: the office's staff draft a warning, its head signs it (issue).
    signer = {office: ensure_account("demo-panlong-awb-zr", "盘龙区安委会办公室主任",
                                     Role.COUNTY_OFFICE, "panlong", "安委办主任"),
              city: ensure_account("demo-shi-awb-fzr", "市安全生产委员会办公室负责人",
                                   Role.CITY_OFFICE, "city-safety", "安委办副主任")}
    ensure_account("demo-panlong-ajj", "盘龙区安全生产监督管理局", Role.COUNTY_DEPARTMENT,
                   "panlong-safety", "监管科")
    ensure_account("demo-panlong-zjj", "盘龙区住房和城乡建设局", Role.COUNTY_DEPARTMENT,
                   "panlong-housing", "安监站")
    town = ensure_account("demo-dianyuan-aj", "滇源镇安全生产办公室", Role.TOWNSHIP_STAFF,
                          "panlong-dianyuan", "安监员")
    staff = {}
    for code, name, _industry, _employees in ENTERPRISES:
        if not OrgUnit.objects.filter(code=code).exists():
            OrgUnit(code=code, name=name, kind="enterprise", parent=panlong).save()
        staff[code] = ensure_account(f"{code}-aq", f"{name}安全科", Role.ENTERPRISE, code, "安全科长")
    if Warning.objects.filter(title__endswith=MARK).exists():
        stdout.write("  安全生产零申报与警示：示例已存在")
        return
    for code, _name, industry, employees in ENTERPRISES:
        enterprise_register(actor=city, org=OrgUnit.objects.get(code=code), industry_code=industry,
                            employees=employees, in_scope_from=dt.date(2010, 5, 1))
    # 2010年上半年 (107号 四(一): 7月1日–10日): the mine and 滇源镇 file every form, the builder
    # only 表三 (with a staffing check that contradicts its answer); the chemical works and
    # 阿子营镇 file nothing: escalated after 7月10日 and proposed 告知 to the office.
    for level in ("ent", "town"):
        for n in range(1, 10):
            slots_open(obligation_code(n, level), "2010H1", now=at(2010, 7, 1, 8))
    mine = OrgUnit.objects.get(code="demo-ent-mine")
    dianyuan = OrgUnit.objects.get(code="panlong-dianyuan")
    for n in range(1, 10):
        c = zr_start(n, "2010H1", org=mine, actor=staff["demo-ent-mine"], now=at(2010, 7, 5, 9))
        zr_file(c, _form(n, mine.name, {"item_3": "不落实"} if n == 3 else {},
                         **({"employees": 150, "has_safety_department": True, "safety_staff": 3}
                            if n == 3 else {})), actor=staff["demo-ent-mine"], now=at(2010, 7, 5, 10))
        c = zr_start(n, "2010H1", org=dianyuan, actor=town, now=at(2010, 7, 6, 9))
        zr_file(c, _form(n, dianyuan.name, {}, **({"budget_yuan": 33000,
                                                  "previous_year_budget_yuan": 30000}
                                                 if n == 3 else {})),
                actor=town, now=at(2010, 7, 6, 10))
    build = OrgUnit.objects.get(code="demo-ent-build")
    c = zr_start(3, "2010H1", org=build, actor=staff["demo-ent-build"], now=at(2010, 7, 8, 9))
    zr_file(c, _form(3, build.name, {}, employees=80, has_safety_department=False, safety_staff=0),
            actor=staff["demo-ent-build"], now=at(2010, 7, 8, 10))
    filings_sweep(now=at(2010, 7, 11, 0, 0))
    proposals = zero_report_proposals(now=at(2010, 7, 11, 1))

    # The accident register: two general accidents at the mine within one month.
    for day, summary in (("2010-09-01", "井下运输跑车，1人死亡"), ("2010-09-10", "顶板冒落，1人死亡")):
        accident_record(actor=office, now=at(2010, 9, 12), data={
            "org": "demo-ent-mine", "occurred_on": day, "grade": "general", "deaths": 1,
            "summary": summary + MARK})

    def warn(recipient, level, grounds, when, actor=office, text=""):
        w = warning_draft(actor=actor, now=when, data={
            "recipient": recipient, "level": level, "grounds": grounds, "notice_text": text})
        Warning.objects.filter(pk=w.pk).update(title=w.title + MARK)
        w.refresh_from_db()
        return warning_issue(w, actor=signer[actor], now=when)

    warn("panlong-aziying", "prompt", ["safeguards_not_in_place"], at(2010, 8, 2, 10))
    warn("panlong-housing", "notice", ["department_duty_not_performed"], at(2010, 8, 3, 10))
    # 第六条(二): the mine's two general accidents within one month → 告诫, answered in time.
    adm = warn("demo-ent-mine", "admonition", [], at(2010, 9, 16, 10),
               text="你公司一个月内发生两起一般生产安全事故，现予告诫。")
    case_step(adm, "answer", actor=staff["demo-ent-mine"], now=at(2010, 10, 8, 15),
              data={"measures": "停产整顿15日，全面排查顶板和运输系统隐患，处理责任人3名。"})
    # 第七条(一): after the admonition, the mine is disclosed; 专报 (第八条(二)).
    warn("demo-ent-mine", "disclosure", ["dual_post_still_inadequate"], at(2010, 10, 20, 10))
    warn("panlong", "special_report", ["needs_principal_leader"], at(2010, 10, 25, 10), actor=city)
    # An admonition of the builder (第六条(六)) left unanswered: reminded, then escalated.
    warn("demo-ent-build", "admonition", ["no_measures_after_prompt_or_notice"],
         at(2010, 11, 1, 10))
    deadlines_sweep(now=at(2010, 11, 17, 0, 5))
    stdout.write(f"  安全生产零申报与警示：2010年上半年零申报（企业3、乡镇2），建议警示{proposals}件，"
                 f"警示{Warning.objects.filter(title__endswith=MARK).count()}件")

"""昆政办〔2010〕106号 附件《昆明市安全生产警示管理办法（试行）》 (the warning ladder) and
昆政办〔2010〕107号 附件《安全生产监管“市域全覆盖”零申报工作实施方案》 (the checks SPEC ZR-5
makes computable: staffing, township budget, drills, meetings, filing windows)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from pydantic import Field

from kmgov.rules import Ctx, RuleInput, rule
from kmgov.rules.plain import fmt_date, fmt_money, sep, trace_step

NonNegInt = Annotated[int, Field(ge=0)]

D6 = "昆政办〔2010〕106号"
D7 = "昆政办〔2010〕107号"
A = "附件 "


class Industry(str, enum.Enum):
    mine = "mine"
    construction = "construction"
    hazardous_goods = "hazardous_goods"
    other = "other"


class StaffingInput(RuleInput):
    ALIASES = {"industry": {N_("矿山"): "mine", N_("建筑施工"): "construction", N_("危险物品"): "hazardous_goods", "其他": "other",
                            "mining": "mine", "mines": "mine", "hazardous": "hazardous_goods",
                            "危险化学品": "hazardous_goods", "hazardous_chemicals": "hazardous_goods", "非煤矿山": "mine", "煤矿": "mine"}}
    industry: Industry = Field(description=N_("行业（矿山、建筑施工、危险物品生产经营储存使用量大或其他）"))
    employees: int = Field(ge=0, description=N_("从业人员数"))
    has_safety_department: bool | None = Field(default=None, description=N_("（可选）已设专门的安全生产管理机构"))
    safety_staff: int | None = Field(default=None, ge=0, description=N_("（可选）现有专职安全生产管理人员数"))


def _staffing_plain(decision, result, focus) -> None:
    """107号 附件 五(三)1 in the employer's terms: what its size and trade require, and (when
    its staffing was given) what it lacks."""
    high = trace_step(decision, "行业：")
    high = bool(high and high.get("result"))
    size = trace_step(decision, "高危行业" if high else "其他单位", "value")
    n = int(size["values"]["value"]) if size else None
    trade = gettext("矿山、建筑施工或危险物品单位") if high else gettext("生产经营单位")
    if decision.get("requirement") == "department":
        need = gettext("应设置专门的安全生产管理机构，人员不少于%(m)d人") % {
            "m": decision.get("min_staff") or 3}
    elif high:
        need = gettext("应配备%(a)d—%(b)d名专职安全生产管理人员") % {
            "a": decision.get("min_staff") or 1, "b": decision.get("max_staff") or 2}
    else:
        need = gettext("应配备专职安全生产管理人员（至少%(m)d名）") % {"m": decision.get("min_staff") or 1}
    who = (gettext("从业人员%(n)d人的%(t)s") % {"n": n, "t": trade}) if n is not None else trade
    head = gettext("%(w)s%(r)s（昆政办〔2010〕107号 附件 五(三)1）") % {"w": who, "r": need}
    if decision.get("outcome") == "non_compliant":
        result["sentence"] = gettext("%(h)s；现有配备未达到要求，%(n)d项条件未满足。") % {
            "h": head, "n": len(result["findings"])}
    elif decision.get("outcome") == "compliant":
        result["sentence"] = gettext("%(h)s；现有配备符合要求。") % {"h": head}
    else:
        result["sentence"] = head + "。"


@rule(
    "safety.staffing_requirement",
    title="生产经营单位安全生产管理机构和人员配备",
    inputs=StaffingInput,
    outputs=("requirement", "min_staff", "max_staff"),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    plain=_staffing_plain,
    cite=[(D7, A + "五(三)1", "矿山、建筑施工单位和危险物品生产、经营、储存和使用量大的生产经营单位，从业人员在100人以上的，必须设置专门的安全生产管理机构，人员不少于3人；从业人员不足100人的，至少要配备1-2名专职安全生产管理人员。其他生产经营单位从业人员在300人以上的必须设置安全生产管理机构，人员不少于3人；从业人员不足300人的必须配备专职安全生产管理人员")],  # noqa: E501 (the gazette quoted whole)
)
def staffing_requirement(c: Ctx):
    """107号 附件 五(三)1（依《云南省安全生产条例》）：矿山、建筑施工、危险物品单位100人以上设机构（不少于3人），
    不足100人配1-2名专职；其他单位300人以上设机构（不少于3人），不足300人配专职人员。"""
    x = c.x
    high = c.isin(x.industry, c.p("high_risk_industries"))
    c.step("行业：矿山、建筑施工、危险物品单位", high, values={"industry": x.industry})
    big_high = c.threshold(N_("高危行业：从业人员100人以上（含100人）"), x.employees, "high_risk_employees", field="employees") if (c.vector or high) else False
    big_other = c.threshold(N_("其他单位：从业人员300人以上（含300人）"), x.employees, "other_employees", field="employees") if (c.vector or not high) else False
    if not c.vector:
        c.unmet.clear()  # the size tests choose the requirement; they are not conditions to meet
    big = c.where(high, big_high, big_other)
    requirement = c.where(big, "department", "full_time_staff")
    dept_min = c.where(high, c.p("high_risk_department_min_staff"), c.p("other_department_min_staff"))
    small_min = c.where(high, c.p("high_risk_small_min_staff"), c.p("other_small_min_staff"))
    min_staff = c.where(big, dept_min, small_min)
    max_staff = c.where(c.all(high, c.not_(big)), float(c.p("high_risk_small_max_staff")), float("nan"))
    c.step("要求", requirement, values={"requirement": requirement, "min_staff": min_staff},
           note=None if c.vector or big or high else "不足300人的其他单位：公报未写人数，按解释至少1名")
    outcome = None
    if not c.vector:
        if x.safety_staff is not None or x.has_safety_department is not None:
            conds = []
            if big:
                conds.append(c.condition(N_("设置专门的安全生产管理机构"), bool(x.has_safety_department), field="has_safety_department",
                                         values={"has_safety_department": x.has_safety_department},
                                         todo=N_("设置专门的安全生产管理机构（五(三)1：“必须设置”），配齐不少于3名管理人员")))
            staff = x.safety_staff if x.safety_staff is not None else 0
            conds.append(c.condition(N_("安全生产管理人员不少于%(n)s人"), staff >= min_staff, field="safety_staff",
                                     words={"n": min_staff},
                                     values={"safety_staff": x.safety_staff, "min_staff": min_staff},
                                     todo=N_("增配专职安全生产管理人员，达到规定人数")))
            outcome = "compliant" if all(conds) else "non_compliant"
        return {"outcome": outcome, "requirement": requirement, "min_staff": min_staff, "max_staff": max_staff}
    return {"requirement": requirement, "min_staff": min_staff, "max_staff": max_staff}


class LadderInput(RuleInput):
    # 第四条 提示
    leader_dual_post_not_performed: bool = Field(default=False, description=N_("有关领导干部未认真履行“一岗双责”（第四条(一)）"))
    safeguards_not_in_place: bool = Field(default=False, description=N_("未落实安全监管所必须的人员、装备、经费等保障性投入（第四条(二)）"))
    duties_unclear: bool = Field(default=False, description=N_("未理顺监管职责，存在失管漏管、脱节断档（第四条(三)）"))
    target_or_emergency_system_missing: bool = Field(default=False, description=N_("未建立完善目标管理体系、应急救援体系（第四条(四)）"))
    other_prompt: bool = Field(default=False, description=N_("其他需要提示的情况（第四条(五)）"))
    # 第五条 告知
    department_duty_not_performed: bool = Field(default=False, description=N_("职能部门履行安全生产管理职责不到位（第五条(一)）"))
    major_hazard_rectification_inadequate: bool = Field(default=False, description=N_("重大事故隐患整改不到位（第五条(二)）"))
    major_hazard_source_monitoring_inadequate: bool = Field(default=False, description=N_("重大危险源监控不到位（第五条(三)）"))
    zero_report_inadequate: bool = Field(default=False, description=N_("“零申报”制度执行不到位（第五条(四)）"))
    other_notice: bool = Field(default=False, description=N_("其他需要告知的情况（第五条(五)）"))
    # 第六条 告诫
    larger_accidents: int = Field(default=0, ge=0, description=N_("发生较大以上安全生产事故起数（第六条(一)）"))
    general_accidents_within_month: int = Field(default=0, ge=0, description=N_("1个月内发生一般安全生产事故起数（第六条(二)）"))
    major_hazard_unrectified_after_supervision: bool = Field(default=False, description=N_("重大事故隐患经督办后仍未彻底整改（第六条(三)）"))
    unsafe_enterprise_not_closed: bool = Field(default=False, description=N_("限期整改后仍不达标的企业未依法关停（第六条(四)）"))
    criticisms_within_year: int = Field(default=0, ge=0, description=N_("一年内被通报批评次数（第六条(五)）"))
    no_measures_after_prompt_or_notice: bool = Field(default=False, description=N_("经提示、告知后仍不采取措施（第六条(六)）"))
    other_admonition: bool = Field(default=False, description=N_("其他需要告诫的事项（第六条(七)）"))
    # 第七条 公开（经告诫后）
    admonished_before: bool = Field(default=False, description=N_("已被告诫（第七条“经告诫后”）"))
    dual_post_still_inadequate: bool = Field(default=False, description=N_("“一岗双责”履行仍不到位（第七条(一)）"))
    gaps_remain: bool = Field(default=False, description=N_("仍存在失管漏管、脱节断档（第七条(二)）"))
    major_hazard_measures_not_implemented: bool = Field(default=False, description=N_("未落实重大事故隐患整改措施（第七条(三)）"))
    major_hazard_source_measures_not_implemented: bool = Field(default=False, description=N_("未落实重大危险源监控措施（第七条(四)）"))
    zero_report_late_incomplete_or_untrue: bool = Field(default=False, description=N_("“零申报”不及时、不全或不符合事实（第七条(五)）"))
    other_disclosure: bool = Field(default=False, description=N_("其他需要公开的情况（第七条(六)）"))
    # 第八条 专报
    no_effective_measures_after_all_warnings: bool = Field(default=False, description=N_("经提示、告知、告诫后仍未采取有效措施（第八条(一)）"))
    needs_principal_leader: bool = Field(default=False, description=N_("重大隐患或其他问题需要政府主要领导解决（第八条(二)）"))
    other_important_matter: bool = Field(default=False, description=N_("其他重要情况需要向主要领导汇报（第八条(三)）"))


ACTIONS = ("prompt", "notice", "admonition", "disclosure", "special_report")

#: The five warnings in words (106号 附件 第二条), the plain outcome's catalogue.
ACTION_WORDS = {"prompt": N_("提示"), "notice": N_("告知"), "admonition": N_("告诫"),
                "disclosure": N_("公开"), "special_report": N_("专报")}

#: The grounds counted from the registers, in words with their count (106号 附件 第六条).
_COUNTED = {"第六条(一)": N_("发生%(n)d起较大以上安全生产事故"),
            "第六条(二)": N_("1个月内发生%(n)d起一般安全生产事故"),
            "第六条(五)": N_("一年内被通报批评%(n)d次")}


def _ground_words(decision, ground: str) -> str:
    """One ground ("第六条(二)") in words: the count found for the counted ones, else the
    gazette's own words of the item (as the trace step recorded them)."""
    if ground in _COUNTED:
        s = trace_step(decision, ground + "：", "value")
        if s is not None:
            return gettext(_COUNTED[ground]) % {"n": int(s["values"]["value"])}
    s = trace_step(decision, ground + "：")
    return gettext(s["check"].split("：", 1)[1]) if s else ground


def _ladder_plain(decision, result, focus) -> None:
    """The ladder's answer as a sentence per warning due, most serious first, each ground
    with its count and article ("1个月内发生2起一般安全生产事故，应予告诫（…第六条(二)）"),
    and 第九条's 15 days when an admonition is due."""
    grounds = decision.get("grounds") or {}
    parts = []
    for action in reversed(ACTIONS):
        items = []
        for g in grounds.get(action) or []:
            if "（" in g:  # 第七条 before any admonition: admonish first (第七条“经告诫后”)
                art = g.split("（", 1)[0]
                items.append(gettext("%(g)s，尚未告诫，先行告诫（%(d)s 附件 %(a)s“经告诫后”）") % {
                    "g": _ground_words(decision, art), "d": D6, "a": art[:3]})
            else:
                items.append(gettext("%(g)s（%(d)s 附件 %(a)s）") % {
                    "g": _ground_words(decision, g), "d": D6, "a": g})
        if items:
            parts.append(gettext("%(g)s，应予%(a)s") % {"g": sep("；").join(items),
                                                     "a": gettext(ACTION_WORDS[action])})
    if not parts:
        result["sentence"] = gettext("按所填情况，无须采取警示措施（%(d)s 附件 第四条至第八条）。") % {"d": D6}
        return
    sentence = gettext("%(o)s。") % {"o": sep("；").join(parts)}
    if "admonition" in (decision.get("actions") or []):
        sentence += gettext("被告诫单位应于%(n)d日内将采取的措施和落实情况报发出告诫通知的单位备案（第九条）。") % {
            "n": int(decision.get("report_due_days") or 15)}
    result["sentence"] = sentence


@rule(
    "safety.warning_ladder",
    title="安全生产警示：提示、告知、告诫、公开、专报",
    inputs=LadderInput,
    outputs=("actions", "highest_action", "report_due_days", "grounds"),
    cite=[(D6, A + "第二条", "实行安全生产提示、告知、告诫、公开、专报等警示管理办法"),
          (D6, A + "第九条", "被告诫的有关单位……于15日内将采取的措施和落实情况报发出告诫通知的单位备案")],
    list_outputs={"actions": ACTIONS},
    plain=_ladder_plain,
)
def warning_ladder(c: Ctx):
    """106号 附件 第四条至第八条：按事实确定应采取的警示措施；第九条：被告诫单位15日内报送措施。"""
    x = c.x
    grounds = {}

    def art(action, article, items):
        hits = []
        for path, label, ok in items:
            if not c.vector:
                if ok:
                    c.step(f"{article}{path}：{label}", True, cite=(D6, A + article + path, label), ok=True)
                    hits.append(f"{article}{path}")
        grounds[action] = hits
        return c.any(*[ok for _, _, ok in items])

    prompt = art("prompt", "第四条", [
        ("(一)", "有关领导干部未认真履行安全生产“一岗双责”规定", x.leader_dual_post_not_performed),
        ("(二)", "未落实安全监管所必须的人员、装备、经费等保障性投入", x.safeguards_not_in_place),
        ("(三)", "未理顺安全生产监管职责，存在失管漏管、脱节断档情况", x.duties_unclear),
        ("(四)", "未建立完善安全生产目标管理体系、安全生产应急救援体系", x.target_or_emergency_system_missing),
        ("(五)", "其他需要提示的情况", x.other_prompt)])
    notice = art("notice", "第五条", [
        ("(一)", "发现有关职能部门履行安全生产管理职责不到位", x.department_duty_not_performed),
        ("(二)", "辖区或者行业领域内重大安全生产事故隐患整改不到位", x.major_hazard_rectification_inadequate),
        ("(三)", "辖区或者行业领域内重大危险源监控不到位", x.major_hazard_source_monitoring_inadequate),
        ("(四)", "安全生产“零申报”制度执行不到位", x.zero_report_inadequate),
        ("(五)", "其他需要告知的情况", x.other_notice)])
    larger = c.threshold(N_("第六条(一)：发生1起较大以上安全生产事故"), x.larger_accidents, "admonition_larger_accidents", field="larger_accidents")
    general = c.threshold(N_("第六条(二)：1个月内发生2起以上一般安全生产事故"), x.general_accidents_within_month, "admonition_general_accidents_month",
                          field="general_accidents_within_month")
    criticised = c.threshold(N_("第六条(五)：一年内被通报批评两次以上"), x.criticisms_within_year, "admonition_criticisms_year",
                             field="criticisms_within_year")
    if not c.vector:
        c.unmet.clear()
    admonition = art("admonition", "第六条", [
        ("(一)", "发生1起较大以上安全生产事故", larger),
        ("(二)", "1个月内发生2起以上一般安全生产事故", general),
        ("(三)", "存在重大事故隐患，经督办后仍未采取有效措施彻底整改", x.major_hazard_unrectified_after_supervision),
        ("(四)", "对限期整改后仍达不到基本安全生产条件的企业未依法关停而继续生产经营", x.unsafe_enterprise_not_closed),
        ("(五)", "因不认真落实上级人民政府安全生产工作部署，一年内被通报批评两次以上", criticised),
        ("(六)", "经提示、告知后，仍不采取措施落实安全生产工作要求", x.no_measures_after_prompt_or_notice),
        ("(七)", "其他需要告诫的事项", x.other_admonition)])
    disclosure_facts = art("disclosure", "第七条", [
        ("(一)", "有关领导干部履行安全生产“一岗双责”不到位", x.dual_post_still_inadequate),
        ("(二)", "仍存在失管漏管、脱节断档情况", x.gaps_remain),
        ("(三)", "未落实重大安全生产事故隐患整改措施", x.major_hazard_measures_not_implemented),
        ("(四)", "未落实重大危险源监控措施", x.major_hazard_source_measures_not_implemented),
        ("(五)", "安全生产“零申报”不及时、申报情况不全或者不符合事实", x.zero_report_late_incomplete_or_untrue),
        ("(六)", "其他需要公开的情况", x.other_disclosure)])
    disclosure = c.all(disclosure_facts, x.admonished_before)
    if not c.vector and disclosure_facts and not x.admonished_before:
        c.step("第七条须“经告诫后”：尚未告诫，不予公开（先行告诫）", False, ok=False,
               cite=(D6, A + "第七条", "经告诫后，有下列情况之一的"))
        grounds["admonition"] = grounds.get("admonition", []) + [f"{g}（尚未告诫：先行告诫）" for g in grounds["disclosure"]]
        grounds["disclosure"] = []
    special = art("special_report", "第八条", [
        ("(一)", "下级人民政府或者有关职能部门不落实安全生产工作部署和要求，经提示、告知、告诫后仍未采取有效措施", x.no_effective_measures_after_all_warnings),
        ("(二)", "发现重大安全生产事故隐患或者其他安全生产问题，需要政府主要领导解决", x.needs_principal_leader),
        ("(三)", "其他安全生产重要情况，需要向政府主要领导汇报", x.other_important_matter)])
    # a disclosure fact before any admonition calls for an admonition first (第七条 "经告诫后")
    admonition = c.any(admonition, c.all(disclosure_facts, c.not_(x.admonished_before)))
    actions = {"prompt": prompt, "notice": notice, "admonition": admonition, "disclosure": disclosure, "special_report": special}
    highest = c.full(None)
    for a in ACTIONS:
        highest = c.where(actions[a], a, highest)
    due = c.where(admonition, float(c.p("admonished_answer_days")), float("nan"))
    if not c.vector:
        c.step("被告诫单位报送措施的期限（日）", due, cite=(D6, A + "第九条", "于15日内将采取的措施和落实情况报发出告诫通知的单位备案"))
        return {"actions": actions, "highest_action": highest, "report_due_days": due,
                "grounds": {k: v for k, v in grounds.items() if v}}
    return {"actions": actions, "highest_action": highest, "report_due_days": due}


class AnswerDeadlineInput(RuleInput):
    issued_on: dt.date = Field(description=N_("告诫通知发出日期"))
    answered_on: dt.date | None = Field(default=None, description=N_("报送措施和落实情况的日期（未报送则空）"))
    today: dt.date | None = Field(default=None, description=N_("核查日期（默认为适用日期）"))


def _answer_plain(decision, result, focus) -> None:
    """第九条 in the admonished unit's terms: the last day, and how late (or how long left)."""
    due = fmt_date(decision["due_on"]) if decision.get("due_on") else "—"
    late = int(decision.get("days_late") or 0)
    ans = trace_step(decision, "在期满日之前", "answered_on")
    words = {"due": due, "n": late, "d": D6,
             "a": fmt_date(ans["values"]["answered_on"]) if ans else ""}
    outcome = decision.get("outcome")
    if outcome == "on_time":
        s = gettext("告诫通知发出后15日内应报送措施和落实情况，期满日为%(due)s；已于%(a)s报送，按期（%(d)s 附件 第九条）。")
    elif outcome == "late":
        s = gettext("期满日为%(due)s，%(a)s才报送措施和落实情况，逾期%(n)d日（%(d)s 附件 第九条）。")
    elif outcome == "overdue":
        s = gettext("期满日为%(due)s，已逾期%(n)d日仍未报送措施和落实情况（%(d)s 附件 第九条）。")
    else:
        s = gettext("尚未报送；应于%(due)s前（含当日）将采取的措施和落实情况报发出告诫通知的单位备案（%(d)s 附件 第九条）。")
    result["sentence"] = s % words


@rule(
    "safety.admonition_answer_deadline",
    title="被告诫单位15日内报送措施",
    inputs=AnswerDeadlineInput,
    outputs=("due_on", "days_late"),
    outcomes=("on_time", "late", "pending", "overdue"),
    refusals=("late", "overdue"),
    plain=_answer_plain,
    cite=[(D6, A + "第九条", "被告诫的有关单位应当及时采取切实有效的措施加强安全生产工作，并于15日内将采取的措施和落实情况报发出告诫通知的单位备案")],
    vectorised=False,
)
def admonition_answer_deadline(c: Ctx):
    """第九条：被告诫单位于15日内报送。民法通则 第154条：开始的当天不算入；期间的最后一天是星期日或者其他
    法定休假日的，以休假日的次日为期间的最后一天（中国工作日历，core/calendar.py）。逾期的升级见第六条(六)、第八条(一)。"""
    from kmgov.core.calendar import add_days, holiday_name, is_working_day

    x = c.x
    days = c.p("admonished_answer_days")
    counting = c.p("answer_day_counting")
    plain = x.issued_on + dt.timedelta(days=days)
    c.step("第15日 = 发出日 + 15日（开始当日不算入，民法通则第154条）", plain.isoformat(),
           values={"issued_on": x.issued_on.isoformat(), "days": days, "counting": counting})
    due = plain
    if counting == "calendar_from_next_day_last_day_rolls" and not is_working_day(plain):
        due = add_days(x.issued_on, days)  # moved to the first working day after the rest days
        rest = holiday_name(plain) or ("星期日" if plain.weekday() == 6 else "休息日")
        c.step(f"第15日（{plain.isoformat()}）为{rest}，以休假日的次日为期间的最后一天（民法通则第154条）",
               due.isoformat(), values={"last_day": plain.isoformat(), "due_on": due.isoformat()})
    check = x.today or x.as_of
    if x.answered_on is not None:
        late = (x.answered_on - due).days
        ok = c.condition(N_("在期满日之前（含）报送"), late <= 0, field="answered_on", values={"answered_on": x.answered_on.isoformat(), "due_on": due.isoformat()},
                         todo=N_("已逾期报送：报备时说明迟报原因；经告诫后仍未采取有效措施的，按第八条(一)向政府主要领导专报"))
        return {"outcome": "on_time" if ok else "late", "due_on": due.isoformat(), "days_late": max(late, 0)}
    late = (check - due).days
    outcome = "overdue" if late > 0 else "pending"
    c.condition(N_("尚未报送，核查日未过期满日"), late <= 0, field="answered_on", values={"checked_on": check.isoformat(), "due_on": due.isoformat()},
                todo=N_("立即将采取的措施和落实情况报发出告诫通知的单位备案；经告诫后仍未采取有效措施的，按第八条(一)向政府主要领导专报"))
    return {"outcome": outcome, "due_on": due.isoformat(), "days_late": max(late, 0)}


class TownshipBudgetInput(RuleInput):
    budget_yuan: float = Field(ge=0, description=N_("乡镇（街道）当年安全生产监管业务经费（元）"))
    previous_year_budget_yuan: float | None = Field(default=None, ge=0, description=N_("上年经费（元，可选）"))


def _budget_plain(decision, result, focus) -> None:
    """五(三)2 in the township's terms: its budget against the amount required this year."""
    got = trace_step(decision, "不低于3万元", "value")
    words = {"b": fmt_money(got["values"]["value"]) if got else "—",
             "r": fmt_money(decision.get("required_yuan") or 0), "d": D7}
    if decision.get("outcome") == "compliant":
        s = gettext("安全生产监管业务经费%(b)s，不低于应安排的%(r)s（%(d)s 附件 五(三)2：不低于3万元，每年在上年基础上增加10%%）。")
    else:
        words["g"] = fmt_money(max(0.0, float(decision.get("required_yuan") or 0)
                                   - float(got["values"]["value"] if got else 0)))
        s = gettext("安全生产监管业务经费%(b)s，低于应安排的%(r)s，差%(g)s（%(d)s 附件 五(三)2）。")
    result["sentence"] = s % words


@rule(
    "safety.township_budget",
    title="乡镇（街道）安全生产监管经费",
    inputs=TownshipBudgetInput,
    outputs=("required_yuan",),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    plain=_budget_plain,
    cite=[(D7, A + "五(三)2", "乡镇（街道办事处）不低于3万元，每年在上年基础上增加10%")],
)
def township_budget(c: Ctx):
    """107号 附件 五(三)2：乡镇（街道）经费不低于3万元，每年在上年基础上增加10%（要求 = max(3万, 上年×1.1)）。"""
    x = c.x
    floor = c.p("township_budget_min")
    growth = c.p("township_budget_growth")
    prev = c.num(x.previous_year_budget_yuan)
    grown = c.where(c.isnan(prev), 0.0, prev * (1 + growth))
    required = c.maximum(float(floor), grown)
    c.step("要求 = max(3万元, 上年 × 1.1)", required, values={"previous_year_budget_yuan": x.previous_year_budget_yuan, "growth": growth, "floor": floor})
    ok = c.all(
        c.threshold(N_("不低于3万元"), x.budget_yuan, "township_budget_min", field="budget_yuan",
                    todo=N_("将乡镇（街道）安全生产监管业务经费安排到不低于3万元")),
        c.condition(N_("在上年基础上增加10%（不低于上年×1.1）"), x.budget_yuan >= grown - 1e-6, field="budget_yuan",
                    values={"budget_yuan": x.budget_yuan, "required": grown},
                    todo=N_("按上年经费增加10%安排当年经费")),
    )
    return {"outcome": c.where(ok, "compliant", "non_compliant"), "required_yuan": required}


class Level(str, enum.Enum):
    government = "government"
    department = "department"
    enterprise = "enterprise"


class DrillsInput(RuleInput):
    level: Level = Field(description=N_("government 各级政府 / department 政府相关部门 / enterprise 生产经营单位"))
    drills_per_year: int = Field(ge=0, description=N_("本年组织的演练次数"))


LEVEL_WORDS = {"government": N_("各级政府"), "department": N_("政府相关部门"),
               "enterprise": N_("生产经营单位")}


def _drills_plain(decision, result, focus) -> None:
    """五(九)1(2) in the organiser's terms: drills held against the yearly minimum."""
    s = trace_step(decision, "每年至少演练", "drills_per_year")
    v = (s or {}).get("values") or {}
    words = {"who": gettext(LEVEL_WORDS.get(v.get("level"), N_("该单位"))),
             "n": int(v.get("drills_per_year") or 0), "m": int(decision.get("min_drills") or 0),
             "d": D7}
    if decision.get("outcome") == "compliant":
        t = gettext("%(who)s本年组织演练%(n)d次，达到每年至少%(m)d次的要求（%(d)s 附件 五(九)1(2)）。")
    else:
        t = gettext("%(who)s本年组织演练%(n)d次，少于每年至少%(m)d次的要求（%(d)s 附件 五(九)1(2)）。")
    result["sentence"] = t % words


@rule(
    "safety.drills",
    title="应急预案演练次数",
    inputs=DrillsInput,
    outputs=("min_drills",),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    plain=_drills_plain,
    cite=[(D7, A + "五(九)1(2)", "各级政府和政府相关部门每年至少组织1次综合性的预案演练；生产经营单位每年至少组织2次应急预案演练")],
)
def drills(c: Ctx):
    """107号 附件 五(九)1(2)：政府和部门每年至少1次综合性演练；生产经营单位每年至少2次。"""
    x = c.x
    ent = x.level == "enterprise"
    need = c.where(ent, c.p("drills_enterprise_min"), c.p("drills_government_min"))
    ok = x.drills_per_year >= need
    c.condition(N_("每年至少演练%(n)s次（至少，含本数）") if not c.vector else "", ok, field="drills_per_year",
                words=None if c.vector else {"n": need},
                values={"level": x.level, "drills_per_year": x.drills_per_year, "min": need, "comparison": ">=", "word": "至少"},
                todo=N_("年内补足演练：政府和部门至少组织1次综合性预案演练，生产经营单位至少组织2次应急预案演练"))
    return {"outcome": c.where(ok, "compliant", "non_compliant"), "min_drills": need}


class MeetingsInput(RuleInput):
    executive_meetings_per_year: int = Field(ge=0, description=N_("本年常务会（主任办公会）专题研究安全生产次数"))
    safety_meetings_by_quarter: list[NonNegInt] = Field(min_length=1, max_length=4, description=N_("分管领导各季度安全生产例会次数"))
    analysis_meetings_by_quarter: list[NonNegInt] | None = Field(default=None, min_length=1, max_length=4, description=N_("其他副职各季度分析会次数（可选）"))


def _meetings_plain(decision, result, focus) -> None:
    """五(一)4 in the government's terms: which meetings fall short."""
    if decision.get("outcome") == "compliant":
        result["sentence"] = gettext("会议次数符合要求：常务会每年至少2次，分管领导例会、其他副职分析会每季度至少1次（%(d)s 附件 五(一)4）。") % {"d": D7}
    else:
        result["sentence"] = gettext("有%(n)d项会议次数未达到%(d)s 附件 五(一)4的要求（常务会每年至少2次，例会、分析会每季度至少1次）。") % {
            "n": len(result["findings"]), "d": D7}


@rule(
    "safety.meetings",
    title="安全生产会议",
    inputs=MeetingsInput,
    outputs=("short_quarters",),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    plain=_meetings_plain,
    cite=[(D7, A + "五(一)4", "各级政府每年至少召开常务会（主任办公会）2次、分管安全生产领导每季度至少召开安全生产例会1次、其他行政领导副职每季度至少召开分析会1次")],
    vectorised=False,
)
def meetings(c: Ctx):
    """107号 附件 五(一)4：常务会每年至少2次；分管领导每季度至少1次例会；其他副职每季度至少1次分析会。"""
    x = c.x
    conds = [c.threshold(N_("常务会每年至少2次"), x.executive_meetings_per_year, "executive_meetings_min", field="executive_meetings_per_year",
                         todo=N_("年内再召开常务会（主任办公会）专题研究安全生产工作，达到每年2次"))]
    short = []
    for i, n in enumerate(x.safety_meetings_by_quarter):
        ok = c.threshold(N_("第%(q)s季度安全生产例会至少1次"), n, "safety_meetings_quarter_min", field="safety_meetings_by_quarter",
                         words={"q": i + 1},
                         todo=N_("分管安全生产领导每季度至少召开1次安全生产例会，按季度补齐"))
        conds.append(ok)
        if not ok:
            short.append(f"safety.q{i + 1}")
    for i, n in enumerate(x.analysis_meetings_by_quarter or []):
        ok = c.threshold(f"第{i + 1}季度分析会至少1次", n, "analysis_meetings_quarter_min", field="analysis_meetings_by_quarter",
                         todo=N_("其他行政领导副职每季度至少召开1次分析会，按季度补齐"))
        conds.append(ok)
        if not ok:
            short.append(f"analysis.q{i + 1}")
    return {"outcome": "compliant" if all(conds) else "non_compliant", "short_quarters": short}


class WindowInput(RuleInput):
    on: dt.date = Field(description=N_("日期"))


PERIOD_WORDS = {"previous_year": N_("上一年度情况"), "first_half": N_("半年情况")}


def _window_plain(decision, result, focus) -> None:
    """四(一) in the reporter's terms: in a window (which), or the next one."""
    d = {"d": D7}
    if decision.get("outcome") == "open":
        s = trace_step(decision, "在申报时间内", "on")
        d.update(on=fmt_date(s["values"]["on"]) if s else "", s=fmt_date(decision["window_start"]),
                 e=fmt_date(decision["window_end"]),
                 p=gettext(PERIOD_WORDS.get(decision.get("period"), N_("当期情况"))))
        result["sentence"] = gettext("%(on)s在零申报时间内（%(s)s至%(e)s，申报%(p)s；%(d)s 附件 四(一)）。") % d
        return
    s = trace_step(decision, "不在申报时间内", "on")
    on = dt.date.fromisoformat(s["values"]["on"][:10]) if s else None
    windows = next((p["value"] for p in (s or {}).get("parameters") or []
                    if p.get("name") == "safety.zero_report_windows"), None) or [
        ["01-01", "01-10", "previous_year"], ["07-01", "07-10", "first_half"]]
    nxt = None
    if on is not None:
        for y in (on.year, on.year + 1):
            for start, end, period in windows:
                a = dt.date.fromisoformat(f"{y}-{start}")
                if a > on and nxt is None:
                    nxt = (a, dt.date.fromisoformat(f"{y}-{end}"), period)
    d.update(on=fmt_date(on) if on else "")
    if nxt:
        d.update(s=fmt_date(nxt[0]), e=fmt_date(nxt[1]), p=gettext(PERIOD_WORDS.get(nxt[2], N_("当期情况"))))
        result["sentence"] = gettext("%(on)s不在零申报时间内；每年1月1日至10日申报上一年度情况、7月1日至10日申报半年情况（%(d)s 附件 四(一)），下一次为%(s)s至%(e)s（申报%(p)s）。") % d
    else:
        result["sentence"] = gettext("不在零申报时间内；每年1月1日至10日申报上一年度情况、7月1日至10日申报半年情况（%(d)s 附件 四(一)）。") % d


@rule(
    "safety.zero_report_window",
    title="零申报时间",
    inputs=WindowInput,
    outputs=("period", "window_start", "window_end"),
    outcomes=("open", "closed"),
    refusals=(),
    plain=_window_plain,
    cite=[(D7, A + "四(一)", "每年申报两次，即1月1日-10日（上一年度情况）和7月1日-10日（半年情况）")],
    vectorised=False,
)
def zero_report_window(c: Ctx):
    """107号 附件 四(一)：1月1日—10日申报上一年度情况，7月1日—10日申报半年情况（含首尾）。"""
    d = c.x.on
    for s, e, period in c.p("zero_report_windows"):
        start = dt.date.fromisoformat(f"{d.year}-{s}")
        end = dt.date.fromisoformat(f"{d.year}-{e}")
        if start <= d <= end:
            c.step("在申报时间内", period, values={"on": d.isoformat(), "start": start.isoformat(), "end": end.isoformat()})
            return {"outcome": "open", "period": period, "window_start": start.isoformat(), "window_end": end.isoformat()}
    c.step("不在申报时间内", None, values={"on": d.isoformat()})
    return {"outcome": "closed", "period": None, "window_start": None, "window_end": None}

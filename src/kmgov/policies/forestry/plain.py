"""61号's decisions said plainly (`@rule(plain=…)`, kmgov.rules.plain): the result in the
forest owner's or county's terms, and for an unmet condition what the gazette lets them do."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from kmgov.policies._plain_words import (
    check_sentence,
    facts,
    money,
    number,
    ok_number,
    param,
    percent,
    set_todo,
    where,
)
from kmgov.rules.plain import sep

DOC = N_("61号")  # the short name in a sentence's bracket

#: 三(一)'s standards, by the keys of the rule's `criteria_met`.
CRITERIA = {
    "general.degraded": N_("林相残败、功能低下并导致森林生态系统退化"),
    "general.growth": N_("生长量或生物量较同类立地条件平均水平低30%以上"),
    "general.canopy": N_("郁闭度小于0.3的中龄以上林分"),
    "general.damaged": N_("风倒木、病害木比重占单位面积株数20%以上"),
    "general.unsuitable": N_("因未适地适树或种源不适而造成的低效林分"),
    "ecological.vegetation": N_("植被覆盖度小于40%"),
    "ecological.declining": N_("林分衰败、生态防护功能显著下降的成熟林和过熟林"),
    "economic.growth": N_("树高、蓄积生长量较平均水平低30%以上"),
    "economic.target_species": N_("目的树种组成比重占40%以下"),
    "economic.merchantable": N_("商品材预期出材率低于50%"),
    "economic.non_wood_yield": N_("非木质产品连续3年产量较平均水平低30%以上"),
    "economic.non_wood_variety": N_("非木质产品林木或品种退化，已不适应市场需求"),
}

#: 三(二)'s land not to be transformed, by the rule's `excluded_area` codes.
EXCLUSIONS = {
    "nature_reserve": N_("自然保护区林木"),
    "primitive_natural_forest": N_("原始天然林"),
    "special_shrub": N_("特殊灌木林"),
    "protected_wild_plants": N_("国家和省级重点保护的野生植物"),
    "biodiversity_typical_area": N_("生物多样性典型区域"),
    "fragile_public_welfare_land": N_("生态环境脆弱地的公益林地"),
    "disputed_ownership": N_("权属不清或有争议的林地"),
    "excluded": N_("不纳入改造范围的林地"),
}


def _method_label(code) -> str:
    from .models import Method

    try:
        return _(Method(code).label)
    except ValueError:
        return str(code)


def method_word(code) -> str:
    """A method's Chinese name for the trace (the catalogue's word, untranslated: traces are
    Chinese like the gazette)."""
    from .models import Method

    try:
        return str(Method(code).label)
    except ValueError:
        return "改造方式"


def subsidy(decision, result, focus) -> None:
    """四(三): 试点每亩200元、正常改造每亩100元；设计批准后拨50%，其余验收后拨付."""
    f = facts(decision)
    kind = _("试点项目") if f.get("pilot") else _("正常改造项目")
    if not ok_number(f.get("amount_yuan")) or float(f["amount_yuan"]) <= 0:
        result["sentence"] = _("%(k)s未填报改造面积，没有市级补助%(w)s；按设计面积填报后再计算。") % {
            "k": kind, "w": where(DOC, "四(三)")}
        return
    result["sentence"] = _(
        "%(k)s改造%(a)s亩，每亩补助%(r)s，市级补助共%(m)s：设计批准后拨付%(f)s，其余%(s)s验收后拨付%(w)s。") % {
        "k": kind, "a": number(f.get("area_mu")), "r": money(f.get("rate")), "m": money(f.get("amount_yuan")),
        "f": money(f.get("on_design_approval_yuan")), "s": money(f.get("after_acceptance_yuan")),
        "w": where(DOC, "四(三)")}


def low_yield(decision, result, focus) -> None:
    """三(一) standards (any one), 三(二) exclusions."""
    f = facts(decision)
    outcome = decision.get("outcome")
    if outcome == "excluded":
        code = f.get("excluded_area")
        label = _(EXCLUSIONS.get(code, EXCLUSIONS["excluded"]))
        result["findings"] = []
        result["sentence"] = _("该林地属于%(e)s，不纳入中低产林改造范围%(w)s。") % {
            "e": label, "w": where(DOC, "三(二)")} + (
            _("权属明确、争议解决后，可再请县（市）区林业行政主管部门界定。") if code == "disputed_ownership" else "")
        return
    if outcome == "not_low_yield":
        todo = _("此项不符合；以下标准符合任一项即可")
        for x in result["findings"]:
            x["todo"] = todo
        result["sentence"] = _("不属于中低产林：总体、生态、经济标准没有一项符合%(w)s，不能纳入中低产林改造；"
                               "调查数据有误的，请县（市）区林业行政主管部门按森林资源调查结果核实后重新界定。") % {
            "w": where(DOC, "三(一)")}
        return
    met = [_(CRITERIA[k]) for k in (decision.get("criteria_met") or []) if k in CRITERIA]
    result["sentence"] = _("属于中低产林，可纳入改造范围：符合“%(c)s”%(w)s。") % {
        "c": "”“".join(met) or "—", "w": where(DOC, "三(一)")}


def methods(decision, result, focus) -> None:
    """三(三): 公益林、重点水源涵养区禁止皆伐性改造；重点水源区等只选五种方式."""
    f = facts(decision)
    allowed = sep("、").join(_method_label(m) for m in (decision.get("allowed_methods") or [])) or "—"
    chosen = f.get("method")
    if decision.get("outcome") == "forbidden":
        set_todo(result, "method", _("可改用%(l)s") % {"l": allowed})
        result["sentence"] = _("该林地不能采用%(m)s；可采用的改造方式：%(l)s%(w)s。") % {
            "m": _method_label(chosen), "l": allowed, "w": where(DOC, "三(三)")}
    elif decision.get("outcome") == "allowed":
        result["sentence"] = _("该林地可以采用%(m)s%(w)s。") % {"m": _method_label(chosen), "w": where(DOC, "三(三)")}
    else:
        result["sentence"] = _("该林地可采用的改造方式：%(l)s%(w)s。") % {"l": allowed, "w": where(DOC, "三(三)")}


def logging_quota(decision, result, focus) -> None:
    """五(七): 胸径10厘米以下（含）的抚育间伐人工用材林林木只纳入采伐限额."""
    dbh = None
    for s in decision.get("trace") or ():
        v = s.get("values")
        if s.get("check", "").startswith("胸径") and isinstance(v, dict):
            dbh = v.get("value")
    if decision.get("in_timber_production_plan") is False:
        result["sentence"] = _("胸径%(d)s厘米的抚育间伐人工用材林林木，只纳入采伐限额管理，不纳入年度木材生产计划%(w)s。") % {
            "d": number(dbh), "w": where(DOC, "五(七)")}
    else:
        result["sentence"] = _("胸径%(d)s厘米的林木（胸径超过10厘米，或不是抚育间伐人工用材林）纳入采伐限额管理，"
                               "也须纳入年度木材生产计划%(w)s。") % {"d": number(dbh), "w": where(DOC, "五(七)")}


def pilot(decision, result, focus) -> None:
    """四(二): 11月30日前完成一个试点，面积不得低于1000亩."""
    from kmgov.rules.plain import fmt_date

    deadline = decision.get("deadline")
    when = fmt_date(deadline) if deadline else "—"
    minimum = param(decision, "pilot_min_area_mu")
    got = next((s.get("values", {}).get("value") for s in decision.get("trace") or ()
                if s.get("check", "").startswith("试点面积") and isinstance(s.get("values"), dict)), None)
    if result["refused"]:
        if ok_number(got) and ok_number(minimum):
            set_todo(result, "pilot_area_mu", _(
                "将试点面积扩大%(d)s亩，达到%(m)s亩以上，并在%(t)s前完成；试点设计须报市主管部门批准后方可施工（四(二)）") % {
                "d": number(float(minimum) - float(got)), "m": number(minimum), "t": when})
        result["sentence"] = _("试点面积%(a)s亩，低于%(m)s亩，不符合试点要求%(w)s。") % {
            "a": number(got), "m": number(minimum), "w": where(DOC, "四(二)")}
        return
    result["sentence"] = _("试点面积%(a)s亩，达到不低于%(m)s亩的要求；须在%(t)s前完成%(w)s。") % {
        "a": number(got), "m": number(minimum), "t": when, "w": where(DOC, "四(二)")}


def county_tasks(decision, result, focus) -> None:
    check_sentence(result, decision, DOC, _("各县区改造任务与全市规划的复核"))
    if not result["findings"]:
        result["sentence"] = _("各县（市）区改造任务之和%(s)s万亩，与全市规划%(p)s万亩一致%(w)s。") % {
            "s": number(decision.get("sum_wan_mu")), "p": number(decision.get("plan_wan_mu")),
            "w": where(DOC, "四(一)")}


def village(decision, result, focus) -> None:
    """五(五): 集体林地经民主决策同意（到会人员过半数，解释）."""
    f = facts(decision)
    votes, attendance = f.get("votes_for"), f.get("attendance")
    share = decision.get("share_for")
    majority = param(decision, "village_decision_majority", 0.5)
    if result["refused"]:
        if ok_number(votes) and ok_number(attendance) and votes <= attendance:
            need = math.floor(float(attendance) * float(majority)) + 1 - int(votes)
            set_todo(result, "votes_for", _(
                "同意人数须超过到会人数的半数，还需%(n)d人同意；重新表决通过后，报县级林业行政主管部门审批（五(五)）") % {
                "n": max(need, 1)})
            for x in result["findings"]:
                if x.get("field") == "votes_for" and x.get("condition") == _("同意人数不超过到会人数"):
                    x["todo"] = _("同意人数不能多于到会人数，请核对表决记录")
        elif ok_number(votes) and ok_number(attendance):
            set_todo(result, "votes_for", _("同意人数不能多于到会人数，请核对表决记录"))
        if ok_number(votes) and ok_number(attendance) and votes > attendance:
            result["sentence"] = _("同意%(v)s人多于到会%(a)s人，表决记录有误，不能认定经民主决策同意%(w)s。") % {
                "a": number(attendance), "v": number(votes), "w": where(DOC, "五(五)")}
            return
        result["sentence"] = _("到会%(a)s人，同意%(v)s人（%(p)s），未超过半数：集体林地改造未经民主决策同意%(w)s。") % {
            "a": number(attendance), "v": number(votes), "p": percent(share), "w": where(DOC, "五(五)")}
        return
    result["sentence"] = _("到会%(a)s人，同意%(v)s人（%(p)s），超过半数：经民主决策同意，可报县级林业行政主管部门审批%(w)s。") % {
        "a": number(attendance), "v": number(votes), "p": percent(share), "w": where(DOC, "五(五)")}

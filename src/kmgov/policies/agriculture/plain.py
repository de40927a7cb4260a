"""59号's decisions said plainly (`@rule(plain=…)`, kmgov.rules.plain): the result in the
applicant's terms with the amount, and for an unmet condition what the gazette lets them do."""

from __future__ import annotations

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
    step_value,
    where,
)
from kmgov.rules.plain import sep

DOC = N_("59号")  # the short name in a sentence's bracket


def conversion(decision, result, focus) -> None:
    """四(二): 每亩一次性补助1000元."""
    f = facts(decision)
    if result["refused"]:
        result["sentence"] = _("不能获得种植业结构调整补助：%(n)d项条件未满足%(w)s。") % {
            "n": len(result["findings"]), "w": where(DOC, "四(二)")}
        return
    result["sentence"] = _("调整%(a)s亩，每亩一次性补助%(r)s，可获补助%(m)s%(w)s。") % {
        "a": number(f.get("area_mu")), "r": money(f.get("rate")), "m": money(f.get("amount_yuan")),
        "w": where(DOC, "四(二)")}


def offsite_rent(decision, result, focus) -> None:
    """四(三): 连片5亩以上，每亩500元/年，连续补助3年."""
    f = facts(decision)
    if result["refused"]:
        minimum = param(decision, "offsite_rent_min_area")
        for x in result["findings"]:
            if x.get("field") == "contiguous_area_mu":
                got = next((u.get("value") for u in decision.get("unmet") or ()
                            if u.get("field") == "contiguous_area_mu"), None)
                if ok_number(got) and ok_number(minimum):
                    x["todo"] = _("再连片租种%(d)s亩，连片面积达到%(m)s亩后即可申请") % {
                        "d": number(float(minimum) - float(got)), "m": number(minimum)}
        result["sentence"] = _("不能获得到滇池流域以外租地种植补助：%(n)d项条件未满足%(w)s。") % {
            "n": len(result["findings"]), "w": where(DOC, "四(三)")}
        return
    years = f.get("years_subsidised")
    result["sentence"] = _("连片租地%(a)s亩，每亩每年补助%(r)s，每年%(y)s，补助%(n)s年共%(m)s%(w)s。") % {
        "a": number(f.get("contiguous_area_mu", step_value(decision, "连片面积"))),
        "r": money(param(decision, "offsite_rent_rate")), "y": money(f.get("per_year_yuan")),
        "n": number(years), "m": money(f.get("amount_yuan")), "w": where(DOC, "四(三)")}


def training(decision, result, focus) -> None:
    """四(四): 800元/人."""
    f = facts(decision)
    if result["refused"]:
        result["sentence"] = _("未填报经技能培训并转移的劳动力，没有补助%(w)s。") % {"w": where(DOC, "四(四)")}
        return
    result["sentence"] = _("培训转移劳动力%(p)s人，按每人%(r)s可获补助%(m)s%(w)s。") % {
        "p": number(f.get("people")), "r": money(f.get("rate")), "m": money(f.get("amount_yuan")),
        "w": where(DOC, "四(四)")}


def land_transfer(decision, result, focus) -> None:
    """四(五): 1000—2000亩每亩100元，2000—3000亩150元，3000亩以上200元 (the shared boundary and
    below 1000亩 are interpretations)."""
    f = facts(decision)
    area, amount, rate = f.get("area_mu"), f.get("amount_yuan"), f.get("rate_yuan_per_mu")
    brackets = param(decision, "land_transfer_reward") or []
    lowest = brackets[0][0] if brackets and brackets[0] else 1000
    short = ok_number(area) and float(area) < float(lowest)
    if short:
        todo = _("再流转%(d)s亩，流转面积达到%(m)s亩即可按每亩%(r)s获得一次性奖励") % {
            "d": number(float(lowest) - float(area)), "m": number(lowest),
            "r": money(brackets[0][1] if brackets else 100)}
        set_todo(result, "area_mu", todo)
    if not ok_number(amount) or float(amount) <= 0:
        result["sentence"] = _("流转%(a)s亩，不足%(m)s亩，不能获得土地流转一次性奖励%(w)s。") % {
            "a": number(area), "m": number(lowest), "w": where(DOC, "四(五)")}
        return
    result["sentence"] = _("流转%(a)s亩，按每亩%(r)s，可获一次性奖励%(m)s%(w)s。") % {
        "a": number(area), "r": money(rate), "m": money(amount), "w": where(DOC, "四(五)")}


def cost_share(decision, result, focus) -> None:
    """四(七): 市、县 2:8、7:3、8:2."""
    f = facts(decision)
    if result["refused"]:
        set_todo(result, "district", _(
            "此分担比例只适用于滇池流域的五华区、盘龙区、官渡区、西山区、呈贡县、晋宁县和三个开发（度假）区；"
            "县区名称写法不同的，请按公报写法更正；流域以外承接调整的县区，农业基础设施建设由所在县区按项目争取扶持（四(六)）"))
        result["sentence"] = _("%(d)s不在59号所列市、县分担范围内，市级不承担%(w)s。") % {
            "d": f.get("district") or "—", "w": where(DOC, "四(七)")}
        return
    share = f.get("city_share")
    ratio = "—"
    if ok_number(share):
        city = round(float(share) * 10)
        ratio = f"{city}：{10 - city}"
    place = (f.get("district") or "") + (f.get("township") or "")
    result["sentence"] = _("%(p)s：市、县按%(r)s分担，%(a)s中市级承担%(c)s，县级承担%(k)s%(w)s。") % {
        "p": place, "r": ratio, "a": money(f.get("amount_yuan")), "c": money(f.get("city_yuan")),
        "k": money(f.get("county_yuan")), "w": where(DOC, "四(七)")}


def loan_interest(decision, result, focus) -> None:
    """四(一): 贴息期限3年，贴息率不高于同期基准利率."""
    f = facts(decision)
    amount = f.get("amount_yuan")
    if not ok_number(amount) or float(amount) <= 0:
        result["sentence"] = _("按所填本金、利率和年数，贴息为0元%(w)s；请填写贷款本金、贷款年利率和申请贴息的年数。") % {
            "w": where(DOC, "四(一)")}
        return
    notes = []
    if ok_number(f.get("loan_rate")) and ok_number(f.get("benchmark_rate")) \
            and float(f["loan_rate"]) > float(f["benchmark_rate"]):
        notes.append(_("贷款利率高于基准利率，按基准利率贴息"))
    if ok_number(f.get("years")) and ok_number(f.get("max_years")) and float(f["years"]) > float(f["max_years"]):
        notes.append(_("贴息期限最长%(y)s年") % {"y": number(f["max_years"])})
    result["sentence"] = _("贷款本金%(p)s，贴息率%(r)s，贴息%(y)s年，可获贴息%(m)s%(w)s%(n)s。") % {
        "p": money(f.get("principal_yuan")), "r": percent(f.get("subsidy_rate")),
        "y": number(f.get("years_subsidised")), "m": money(amount), "w": where(DOC, "四(一)"),
        "n": (sep("；") + sep("；").join(notes)) if notes else ""}


def annex_check(decision, result, focus) -> None:
    check_sentence(result, decision, DOC, _("附件1计划表与附件2经费测算表的复核"))


def annex1_check(decision, result, focus) -> None:
    check_sentence(result, decision, DOC, _("附件1计划表的复核"))


def annex2_check(decision, result, focus) -> None:
    check_sentence(result, decision, DOC, _("附件2经费测算表的复核"))

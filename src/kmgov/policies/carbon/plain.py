"""60号's decisions said plainly (`@rule(plain=…)`, kmgov.rules.plain): a footprint and what it
costs to offset, the donor's sign, the growth of a forest, the 2015 greening targets and the
city's yearly funds."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from kmgov.policies._plain_words import facts, make_finding, money, number, ok_number, param, where
from kmgov.rules.plain import sep

DOC = N_("60号")  # the short name in a sentence's bracket
FULL = "昆政发〔2010〕60号"

#: 二(二)'s indicators, by the rule's input names.
GREENING = {
    "green_space_rate": N_("建成区绿地率"),
    "green_coverage_rate": N_("绿化覆盖率"),
    "public_green_per_person_m2": N_("人均公共绿地"),
    "centre_public_green_per_person_m2": N_("城市中心区人均公共绿地"),
    "forest_cover_rate": N_("森林覆盖率"),
    "tree_cover_rate": N_("林木绿化率"),
}


def _sign_words(decision, area, result) -> str:
    """三(一): 捐资达到营建10亩及以上碳汇林的挂“××碳汇林”标牌 — said, or what is missing."""
    minimum = param(decision, "sign_min_area_mu", 10)
    per_mu = param(decision, "afforestation_cost_per_mu", 500)
    if decision.get("sign_eligible") or decision.get("outcome") == "eligible":
        return _("达到营建%(m)s亩及以上碳汇林，出资造林的林木可挂“××碳汇林”标牌（三(一)）。") % {"m": number(minimum)}
    if not ok_number(area):
        return ""
    need = max(float(minimum) - float(area), 0) * float(per_mu)
    todo = _("再捐资%(d)s，累计达到%(t)s（营建%(m)s亩）即可挂牌") % {
        "d": money(need), "t": money(float(minimum) * float(per_mu)), "m": number(minimum)}
    result["findings"] = [make_finding(
        _("捐资达到营建%(m)s亩及以上碳汇林：挂“××碳汇林”标牌") % {"m": number(minimum)},
        _("可营建%(a)s亩，不足%(m)s亩") % {"a": number(area), "m": number(minimum)},
        f"{FULL} 三(一)", todo, field="donation_yuan")]
    return ""


def offset(decision, result, focus) -> None:
    """三(二): 2.7公斤/升，1000元/吨，500元/亩；三(一)4: 10公里1棵树；三(一): 标牌."""
    f = facts(decision)
    co2, cost, area = decision.get("co2_tonnes"), decision.get("cost_yuan"), decision.get("area_mu")
    per_tonne = param(decision, "cost_per_tonne", 1000)
    w = where(DOC, "三(二)")
    result["findings"] = []
    if ok_number(f.get("km_travelled")):
        result["sentence"] = _("出游%(k)s公里，按“出游10公里，请种1棵树”，请种%(n)s棵树%(w)s；公报未给出里程与二氧化碳的换算。") % {
            "k": number(f["km_travelled"]), "n": number(decision.get("trees")), "w": where(DOC, "三(一)4")}
        return
    if ok_number(f.get("fuel_litres")):
        head = _("消耗燃油%(l)s升，排放约%(t)s吨二氧化碳；") % {"l": number(f["fuel_litres"]), "t": number(co2)}
    elif ok_number(f.get("donation_yuan")):
        head = ""
    else:
        head = _("排放%(t)s吨二氧化碳；") % {"t": number(co2)}
    if head:
        body = _("按吸收1吨二氧化碳的造林成本%(p)s，需捐资%(c)s抵消，可营建碳汇林%(a)s亩%(w)s。") % {
            "p": money(per_tonne), "c": money(cost), "a": number(area), "w": w}
    else:
        body = _("捐资%(c)s可营建碳汇林%(a)s亩，约抵消%(t)s吨二氧化碳%(w)s。") % {
            "c": money(cost), "a": number(area), "t": number(co2), "w": w}
    result["sentence"] = head + body + _sign_words(decision, area, result)


def donor_sign(decision, result, focus) -> None:
    """三(一): 捐资达到营建10亩及以上碳汇林（500元/亩）的挂牌."""
    f = facts(decision)
    area = decision.get("area_mu")
    minimum = param(decision, "sign_min_area_mu", 10)
    if result["refused"]:
        per_mu = param(decision, "afforestation_cost_per_mu", 500)
        todo = _("再捐资%(d)s，累计达到%(t)s（营建%(m)s亩）即可挂牌") % {
            "d": money(max(float(minimum) - float(area or 0), 0) * float(per_mu)),
            "t": money(float(minimum) * float(per_mu)), "m": number(minimum)}
        for x in result["findings"]:
            x["todo"] = todo
        result["sentence"] = _("捐资%(c)s可营建碳汇林%(a)s亩，不足%(m)s亩，尚不能挂“××碳汇林”标牌%(w)s。") % {
            "c": money(f.get("donation_yuan")), "a": number(area), "m": number(minimum), "w": where(DOC, "三(一)")}
        return
    result["sentence"] = _("捐资%(c)s可营建碳汇林%(a)s亩，达到%(m)s亩及以上，出资造林的林木挂“××碳汇林”标牌%(w)s。") % {
        "c": money(f.get("donation_yuan")), "a": number(area), "m": number(minimum), "w": where(DOC, "三(一)")}


def growth(decision, result, focus) -> None:
    """一(一): 每立方米蓄积吸收1.83吨二氧化碳、释放1.62吨氧气."""
    f = facts(decision)
    result["sentence"] = _("森林蓄积生长%(v)s立方米，约吸收%(c)s吨二氧化碳、释放%(o)s吨氧气%(w)s。") % {
        "v": number(f.get("volume_m3")), "c": number(decision.get("co2_tonnes")),
        "o": number(decision.get("o2_tonnes")), "w": where(DOC, "一(一)")}


def greening(decision, result, focus) -> None:
    """二(二): 2015年目标（以上，含本数）."""
    missing = [_(GREENING[k]) for k in decision.get("not_reported") or () if k in GREENING]
    tail = (_("；尚未报告：%(l)s") % {"l": sep("、").join(missing)}) if missing else ""
    w = where(DOC, "二(二)")
    for x in result["findings"]:
        key = x.get("field")
        u = next((u for u in decision.get("unmet") or () if u.get("field") == key), None)
        if u and ok_number(u.get("value")) and ok_number(u.get("threshold")):
            gap = float(u["threshold"]) - float(u["value"])
            d = (_("%(d)s个百分点") % {"d": number(round(gap * 100, 2))}) if key.endswith("_rate") \
                else (_("%(d)s平方米/人") % {"d": number(round(gap, 2))})
            x["todo"] = _("距2015年目标还差%(d)s；推进城乡园林绿化（三(四)2）和林业重点工程建设（三(四)3）") % {"d": d}
    if result["refused"]:
        result["sentence"] = _("%(n)d项指标未达到2015年目标%(w)s%(t)s。") % {
            "n": len(result["findings"]), "w": w, "t": tail}
        return
    met = decision.get("met") or []
    if not met:
        result["sentence"] = _("尚未报告任何绿化指标，无法对照2015年目标%(w)s。") % {"w": w}
        return
    result["sentence"] = _("已报告的%(n)d项指标均达到2015年目标%(w)s%(t)s。") % {"n": len(met), "w": w, "t": tail}


def funding(decision, result, focus) -> None:
    """三(一)1: 2010—2012年每年1000万元；三(一)2: 企业捐赠启动资金力争1000万元."""
    f = facts(decision)
    year, given = f.get("year"), f.get("city_funds_yuan")
    per_year = param(decision, "city_budget_per_year")
    w = where(DOC, "三(一)1")
    outcome = decision.get("outcome")
    if outcome == "not_met":
        gap = float(per_year) - float(given) if ok_number(per_year) and ok_number(given) else None
        for x in result["findings"]:
            x["todo"] = _("还差%(d)s，应在%(y)s年度内补足（三(一)1）") % {"d": money(gap), "y": number(year)}
        sentence = _("%(y)s年市级财政安排%(c)s，低于每年%(r)s%(w)s。") % {
            "y": number(year), "c": money(given), "r": money(per_year), "w": w}
    elif outcome == "met":
        sentence = _("%(y)s年市级财政安排%(c)s，达到每年%(r)s的要求%(w)s。") % {
            "y": number(year), "c": money(given), "r": money(per_year), "w": w}
    else:
        sentence = _("%(y)s年不在2010—2012年市级财政安排期内，不要求安排%(w)s。") % {"y": number(year), "w": w}
    target = param(decision, "enterprise_startup_target")
    startup = decision.get("startup_target_met")
    if startup == 1:
        sentence += _("企业捐赠启动资金已达到%(t)s（三(一)2）。") % {"t": money(target)}
    elif startup == 0:
        sentence += _("企业捐赠启动资金%(d)s，尚未达到力争的%(t)s（三(一)2）。") % {
            "d": money(f.get("donations")), "t": money(target)}
    result["sentence"] = sentence


"""62号's decisions said plainly (`@rule(plain=…)`, kmgov.rules.plain): recognition of a
commercial building, its grade, the reward within its cap, the window and the city's targets."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from kmgov.policies._plain_words import (
    check_sentence,
    facts,
    make_finding,
    money,
    number,
    ok_number,
    param,
    percent,
    step_value,
    where,
)
from kmgov.rules.plain import sep

DOC = N_("62号")  # the short name in a sentence's bracket
FULL = "昆政发〔2010〕62号"

ROUTES = {"comprehensive_building": N_("综合商务楼宇"), "purely_commercial_building": N_("纯商务楼宇")}
GRADES = {"A": N_("甲级"), "B": N_("乙级"), "C": N_("丙级")}


def qualification(decision, result, focus) -> None:
    """附件1 第二条（面积）、第三条（属地纳税）、第七条（当年无违法行为）."""
    f = facts(decision)
    if result["refused"]:
        result["sentence"] = _("不能认定为商务楼宇：%(n)d项条件未满足%(w)s。") % {
            "n": len(result["findings"]), "w": where(DOC, "附件1 第二条、第三条、第七条")}
        return
    route = decision.get("route") or ""
    result["sentence"] = _("符合商务楼宇认定条件，属%(r)s（总建筑面积%(t)s平方米，商务建筑面积%(c)s平方米）%(w)s；"
                           "奖励扶持在每年3月1日至31日申报（第九条）。") % {
        "r": _(ROUTES.get(route, N_("商务楼宇"))),
        "t": number(f.get("total_floor_area_m2", step_value(decision, "综合商务楼宇：总建筑面积"))),
        "c": number(f.get("commercial_floor_area_m2", step_value(decision, "综合商务楼宇：商务建筑面积"))),
        "w": where(DOC, "附件1 第二条")}


def reward_cap(decision, result, focus) -> None:
    """附件1 第二十条: 以财力贡献同比增量为限，新办和成长性好的企业可适当放宽."""
    f = facts(decision)
    requested, cap, amount = f.get("requested"), decision.get("cap_yuan"), decision.get("amount_yuan")
    w = where(DOC, "附件1 第二十条")
    if decision.get("capped"):
        result["sentence"] = _("拟奖励%(r)s超过企业当年对县（市）区财力贡献的同比增量%(c)s，奖励以%(a)s为限%(w)s。") % {
            "r": money(requested), "c": money(cap), "a": money(amount), "w": w}
        todo = (_("该企业为新办或成长性好的企业，可适当放宽，由县（市）区联审会议终审（第二十条、第十一条(二)）")
                if decision.get("relaxable") else
                _("企业当年财力贡献增加后，上限随之提高；新办或成长性好的企业可适当放宽（第二十条）"))
        result["findings"] = [make_finding(
            _("奖励资金以企业当年对县（市）区财力贡献的同比增量为限"),
            _("拟奖励%(r)s，同比增量%(c)s") % {"r": money(requested), "c": money(cap)},
            f"{FULL} 附件1 第二十条", todo)]
        return
    if decision.get("relaxable") and ok_number(requested) and ok_number(cap) and requested > cap:
        result["sentence"] = _("新办或成长性好的企业适当放宽：按拟奖励%(a)s给予（同比增量%(c)s）%(w)s。") % {
            "a": money(amount), "c": money(cap), "w": w}
        return
    result["sentence"] = _("拟奖励%(r)s未超过企业当年对县（市）区财力贡献的同比增量%(c)s，可全额给予%(w)s。") % {
        "r": money(requested), "c": money(cap), "w": w}


def best_single(decision, result, focus) -> None:
    """附件1 第二十一条: 多项政策只能择优享受一项."""
    f = facts(decision)
    options = f.get("options") or []
    forgone = decision.get("forgone") or []
    w = where(DOC, "附件1 第二十一条")
    if len(options) <= 1:
        result["sentence"] = _("可享受的政策只有一项：%(p)s，%(a)s%(w)s。") % {
            "p": decision.get("chosen_policy") or "—", "a": money(decision.get("amount_yuan")), "w": w}
        return
    result["sentence"] = _("%(n)d项政策只能择优享受一项：享受%(p)s，%(a)s；不再享受%(f)s%(w)s。") % {
        "n": len(options), "p": decision.get("chosen_policy") or "—", "a": money(decision.get("amount_yuan")),
        "f": sep("、").join(str(x) for x in forgone) or "—", "w": w}


def index_check(decision, result, focus) -> None:
    check_sentence(result, decision, DOC, _("楼宇经济发展指数指标体系的复核"))


def window(decision, result, focus) -> None:
    """附件1 第九条: 每年3月1日至31日."""
    from kmgov.rules.plain import fmt_date

    f = facts(decision)
    filed, start, end = f.get("filed_on"), decision.get("window_start"), decision.get("window_end")
    if not (filed and start and end):
        return
    w = where(DOC, "附件1 第九条")
    if decision.get("outcome") == "open":
        result["sentence"] = _("%(d)s在申报期内（%(s)s至%(e)s）%(w)s。") % {
            "d": fmt_date(filed), "s": fmt_date(start), "e": fmt_date(end), "w": w}
        return
    s, e = dt.date.fromisoformat(start[:10]), dt.date.fromisoformat(end[:10])
    if dt.date.fromisoformat(filed[:10]) > e:
        s, e = s.replace(year=s.year + 1), e.replace(year=e.year + 1)
    todo = _("请在%(s)s至%(e)s申报") % {"s": fmt_date(s), "e": fmt_date(e)}
    for x in result["findings"]:
        x["todo"] = todo
    result["sentence"] = _("%(d)s不在申报期内：商务楼宇奖励扶持每年3月1日至31日申报%(w)s；%(t)s。") % {
        "d": fmt_date(filed), "w": w, "t": todo}


# 附件1 第十二条: each criterion, the value the trace shows, the parameter of its lines, and words.
_CRITERIA = (
    ("tax_level", "楼宇税收（元）", "grade_tax_yuan", N_("税收贡献")),
    ("scale_level", "总建筑面积（平方米）", "grade_scale_m2", N_("建设规模")),
    ("facilities_level", "具备的设施（项）", "grade_facilities_min", N_("设备设施")),
    ("management_grade", "物业服务企业资质", "grade_management", N_("管理服务")),
)


def _requirement(key: str, lines, better: str) -> tuple[str, str]:
    """What a criterion needs for the grade `better` ("A" or "B"), and what to do."""
    i = 0 if better == "A" else 1
    line = lines[i] if isinstance(lines, (list, tuple)) and len(lines) > i else None
    if key == "tax_level":
        need = (_("楼宇内企业年度税收达到%(v)s") if better == "A" else _("楼宇内企业年度税收超过%(v)s")) % {
            "v": money(line)}
        return need, _("提高楼宇内企业的税收贡献（楼宇招商，四(一)）")
    if key == "scale_level":
        return (_("总建筑面积%(v)s平方米以上") % {"v": number(line)},
                _("建设规模按总建筑面积计，不能通过申报改变"))
    if key == "facilities_level":
        return (_("具备配套设施%(v)s项以上") % {"v": number(line)},
                _("完善停车场、餐饮、会展、娱乐休闲、周边交通等配套设施（四(二)）和楼宇智能化、信息化（三(四)）"))
    return (_("物业服务企业为%(v)s") % {"v": line or "—"},
            _("聘请资质更高的物业服务企业，提升管理服务（第十八条）"))


def grade(decision, result, focus) -> None:
    """附件1 第十二条: 四项标准，楼宇的等级取最低的一项（分级线为解释性参数）."""
    f = facts(decision)
    final = decision.get("grade") or "C"
    levels = {k: decision.get(k) for k, *_rest in _CRITERIA}
    words = sep("、").join(_("%(c)s%(g)s") % {"c": _(label), "g": _(GRADES.get(levels[k] or "", "—"))}
                      for k, _v, _p, label in _CRITERIA)
    result["sentence"] = _("该楼宇评为%(g)s：%(l)s，取四项中最低的一项%(w)s。") % {
        "g": _(GRADES.get(final, final)), "l": words, "w": where(DOC, "附件1 第十二条")}
    if final == "A":
        result["findings"] = []
        return
    better = "A" if final == "B" else "B"
    fs = []
    for key, shown, par, label in _CRITERIA:
        if levels.get(key) != final:
            continue
        need, todo = _requirement(key, param(decision, par), better)
        value = f.get(shown)
        found = _("实际为%(v)s，为%(g)s") % {
            "v": money(value) if key == "tax_level" else (
                _("%(n)s平方米") % {"n": number(value)} if key == "scale_level" else (
                    _("%(n)s项") % {"n": number(value)} if key == "facilities_level" else str(value or "—"))),
            "g": _(GRADES.get(final, final))}
        fs.append(make_finding(_("%(g)s的%(c)s：%(n)s") % {"g": _(GRADES[better]), "c": _(label), "n": need},
                               found, f"{FULL} 附件1 第十二条", todo))
    result["findings"] = fs
    result["sentence"] += _("要评为%(b)s，须以下%(n)d项都达到%(b)s。") % {"b": _(GRADES[better]), "n": len(fs)}


_TARGET_TODO = {
    "buildings_tax_over_10m": N_("还差%(d)s栋税收超过1000万元的商务楼宇；以存量楼宇二次招商和在建楼宇招商培育（四(一)）"),
    "buildings_tax_over_100m": N_("还差%(d)s栋税收亿元楼；以楼宇招商培育（四(一)）"),
    "clusters": N_("还差%(d)s个特色楼宇经济聚集区；各县（市）区可根据产业优势培育金融楼、外贸楼等特色产业楼宇聚集区（三(三)）"),
    "building_tax_share": N_("楼宇税收占比还差%(d)s个百分点"),
    "occupancy_rate": N_("入驻率还差%(d)s个百分点；以存量楼宇的二次招商提高入驻率（四(一)）"),
}


def targets(decision, result, focus) -> None:
    """二(三): 2012年、2015年目标."""
    period = "2015" if param(decision, "targets_2015") is not None else "2012"
    counts = {"a": number(decision.get("buildings_tax_over_10m")), "b": number(decision.get("buildings_tax_over_100m"))}
    for x in result["findings"]:
        key = x.get("field")
        u = next((u for u in decision.get("unmet") or () if u.get("field") == key), None)
        if key in _TARGET_TODO and u and ok_number(u.get("value")) and ok_number(u.get("threshold")):
            gap = float(u["threshold"]) - float(u["value"])
            d = number(round(gap * 100, 2)) if key in ("building_tax_share", "occupancy_rate") else number(gap)
            x["todo"] = _(_TARGET_TODO[key]) % {"d": d}
    w = where(DOC, "二(三)")
    if result["refused"]:
        result["sentence"] = _("对照%(p)s年目标，%(n)d项尚未达到%(w)s：税收过千万元的商务楼宇%(a)s栋，税收亿元楼%(b)s栋。") % {
            "p": period, "n": len(result["findings"]), "w": w, **counts}
        return
    extra = ""
    if ok_number(decision.get("building_tax_share")):
        extra += _("，楼宇税收占比%(s)s") % {"s": percent(decision["building_tax_share"])}
    if ok_number(decision.get("occupancy_rate")):
        extra += _("，入驻率%(s)s") % {"s": percent(decision["occupancy_rate"])}
    result["sentence"] = _("%(p)s年目标已全部达到%(w)s：税收过千万元的商务楼宇%(a)s栋，税收亿元楼%(b)s栋%(x)s。") % {
        "p": period, "w": w, "x": extra, **counts}

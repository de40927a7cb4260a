"""108号's decisions said plainly (`@rule(plain=…)`, kmgov.rules.plain): the reward of a
mediation committee with its rates, the budget left, the phase, the city's and county's shares."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from kmgov.policies._plain_words import (
    facts,
    money,
    number,
    ok_number,
    percent,
    set_todo,
    step_value,
    where,
)
from kmgov.rules.plain import sep

DOC = N_("108号")  # the short name in a sentence's bracket
A = "附件 "

#: 三's phases, by the codes of the parameter `mediation.phases`.
PHASES = {"mobilisation": N_("动员启动"), "implementation": N_("组织实施"), "assessment": N_("总结考核")}

#: 三(二)2's conditions of the committee's 适当奖励, by the rule's input names.
COMMITTEE = {
    "no_criminal_case": N_("责任范围内未发生刑事案件"),
    "no_collective_petition": N_("未发生集体上访和群体性事件"),
    "disputes_down_on_year": N_("各类纠纷减少且与上年同比下降"),
}


def reward(decision, result, focus) -> None:
    """三(二)3: 普通100元、疑难300元、重大500元每件（县区可自定）；三(二)2: 调解委员会适当奖励."""
    f = facts(decision)
    rates = decision.get("rates") or {}
    source = str(decision.get("rate_source") or "reference")
    basis = (_("%(c)s自定的标准") % {"c": source.split(":", 1)[1]}) if source.startswith("county:") \
        else _("市参照标准")
    counts = [f.get(k) for k in ("ordinary", "difficult", "major")]
    total = sum(int(c) for c in counts if ok_number(c))
    if total == 0:
        result["sentence"] = _("未填报成功调解的纠纷件数，计件奖励为0元%(w)s；以签订的人民调解协议书为依据，按普通、疑难、重大分别填报件数。") % {
            "w": where(DOC, A + "三(二)2")}
    else:
        result["sentence"] = _(
            "成功调解普通纠纷%(o)s件、疑难纠纷%(d)s件、重大纠纷%(m)s件，按%(b)s（每件%(ro)s、%(rd)s、%(rm)s）"
            "奖励合计%(t)s%(w)s。") % {
            "o": number(counts[0]), "d": number(counts[1]), "m": number(counts[2]), "b": basis,
            "ro": money(rates.get("ordinary")), "rd": money(rates.get("difficult")), "rm": money(rates.get("major")),
            "t": money(decision.get("amount_yuan")), "w": where(DOC, A + "三(二)3")}
    missing = [_(w) for k, w in COMMITTEE.items() if f.get(k) is False]
    if decision.get("committee_reward_eligible"):
        result["sentence"] += _("调解委员会还符合“适当奖励”的条件，金额由县（市）区确定%(w)s。") % {
            "w": where(DOC, A + "三(二)2")}
    elif missing:
        result["sentence"] += _("调解委员会的“适当奖励”还须做到：%(l)s%(w)s。") % {
            "l": sep("、").join(f"“{m}”" for m in missing), "w": where(DOC, A + "三(二)2")}


def budget(decision, result, focus) -> None:
    """三(二)4: 总额600万元，市级300万元."""
    f = facts(decision)
    total_left, city_left = decision.get("remaining_yuan"), decision.get("city_remaining_yuan")
    if result["refused"]:
        if ok_number(total_left) and total_left < 0:
            set_todo(result, "total_rewards_yuan", _("奖励经费总额以600万元为限，超出%(x)s，须核减后再兑现（三(二)4）") % {
                "x": money(-total_left)})
        if ok_number(city_left) and city_left < 0:
            set_todo(result, "city_funds_yuan", _("市级财政安排以300万元为限，超出的%(x)s应由县（市）区财政分担（三(二)4）") % {
                "x": money(-city_left)})
        result["sentence"] = _("奖励经费超出额度：%(n)d项超过三(二)4所定的数额%(w)s。") % {
            "n": len(result["findings"]), "w": where(DOC, A + "三(二)4")}
        return
    result["sentence"] = _("奖励经费合计%(t)s，未超过600万元，尚余%(r)s；其中市级%(c)s，尚余%(cr)s%(w)s。") % {
        "t": money(f.get("total_rewards_yuan", step_value(decision, "奖励经费合计"))), "r": money(total_left),
        "c": money(f.get("city_funds_yuan", step_value(decision, "市级资金"))),
        "cr": money(city_left),
        "w": where(DOC, A + "三(二)4")}


def phase(decision, result, focus) -> None:
    """三: 动员启动、组织实施、总结考核."""
    from kmgov.rules.plain import fmt_date

    on = facts(decision).get("on")
    day = fmt_date(on) if on else "—"
    code = decision.get("phase")
    if not code:
        result["sentence"] = _("%(d)s不在试行工作期间（2010年5月至12月）内%(w)s。") % {"d": day, "w": where(DOC, A + "三")}
        return
    result["sentence"] = _("%(d)s处于%(p)s阶段（%(s)s至%(e)s）%(w)s。") % {
        "d": day, "p": _(PHASES.get(code, code)), "s": fmt_date(decision["phase_start"]),
        "e": fmt_date(decision["phase_end"]), "w": where(DOC, A + "三")}


def split(decision, result, focus) -> None:
    """三(二)4: 600万元中市级300万元 (each payment's share: an interpretation)."""
    f = facts(decision)
    result["sentence"] = _("奖励%(a)s由市、县两级分担：市级%(c)s（%(s)s），县级%(k)s%(w)s。") % {
        "a": money(f.get("amount_yuan")), "c": money(decision.get("city_yuan")),
        "s": percent(decision.get("city_share")), "k": money(decision.get("county_yuan")),
        "w": where(DOC, A + "三(二)4")}

"""A decision said plainly: one sentence of result, then for each unmet condition what was
found, what the gazette requires, the provision and what to do — derived from the decision's
trace, never written by hand in a template.

    from kmgov.rules.plain import explain
    p = explain(decision.to_dict())            # or a kept record's `as_decision()`
    p["sentence"]      "不符合条件：有2项条件未满足。"
    p["findings"]      [{"condition", "found", "required", "citation", "todo", "text"}, …]
    p["text"]          the whole explanation as one paragraph (the API's `summary`)

Values are formatted for people (`fmt_value`): amounts in 万元/元 by the parameter's unit
(`CNY`) or the field's name (`…_yuan`), areas in 亩, shares as percentages, dates as
2010年9月16日, booleans 是/否, lists as lists.

A rule words its own outcome with `@rule(..., plain=fn)`: `fn(decision, result, focus)` may
change `result["sentence"]`, keep only some findings or give them a `todo` (e.g. 63号: the type
applied for, and the types the enterprise could apply for instead). A single condition gives
its own advice with `c.threshold(..., todo="…")` / `c.condition(..., todo="…")`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from .citation import Citation
from .errors import UnknownRule
from .labels import amount_label, input_label, outcome_label
from .parameters import PARAMETERS
from .registry import get_rule

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRAILING_REF = re.compile(r"（[^（）]*[条款项号元亩][^（）]*）$")

#: Units of the parameter files in words (after the number): catalogue msgids, so an English
#: page says "5 mu", not "5亩". A count of things (people, years, times …) is in `_COUNTED`.
UNIT_WORDS = {
    "mu": N_("亩"), "10k mu": N_("万亩"), "m2": N_("平方米"), "person": N_("人"), "year": N_("年"),
    "month": N_("个月"), "day": N_("日"), "hour": N_("小时"), "enterprise": N_("个"),
    "工作日": N_("个工作日"), "time": N_("次"), "time/year": N_("次/年"),
    "time/quarter": N_("次/季度"), "time/month": N_("次/月"), "CNY/mu": N_("元/亩"),
    "CNY/case": N_("元/件"), "CNY/year": N_("元/年"), "CNY/t": N_("元/吨"), "CNY/person": N_("元/人"),
    "CNY/mu/year": N_("元/亩/年"), "t/m3": N_("吨/立方米"), "kg/l": N_("千克/升"), "cm": N_("厘米"),
    "accident": N_("起"), "session/year": N_("次/年"), "m2/person": N_("平方米/人"),
    "t/mu/year": N_("吨/亩/年"), "hour/day": N_("小时/日"), "km/tree": N_("千米/株"),
}

#: Units that count things, worded with ngettext (English: "1 person", "12 people"). Each
#: call is written out so that makemessages finds it.
_COUNTED = {
    "person": lambda n: ngettext("%(n)s人", "%(n)s人", n),
    "year": lambda n: ngettext("%(n)s年", "%(n)s年", n),
    "month": lambda n: ngettext("%(n)s个月", "%(n)s个月", n),
    "day": lambda n: ngettext("%(n)s日", "%(n)s日", n),
    "hour": lambda n: ngettext("%(n)s小时", "%(n)s小时", n),
    "enterprise": lambda n: ngettext("%(n)s个", "%(n)s个", n),
    "工作日": lambda n: ngettext("%(n)s个工作日", "%(n)s个工作日", n),
    "time": lambda n: ngettext("%(n)s次", "%(n)s次", n),
    "accident": lambda n: ngettext("%(n)s起", "%(n)s起", n),
}


#: The separators `sep` is given (listed so that makemessages finds them).
SEPARATORS = (N_("；"), N_("，"), N_("、"), N_("："))


def sep(mark: str) -> str:
    """A separator as the active language writes it: "；" "，" "、" "：" are catalogue msgids
    ("; " ", " ", " ": " in English), so joined findings and values read naturally."""
    return _(mark)


def with_unit(number: str, unit: str) -> str:
    """A formatted number and a unit word, glued in Chinese (5亩), spaced in English (5 mu)."""
    return _("%(n)s%(u)s") % {"n": number, "u": _(unit).strip()}


def _number(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _short(v: float) -> str:
    """A count of 万 or 亿 as the gazette writes it: 2500, 37.5 (no thousands separator)."""
    return str(int(v)) if v == int(v) else f"{v:.2f}".rstrip("0").rstrip(".")


# The three money units as the active language writes them, looked up once per language (a
# traced decision formats a dozen amounts; each gettext was a catalogue look-up).
_MONEY_UNITS: dict = {}


def money_units() -> tuple[str, str, str]:
    """亿元, 万元, 元 in the active language. Asking for the active language costs ≈ 5 µs
    (a context-local look-up): a rule that writes several amounts into one decision's trace
    asks once and passes the units to `fmt_money`."""
    lang = get_language()
    units = _MONEY_UNITS.get(lang)
    if units is None:
        units = _MONEY_UNITS[lang] = (_("亿元"), _("万元"), _("元"))
    return units


def fmt_money(v, units: tuple[str, str, str] | None = None) -> str:
    """Yuan in words: 25000000 → 2500万元, 500000000 → 5亿元, 3500.5 → 3,500.50元 (`units`:
    `money_units()` of the active language, asked for here when not given)."""
    f = float(v)
    if not math.isfinite(f):
        return "—"
    a = abs(f)
    yi, wan, yuan = units or money_units()
    if yuan != "元":
        # Not Chinese: 万 and 亿 have no counterpart, so the whole amount with its separators
        # (25000000 → "25,000,000 yuan", never "2500" glued to "10k yuan").
        return (f"{int(f):,}" if f.is_integer() else f"{f:,.2f}") + f" {yuan.strip()}"
    if a >= 1e8 and (a / 1e6).is_integer():
        return _short(f / 1e8) + yi
    if a >= 1e4 and (a / 100).is_integer():
        return _short(f / 1e4) + wan
    if f.is_integer():
        return f"{int(f):,}" + yuan
    return f"{f:,.2f}" + yuan


def fmt_date(v) -> str:
    if isinstance(v, str):
        v = dt.date.fromisoformat(v[:10])
    return _("%(y)d年%(m)d月%(d)d日") % {"y": v.year, "m": v.month, "d": v.day}


def unit_of(name: str | None, parameter: str | None = None) -> str | None:
    """The unit of a value: its parameter's, else read from the field's name."""
    if parameter and parameter in PARAMETERS:
        u = PARAMETERS[parameter].unit
        if u:
            return u
    n = name or ""
    if n.endswith("_yuan") or n.endswith("_yuan_by_year"):
        return "CNY"
    if n.endswith("_mu"):
        return "mu"
    if n.endswith("_share") or n.endswith("_rate"):
        return "/1"
    if n.endswith("_days"):
        return "day"
    if n.endswith("_years") or n == "years":
        return "year"
    return None


def fmt_value(v, unit: str | None = None) -> str:
    """One value for people: no `True`, no reprs, amounts with their unit."""
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return _("是") if v else _("否")
    if isinstance(v, (int, float)):
        f = float(v)
        if not math.isfinite(f):
            return "—"
        if unit == "CNY":
            return fmt_money(f)
        if unit == "/1":
            return _number(round(f * 100, 4)) + "%"
        if unit == "10k mu" and _("万亩") == "万亩":
            return with_unit(_short(f), UNIT_WORDS[unit])
        if unit == "10k mu":  # no 万 outside Chinese: the whole area in mu
            unit, f = "mu", f * 10000
        if unit in _COUNTED:
            return _COUNTED[unit](int(f) if f.is_integer() else 2) % {"n": _number(f)}
        if unit and unit in UNIT_WORDS:
            return with_unit(_number(f), UNIT_WORDS[unit])
        return _number(f)
    if isinstance(v, (dt.date, dt.datetime)):
        return fmt_date(v)
    if isinstance(v, str):
        if _ISO_DATE.match(v):
            return fmt_date(v)
        from .templatetags.rules_plain import plain

        return plain(v)
    if isinstance(v, Mapping):
        return sep("；").join(f"{k}{sep('：')}{fmt_value(x, unit)}" for k, x in v.items()) or "—"
    if isinstance(v, (list, tuple, set)):
        return sep("、").join(fmt_value(x, unit) for x in v) or "—"
    return str(v)


def field_label(rule_id: str, name: str | None) -> str:
    """A rule input's name for people: its schema description without the trailing
    provision or unit (the schema is the one catalogue of field names)."""
    if not name:
        return ""
    try:
        props = get_rule(rule_id).schema().get("properties", {})
    except (UnknownRule, KeyError, AttributeError):
        return ""
    desc = input_label((props.get(name) or {}).get("description"))
    desc = desc.split("，{")[0]
    while True:
        shorter = _TRAILING_REF.sub("", desc).strip()
        if shorter == desc:
            break
        desc = shorter
    return desc


def _cite(ref) -> dict | None:
    if not ref:
        return None
    c = Citation.from_value(ref)
    if c is None:
        return None
    return {"text": f"{c.docno} {c.path}".strip(), "path": c.path, "quote": c.quote, "url": c.url}


def trace_step(decision: Mapping, prefix: str, key: str | None = None) -> dict | None:
    """The first step of the decision's trace whose check starts with `prefix` (and, with
    `key`, whose values hold it): a rule's `plain` hook reads the facts it words from here."""
    for s in decision.get("trace") or ():
        if str(s.get("check") or "").startswith(prefix) and (
                key is None or key in (s.get("values") or {})):
            return s
    return None


_SHORTFALL = {
    ">=": N_("低于要求的%(thr)s"),
    ">": N_("未超过%(thr)s"),
    "<=": N_("超过上限%(thr)s"),
    "<": N_("未低于%(thr)s"),
    "==": N_("不等于%(thr)s"),
}


def finding(rule_id: str, u: Mapping) -> dict:
    """One unmet condition in words: found, required, provision, what to do."""
    unit = unit_of(u.get("field"), u.get("parameter"))
    # the label given to c.threshold/c.condition, marked with gettext_noop where it is static
    # (a dynamic one, or a kept record's older wording, is not in the catalogue: shown as is;
    # never gettext("") — that is the catalogue's header)
    if u.get("label") and isinstance(u.get("words"), Mapping):
        # a label with values (c.threshold(N_("第%(q)s季度…"), words={"q": 1})): the msgid is
        # translated and filled; words that are text are msgids themselves (a level, a kind)
        required = _(u["label"]) % {k: _(w) if isinstance(w, str) and w else w
                                    for k, w in u["words"].items()}
    else:
        required = _(u["condition"]) if u.get("condition") else ""
    if u.get("threshold") is not None and u.get("value") is not None:
        thr = fmt_value(u.get("threshold"), unit)
        found = _("实际为%(v)s，") % {"v": fmt_value(u.get("value"), unit)} + (
            _(_SHORTFALL.get(u.get("comparison") or ">=", N_("未达到%(thr)s"))) % {"thr": thr})
    elif isinstance(u.get("value"), bool):
        found = _("申报为“%(v)s”") % {"v": fmt_value(u.get("value"))}
    elif u.get("value") is not None:
        found = _("实际为%(v)s") % {"v": fmt_value(u.get("value"), unit)}
    else:
        found = _("未满足")
    label = field_label(rule_id, u.get("field"))
    todo = _(u["todo"]) if u.get("todo") else (
        _("如“%(f)s”填报有误，请更正后重新判定；否则不能适用此项规定") % {"f": label} if label
        else _("不满足此项条件，不能适用此项规定"))
    cite = _cite(u.get("reference"))
    out = {"condition": required, "found": found, "required": required, "citation": cite,
           "todo": todo, "group": u.get("group"), "field": u.get("field")}
    out["text"] = _finding_text(out)
    return out


def _finding_text(f: Mapping) -> str:
    where = _("（%(c)s）") % {"c": f["citation"]["text"]} if f.get("citation") else ""
    return _("%(required)s：%(found)s%(where)s；%(todo)s") % {
        "required": f["required"], "found": f["found"], "where": where, "todo": f["todo"]}


def explain(decision: Mapping, *, focus: str | None = None) -> dict:
    """The decision (`Decision.to_dict()` shape) said plainly; `focus` names the alternative
    the person chose (a rule's `plain` hook reads it, e.g. the headquarters type applied for)."""
    rule_id = decision.get("rule") or ""
    try:
        rule = get_rule(rule_id)
    except UnknownRule:
        rule = None
    if decision.get("error"):
        items = sep("；").join(
            f"{field_label(rule_id, str(e.get('field', '')).split('.')[0]) or e.get('field')}"
            f"{sep('：')}{e.get('message')}" for e in decision["error"])
        return {"sentence": _("申报数据不完整或有误，未能判定：%(e)s") % {"e": items},
                "findings": [], "amounts": [], "refused": True,
                "text": _("申报数据不完整或有误，未能判定：%(e)s") % {"e": items}}
    outcome = decision.get("outcome")
    refused = bool(rule and outcome in rule.refusals)
    amounts = []
    for k in (rule.outputs if rule else ()):
        v = decision.get(k)
        if k.endswith("_yuan") and isinstance(v, (int, float)) and not isinstance(v, bool):
            amounts.append({"name": k, "label": amount_label(rule_id, k), "value": fmt_money(v)})
    findings = [finding(rule_id, u) for u in (decision.get("unmet") or [])] if refused else []
    head = outcome_label(rule_id, outcome)
    if refused:
        n = len(findings)
        sentence = ngettext("%(o)s：有%(n)d项条件未满足。", "%(o)s：有%(n)d项条件未满足。", n) % {
            "o": head, "n": n} if findings else _("%(o)s。") % {"o": head}
    elif amounts:
        sentence = _("%(o)s：%(a)s。") % {"o": head, "a": sep("，").join(
            f"{a['label']}{a['value']}" for a in amounts)}
    else:
        sentence = _("%(o)s。") % {"o": head}
    result = {"sentence": sentence, "findings": findings, "amounts": amounts, "refused": refused,
              "outcome": head, "as_of": fmt_date(decision["as_of"]) if decision.get("as_of") else ""}
    hook = getattr(rule, "plain", None) if rule else None
    if hook is not None:
        hook(decision, result, focus)
        for f in result["findings"]:
            f["text"] = _finding_text(f)
    result["text"] = " ".join([result["sentence"]] + [_("%(f)s。") % {"f": f["text"]}
                                                      for f in result["findings"]])
    return result


def summary_text(decision: Mapping, *, focus: str | None = None) -> str:
    """The explanation as one paragraph (the API's `summary` field)."""
    return explain(decision, focus=focus)["text"]

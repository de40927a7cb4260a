"""Values of a decision's trace in words, for pages: no `True`, no dicts, no field codes.

    {% load rules_plain %}
    {{ s.result|plain }}                      是 / 否 / 1,200,000 / 综合型总部、成长型总部
    {{ s.values|plain_values:decision.rule }}  注册资本或净资产：120,000,000；…
    {{ p.name|parameter_label }}               the parameter's description (its code on hover)
"""

from __future__ import annotations

import functools
import math
import re

from django import template
from django.utils.translation import get_language, gettext

register = template.Library()

# A rule's field description often ends with the provision in brackets: keep the words only.
_TRAILING_REF = re.compile(r"（[^（）]*[条款项号][^（）]*）$")


def _number(v: float | int) -> str:
    if isinstance(v, float):
        if not math.isfinite(v):
            return "∞" if v > 0 else ("-∞" if v < 0 else "—")
        if v.is_integer():
            v = int(v)
        else:
            return f"{v:,.4f}".rstrip("0").rstrip(".")
    return f"{v:,}"


_CODES: dict[str, str] | None = None


def _code_labels() -> dict[str, str]:
    """Chinese words for the codes rules use as values: the outcomes, and every enumerated
    value a rule's input accepts under a Chinese alias (`RuleInput.ALIASES`)."""
    global _CODES
    if _CODES is None:
        from kmgov.rules import RULES
        from kmgov.rules.labels import OUTCOMES, VALUES

        codes: dict[str, str] = dict(VALUES)
        for rule in RULES.values():
            for amap in (getattr(rule.inputs, "ALIASES", None) or {}).values():
                for alias, code in amap.items():
                    if re.search(r"[\u4e00-\u9fff]", alias) and isinstance(code, str):
                        codes.setdefault(code, alias)
        codes.update(OUTCOMES)
        _CODES = codes
    return _CODES


def _label(key, labels: dict[str, str], policy: str = "") -> str:
    from kmgov.rules.labels import AMOUNTS

    key = str(key)
    word = (labels.get(key) or _code_labels().get(key) or AMOUNTS.get(key)
            or _parameter_label(key) or (policy and _parameter_label(f"{policy}.{key}")))
    return gettext(word) if word else key


@register.filter
def plain(value, labels: dict[str, str] | None = None, policy: str = "") -> str:
    """One value in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, dict):
        labels = labels or {}
        return "；".join(f"{_label(k, labels, policy)}：{plain(v, labels, policy)}"
                        for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return "、".join(plain(v, labels, policy) for v in value) or "—"
    text = str(value)
    word = _code_labels().get(text)
    return gettext(word) if word else text


def _field_labels(rule_id: str) -> dict[str, str]:
    return _field_labels_in(rule_id, get_language())


@functools.cache
def _field_labels_in(rule_id: str, language: str | None) -> dict[str, str]:
    from kmgov.rules import get_rule
    from kmgov.rules.errors import UnknownRule
    from kmgov.rules.labels import input_label

    try:
        props = get_rule(rule_id).schema().get("properties", {})
    except (UnknownRule, KeyError, AttributeError):
        return {}
    out = {}
    for name, prop in props.items():
        desc = input_label(prop.get("description"))
        out[name] = _TRAILING_REF.sub("", desc).strip() or desc
    return out


def _parameter_label(name: str) -> str:
    from kmgov.rules import PARAMETERS

    par = PARAMETERS.get(name)
    desc = (getattr(par, "description", "") or "").strip()
    return desc.removeprefix("解释：") if desc else ""


@register.filter
def plain_values(values, rule_id: str = "") -> str:
    """The values a trace step compared, each named by the rule's field description (or the
    parameter's), never by its code."""
    if not isinstance(values, dict):
        return plain(values)
    labels = _field_labels(rule_id) if rule_id else {}
    policy = rule_id.split(".", 1)[0] if rule_id else ""
    return "；".join(f"{_label(k, labels, policy)}：{plain(v, labels, policy)}"
                    for k, v in values.items())


@register.filter
def parameter_label(name: str) -> str:
    return _parameter_label(name) or name


@register.filter
def plain_date(value) -> str:
    """2010-09-16 → 2010年9月16日."""
    from kmgov.rules.plain import fmt_date

    try:
        return fmt_date(value) if value else "—"
    except (TypeError, ValueError):
        return plain(value)


@register.filter
def plain_param(value, name: str = "") -> str:
    """A parameter's value with its unit (25000000 CNY → 2500万元, 0.3 → 30%)."""
    from kmgov.rules.plain import fmt_value, unit_of

    return fmt_value(value, unit_of(None, name))


_BEFORE = {"不低于", "不少于", "超过", "不超过", "低于", "少于", "高于", "达到", "不足", "未满", "满"}


@register.filter
def plain_step(step, rule_id: str = "") -> str:
    """The values a trace step compared, in words with their units: a threshold as "实际为
    2000万元，须2500万元以上"; other values each named by the rule's field description."""
    from kmgov.rules.plain import fmt_value, unit_of

    values = step.get("values") if isinstance(step, dict) else None
    if not isinstance(values, dict) or not values:
        return ""
    params = step.get("parameters") or []
    if {"value", "comparison", "threshold"} <= set(values):
        unit = unit_of(None, params[0]["name"]) if params else None
        thr = fmt_value(values.get("threshold"), unit)
        word = values.get("word") or {">=": "不低于", ">": "超过", "<=": "不超过", "<": "低于"}.get(
            values.get("comparison"), "")
        req = f"{word}{thr}" if word in _BEFORE else f"{thr}{word}"
        return gettext("实际为%(v)s，须%(r)s") % {"v": fmt_value(values.get("value"), unit), "r": req}
    labels = _field_labels(rule_id) if rule_id else {}
    policy = rule_id.split(".", 1)[0] if rule_id else ""
    parts = []
    for k, v in values.items():
        word = _COMMON_KEYS.get(k)
        name = gettext(word) if word else _label(k, labels, policy)
        if _IDENT.fullmatch(name):
            continue  # a working value with no name for people: the full trace's JSON has it
        parts.append(f"{name}：{fmt_value(v, unit_of(k))}")
    return "；".join(parts)


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")

#: Names of working values that many rules' trace steps use.
_COMMON_KEYS = {
    "as_of": "适用日期", "year": "年度", "last_year": "上一年度", "start": "起始日期",
    "end": "截止日期", "filed_on": "申报日期", "window_years": "考察年数", "applies": "是否适用",
    "value": "数值", "threshold": "标准", "amount_yuan": "金额", "area_mu": "面积",
}


@register.simple_tag
def plain_outcome(decision, focus=None):
    """`{% plain_outcome decision focus as p %}`: rules.plain.explain of a decision."""
    from kmgov.rules.plain import explain

    if not decision:
        return None
    return explain(decision, focus=focus or None)


@register.filter
def plain_requirement(unmet) -> str:
    """An unmet threshold's requirement in words ("以上2500万元"), or "" for a condition."""
    from kmgov.rules.plain import fmt_value, unit_of

    if not isinstance(unmet, dict) or unmet.get("threshold") is None:
        return ""
    unit = unit_of(unmet.get("field"), unmet.get("parameter"))
    return f"{unmet.get('word') or ''}{fmt_value(unmet['threshold'], unit)}"

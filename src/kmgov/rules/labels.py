"""Chinese labels of rules' outcomes and amount outputs, for pages that explain a decision in
plain words (no `eligible`, no `amount_yuan`).

The common outcome codes have one label here; a policy gives a rule its own wording with
`outcome_labels("forestry.allowed_methods", forbidden="该改造方式不允许")` (and amounts with
`amount_labels(...)`), next to the rule in its `rules.py`.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

#: The outcome codes the rules use, in Chinese.
OUTCOMES: dict[str, str] = {
    "eligible": gettext_noop("符合条件"),
    "ineligible": gettext_noop("不符合条件"),
    "within_budget": gettext_noop("未超出经费额度"),
    "over_budget": gettext_noop("超出经费额度"),
    "consistent": gettext_noop("一致"),
    "inconsistent": gettext_noop("不一致"),
    "compliant": gettext_noop("符合规定"),
    "non_compliant": gettext_noop("不符合规定"),
    "open": gettext_noop("在期限内"),
    "closed": gettext_noop("不在期限内"),
    "agreed": gettext_noop("决议通过"),
    "not_agreed": gettext_noop("决议未通过"),
    "covered": gettext_noop("属于分担范围"),
    "not_covered": gettext_noop("不属于分担范围"),
    "met": gettext_noop("已达到要求"),
    "not_met": gettext_noop("未达到要求"),
    "not_applicable": gettext_noop("不适用"),
    "on_time": gettext_noop("按期"),
    "late": gettext_noop("逾期"),
    "pending": gettext_noop("尚未到期"),
    "overdue": gettext_noop("已逾期"),
    "allowed": gettext_noop("允许"),
    "forbidden": gettext_noop("不允许"),
    "low_yield": gettext_noop("属于中低产林"),
    "not_low_yield": gettext_noop("不属于中低产林"),
    "excluded": gettext_noop("不列入改造范围"),
}

#: Amount outputs (yuan) by name, in Chinese.
AMOUNTS: dict[str, str] = {
    "amount_yuan": gettext_noop("核定金额"),
    "city_yuan": gettext_noop("市级承担"),
    "county_yuan": gettext_noop("县级承担"),
    "cap_yuan": gettext_noop("奖励上限"),
    "reward_yuan": gettext_noop("奖励金额"),
    "on_design_approval_yuan": gettext_noop("设计批准后拨付"),
    "after_acceptance_yuan": gettext_noop("验收后拨付"),
    "remaining_yuan": gettext_noop("剩余经费"),
    "city_remaining_yuan": gettext_noop("市级剩余经费"),
    "required_yuan": gettext_noop("应安排金额"),
    "committee_reward_yuan": gettext_noop("调解委员会奖励"),
}

_RULE_OUTCOMES: dict[str, dict[str, str]] = {}
_RULE_AMOUNTS: dict[str, dict[str, str]] = {}


def outcome_labels(rule_id: str, **labels: str) -> None:
    """Give a rule's outcomes their own Chinese wording."""
    _RULE_OUTCOMES.setdefault(rule_id, {}).update(labels)


def amount_labels(rule_id: str, **labels: str) -> None:
    """Give a rule's amount outputs their own Chinese names."""
    _RULE_AMOUNTS.setdefault(rule_id, {}).update(labels)


def outcome_label(rule_id: str, outcome: str | None) -> str:
    """The outcome in Chinese; "计算结果" for a rule that only computes amounts."""
    if not outcome:
        return gettext("计算结果")
    return gettext(_RULE_OUTCOMES.get(rule_id, {}).get(outcome) or OUTCOMES.get(outcome)
                   or "其他结论")


def amount_label(rule_id: str, name: str) -> str:
    return gettext(_RULE_AMOUNTS.get(rule_id, {}).get(name) or AMOUNTS.get(name) or "金额")


#: Codes rules give as values (types, routes, kinds) in words, declared by each policy with
#: `value_labels({...})` beside its rule: the one catalogue `rules_plain.plain` reads.
VALUES: dict[str, str] = {}


def value_labels(labels: dict[str, str]) -> None:
    """Give the codes a policy's rules output (e.g. 63号's `functional.general`) their words."""
    VALUES.update(labels)


def input_label(description: str | None) -> str:
    """A rule input's name in the active language, from its schema description: the
    descriptions are catalogue msgids (`Field(description=N_("…"))`), so the form, the
    explanation of a decision and the trace all name a field through this one look-up. The
    English entry is written as a label (no unit or provision in brackets); the Chinese one is
    trimmed by its caller."""
    desc = (description or "").strip()
    return gettext(desc) if desc else ""

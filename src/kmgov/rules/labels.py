"""Chinese labels of rules' outcomes and amount outputs, for pages that explain a decision in
plain words (no `eligible`, no `amount_yuan`).

The common outcome codes have one label here; a policy gives a rule its own wording with
`outcome_labels("forestry.allowed_methods", forbidden="该改造方式不允许")` (and amounts with
`amount_labels(...)`), next to the rule in its `rules.py`.
"""

from __future__ import annotations

#: The outcome codes the rules use, in Chinese.
OUTCOMES: dict[str, str] = {
    "eligible": "符合条件",
    "ineligible": "不符合条件",
    "within_budget": "未超出经费额度",
    "over_budget": "超出经费额度",
    "consistent": "一致",
    "inconsistent": "不一致",
    "compliant": "符合规定",
    "non_compliant": "不符合规定",
    "open": "在期限内",
    "closed": "不在期限内",
    "agreed": "决议通过",
    "not_agreed": "决议未通过",
    "covered": "属于分担范围",
    "not_covered": "不属于分担范围",
    "met": "已达到要求",
    "not_met": "未达到要求",
    "not_applicable": "不适用",
    "on_time": "按期",
    "late": "逾期",
    "pending": "尚未到期",
    "overdue": "已逾期",
    "allowed": "允许",
    "forbidden": "不允许",
    "low_yield": "属于中低产林",
    "not_low_yield": "不属于中低产林",
    "excluded": "不列入改造范围",
}

#: Amount outputs (yuan) by name, in Chinese.
AMOUNTS: dict[str, str] = {
    "amount_yuan": "核定金额",
    "city_yuan": "市级承担",
    "county_yuan": "县级承担",
    "cap_yuan": "奖励上限",
    "reward_yuan": "奖励金额",
    "on_design_approval_yuan": "设计批准后拨付",
    "after_acceptance_yuan": "验收后拨付",
    "remaining_yuan": "剩余经费",
    "city_remaining_yuan": "市级剩余经费",
    "required_yuan": "应安排金额",
    "committee_reward_yuan": "调解委员会奖励",
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
        return "计算结果"
    return _RULE_OUTCOMES.get(rule_id, {}).get(outcome) or OUTCOMES.get(outcome) or "其他结论"


def amount_label(rule_id: str, name: str) -> str:
    return _RULE_AMOUNTS.get(rule_id, {}).get(name) or AMOUNTS.get(name) or "金额"

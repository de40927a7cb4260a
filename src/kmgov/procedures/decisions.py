"""Decisions kept by the kernel: every rules-engine decision a step relies on, as a row.

`decision_keep(case, decision, actor=…, now=…)`, called inside a step (so in the step's
transaction: a refused step leaves no record), writes one `DecisionRecord`: the case, the
procedure and step, the rule, its inputs and date, the outcome, the amounts (named Decimal
strings), the full trace, the parameter values used with their citations, the
interpretations (administrators' overrides) in force, who and when.

`decision_summary(record, case)` says it in plain Chinese for pages and the API: what is met,
what is not, the amounts, and what happens next, each with its citation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext

from kmgov.rules import (
    Citation,
    Decision,
    UnknownRule,
    amount_label,
    get_rule,
    outcome_label,
    parameters_in_trace,
)

from .models import CaseRef

FEN = Decimal("0.01")


class DecisionRecord(CaseRef):
    """One decision of the rules engine a step of a case relied on (eligibility, an amount)."""

    procedure = models.CharField("办事程序", max_length=40, db_index=True)
    step = models.CharField("环节", max_length=64)
    step_label = models.CharField("环节名称", max_length=100, blank=True)
    subject = models.CharField("判定对象", max_length=200, blank=True)
    rule = models.CharField("规则", max_length=100, db_index=True)
    rule_title = models.CharField("规则名称", max_length=200, blank=True)
    inputs = models.JSONField("输入", default=dict)
    as_of = models.DateField("适用日期")
    outcome = models.CharField("结论", max_length=40, blank=True)
    amounts = models.JSONField("金额（元）", default=dict, blank=True)
    outputs = models.JSONField("全部输出", default=dict, blank=True)
    unmet = models.JSONField("未满足的条件", default=list, blank=True)
    trace = models.JSONField("计算过程", default=list)
    parameters = models.JSONField("所用参数及依据", default=list, blank=True)
    interpretations = models.JSONField("适用的解释（管理员设定）", default=list, blank=True)
    citations = models.JSONField("依据条款", default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name="经办人")
    decided_at = models.DateTimeField("判定时间")

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "decided_at"],
                                name="proc_decision_case")]
        verbose_name = "规则判定记录"
        verbose_name_plural = "规则判定记录"

    def __str__(self) -> str:
        return f"{self.case_reference} {self.step} {self.rule} {self.outcome}"

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.rule, self.outcome)

    def as_decision(self) -> dict:
        """The record in the rules engine's `to_dict()` shape (for `rules/_trace.html`)."""
        return {"rule": self.rule, "outcome": self.outcome or None, **self.outputs,
                "as_of": self.as_of.isoformat(), "unmet": self.unmet,
                "interpretations": self.interpretations, "trace": self.trace}


# ---------------------------------------------------------------- writing

def _json(v):
    """Strict JSON: non-finite floats as text, dates as ISO strings, Decimals as strings."""
    if isinstance(v, float) and not math.isfinite(v):
        return "∞" if v > 0 else ("-∞" if v < 0 else None)
    if isinstance(v, Mapping):
        return {str(k): _json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def _yuan(v) -> Decimal | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        d = Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None
    return d.quantize(FEN, rounding=ROUND_HALF_UP) if d.is_finite() else None


def amounts_of(outputs: Mapping) -> dict[str, str]:
    """The decision's money outputs (`…_yuan`) as Decimal strings rounded to the fen."""
    out = {}
    for k, v in outputs.items():
        if k.endswith("_yuan"):
            d = _yuan(v)
            if d is not None:
                out[k] = str(d)
    return out


def _citations(trace: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for s in trace:
        c = s.get("citation")
        if c and c.get("reference") not in seen:
            seen[c["reference"]] = {k: c.get(k) for k in ("docno", "path", "quote", "reference")}
    return list(seen.values())


def _in_transaction() -> bool:
    return connection.in_atomic_block


def decision_keep(case, decision: Decision | Mapping, *, actor, now: dt.datetime | None = None,
                  step: str | None = None, subject: str = "",
                  amounts: Mapping | None = None,
                  inputs: Mapping | None = None) -> DecisionRecord:
    """Keep `decision` (a rules-engine `Decision`, or the `to_dict()` of one kept with a line
    of the case) as a `DecisionRecord` of `case`. Call it inside the step (the record then
    commits or rolls back with the step); `step` defaults to the step being taken.
    `amounts` (name → amount) replaces the amounts read from the decision's `…_yuan` outputs;
    `inputs` those the decision carries (needed for a `to_dict()`, which has none)."""
    if not _in_transaction():
        raise RuntimeError("decision_keep must run inside the step's transaction")
    running = getattr(case, "_kmgov_step", None) or (None, "")
    name = step or running[0]
    if not name:
        raise RuntimeError("decision_keep: no step is being taken; pass step=")
    label = running[1] if running[0] == name else ""
    if not label:
        from .declare import steps_of

        spec = steps_of(type(case)).get(name)
        label = spec.label if spec else ""
    d = decision.to_dict() if isinstance(decision, Decision) else dict(decision)
    rule_id = d.get("rule", "")
    try:
        rule = get_rule(rule_id)
        title, outputs_declared = rule.title, set(rule.outputs)
    except UnknownRule:
        title, outputs_declared = "", set()
    skip = {"rule", "outcome", "as_of", "details", "unmet", "interpretations", "trace", "error",
            "inputs", "unmet_alternatives"}
    outputs = {k: v for k, v in d.items() if k not in skip and (
        not outputs_declared or k in outputs_declared)}
    trace = _json(d.get("trace") or [])
    if inputs is None:
        inputs = (decision.inputs if isinstance(decision, Decision) else d.get("inputs")) or {}
    inputs = {k: v for k, v in inputs.items() if not str(k).startswith("_")}
    if isinstance(decision, Decision):
        params = decision.parameters_used()
    else:
        params = parameters_in_trace(trace)
    amts = ({k: str(_yuan(v)) for k, v in amounts.items() if _yuan(v) is not None}
            if amounts is not None else amounts_of(outputs))
    return DecisionRecord.objects.create(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk,
        case_reference=case.reference, procedure=case.procedure.code, step=name,
        step_label=label[:100], subject=subject[:200], rule=rule_id, rule_title=title[:200],
        inputs=_json(inputs), as_of=dt.date.fromisoformat(d["as_of"]),
        outcome=d.get("outcome") or "", amounts=amts, outputs=_json(outputs),
        unmet=_json(d.get("unmet") or []), trace=trace, parameters=_json(params),
        interpretations=_json(d.get("interpretations") or []), citations=_citations(trace),
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        decided_at=now or timezone.now())


# ---------------------------------------------------------------- explaining



def _num(v) -> str:
    if isinstance(v, bool) or v is None:
        return ""
    if isinstance(v, (int, float, Decimal)):
        f = float(v)
        if not math.isfinite(f):
            return ""
        if f == int(f) and abs(f) < 1e15:
            return f"{int(f):,}" if abs(f) >= 10000 else str(int(f))
        return f"{f:,.2f}".rstrip("0").rstrip(".")
    return ""


def _cite(c) -> dict | None:
    if not c:
        return None
    if isinstance(c, str):
        c = Citation.parse(c)
    elif isinstance(c, Mapping):
        c = Citation.from_value(c)
    return {"text": f"{c.docno} {c.path}".strip(), "quote": c.quote, "url": c.url}


def _unmet_text(rule_id: str, u: Mapping) -> str:
    """An unmet condition as `rules.plain.finding` words it (what is required, what was found,
    in the active language and with units), without the citation the summary shows beside it."""
    from kmgov.rules.plain import finding, sep

    f = finding(rule_id, u)
    return f"{f['required']}{sep('：')}{f['found']}" if f["required"] else f["found"]


def decision_summary(record: DecisionRecord, case=None) -> dict:
    """The decision in plain Chinese: the conclusion, the amounts, what is met, what is not
    and what happens next, each with its citation (no codes, no internal names)."""
    met, unmet, basis = [], [], []
    # What is not met: the conditions the rule names for a refusal; for a decision that is
    # not a refusal (e.g. eligible as one HQ type), the failed tests of other branches are
    # not reasons and are left to the full trace.
    try:
        refusals = set(get_rule(record.rule).refusals)
    except UnknownRule:
        refusals = set()
    refused = bool(record.unmet) or (record.outcome in refusals)
    unmet_by_label = {u.get("condition"): u for u in record.unmet}
    for u in record.unmet:
        unmet.append({"text": _unmet_text(record.rule, u), "citation": _cite(u.get("reference"))})
    # A decision reached through alternatives (one HQ type of several, one route of two) has
    # tests that passed inside branches that failed: listing them as "met" would mislead, so
    # for such a decision the met tests are left to the full trace and said so.
    branched = not refused and any(s.get("ok") is False for s in record.trace)
    for s in record.trace:
        cite = _cite(s.get("citation"))
        if s.get("ok") is True:
            if not branched:
                met.append({"text": s.get("check", ""), "citation": cite})
        elif s.get("ok") is False:
            if refused and not record.unmet and s.get("check") not in unmet_by_label:
                values = s.get("values") if isinstance(s.get("values"), Mapping) else {}
                unmet.append({"text": _unmet_text(record.rule, {"condition": s.get("check"), **values}),
                              "citation": cite})
        elif _num(s.get("result")):
            basis.append({"text": f"{s.get('check', '')}：{_num(s.get('result'))}",
                          "citation": cite})
    if branched:
        basis.insert(0, {"text": gettext("该结论由若干可选条件之一得出；每项条件是否满足见下方完整计算过程"),
                         "citation": None})
    amounts = [{"label": amount_label(record.rule, k), "yuan": f"{Decimal(v):,.2f}"}
               for k, v in record.amounts.items()]
    nxt = []
    if case is not None:
        from .selectors import open_items_for_case

        proc_cite = _cite(case.procedure.citation) if case.procedure.citation else None
        for i in open_items_for_case(case).select_related("role_org", "user"):
            due = f"，期限至{i.due_day():%Y-%m-%d}" if i.due_at else ""
            nxt.append({"text": f"{i.what}（{i.assignee_label()}{due}）", "citation": proc_cite})
    from kmgov.rules.plain import explain

    plain = explain(record.as_decision(), focus=getattr(case, "hq_type", None) or None)
    if plain["findings"]:
        unmet = [{"text": f["text"], "citation": f["citation"]} for f in plain["findings"]]
    return {
        "plain": plain,
        "rule_title": record.rule_title or "规则判定",
        "subject": record.subject,
        "step": record.step_label,
        "decided_at": record.decided_at,
        "as_of": record.as_of,
        "outcome": record.outcome_label,
        "refused": refused,
        "amounts": amounts,
        "met": met,
        "unmet": unmet,
        "basis": basis,
        "next": nxt,
        "citations": [_cite(c) for c in record.citations],
    }


def decision_summary_out(record: DecisionRecord | None, case=None) -> dict | None:
    """The summary as JSON (the API's case output)."""
    if record is None:
        return None
    s = decision_summary(record, case)
    return {**s, "summary": s["plain"]["text"], "decided_at": s["decided_at"].isoformat(), "as_of": s["as_of"].isoformat(),
            "rule": record.rule, "outcome_code": record.outcome or None,
            "amounts_yuan": dict(record.amounts)}


def latest_decision_context(case, user) -> dict | None:
    """For a case page: the latest decision's summary and its full trace (None if none)."""
    from .selectors import decision_latest, decisions_of

    record = decision_latest(case, user)
    if record is None:
        return None
    # Everything the latest step decided (a claim's lines, a meeting's cap and best policy),
    # not only its last record.
    same_step = [r for r in decisions_of(case, user).filter(step=record.step,
                                                            decided_at=record.decided_at)]
    every = [{"summary": decision_summary(r, case), "decision": r.as_decision(),
              "rule": r.rule, "record": r} for r in same_step or [record]]
    return {**every[-1], "all": every}

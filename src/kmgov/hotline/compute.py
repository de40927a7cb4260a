"""Answers that compute (issue 13 item 8).

A caller often gives the facts in the question ("我们合作社流转了2500亩土地，一次性奖励能拿多少？").
For each ranked answer whose knowledge-base entry links a rule (`KbEntry.rule_id`), the facts
of the question (`kmgov.hotline.facts`) are mapped onto the rule's inputs as
`data/compute.yaml` declares for that rule, the rule is run through the rules kernel
(`kmgov.rules.decide`: the same decision, trace and citations as `/rules/<id>/`), and the
answer's text starts with the result: the amount, the provision it rests on, and a link to the
rule's form filled with those inputs. When a fact the rule needs is not in the question, the
answer asks for it ("请告诉我流转土地的面积（亩）") instead of guessing; an input the rule has a
default for is taken at that default and the answer says so.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import yaml

from . import facts as facts_mod

SPEC_FILE = Path(__file__).with_name("data") / "compute.yaml"

# An answer the question's own facts compute is moved first when it scores at least this share
# of the top answer: the caller's figures say what is asked ("租了8亩地种菜，三年一共补多少" is
# the rent subsidy, though the yearly plan shares more words).
PROMOTE_WITHIN = 0.6


@lru_cache(maxsize=1)
def specs() -> dict[str, dict]:
    """The mappings of data/compute.yaml, by rule id (read once per process)."""
    return yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8")) or {}


@dataclass
class Computed:
    rule: str
    status: str  # "computed" | "needs" | "refused"
    sentence: str
    citation: str = ""
    form_url: str = ""
    inputs: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    outcome: str | None = None
    amount: float | None = None
    amount_output: str = ""
    missing: list[dict] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    trace_citations: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


# --- formatting for people ----------------------------------------------------------------


def _num(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int | float):
        r = round(float(v), 2)
        return str(int(r)) if r == int(r) else f"{r:g}"
    return str(v)


def money(v) -> str:
    """150000 → "150000元（15万元）"; 5400 → "5400元"."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    s = f"{_num(v)}元"
    if abs(float(v)) >= 10_000:
        s += f"（{_num(float(v) / 10_000)}万元）"
    return s


def _fmt(name: str, v, labels: dict) -> str:
    if name in labels:
        return str(labels[name].get(str(v).lower() if isinstance(v, bool) else str(v), v))
    if name.endswith("_yuan"):
        return money(v)
    if name.endswith("_share") and isinstance(v, int | float):
        return f"{_num(float(v) * 100)}%"
    return _num(v)


# --- facts → inputs -----------------------------------------------------------------------


def _value(src: dict, f: facts_mod.Facts, field_type: str | None):
    if "quantity" in src:
        q = f.quantity(src["quantity"], src.get("kind", ""))
        if q is None:
            return None
        if field_type == "integer":
            return int(round(q.value))
        return q.value
    if "kind" in src:
        v = f.kinds.get(src["kind"])
        if v is None:
            return None
        return src.get("values", {}).get(v, v)
    if "basin" in src:
        if f.basin is None:
            return None
        return (not f.basin) if src["basin"] == "outside" else f.basin
    if "place" in src:
        p = f.township() if src["place"] == "township" else f.county()
        return p.name if p is not None else None
    return None


# A rule's input types, worked out from its JSON schema once per process (building the schema
# was ≈ 40 % of the CPU of a cached answer: three hits, a schema each, on every request).
_TYPES: dict = {}


def _types(rule) -> dict[str, str | None]:
    key = (rule.id, rule.inputs)
    found = _TYPES.get(key)
    if found is None:
        found = _TYPES[key] = _types_of(rule)
    return dict(found)


def _types_of(rule) -> dict[str, str | None]:
    schema = rule.schema()
    out = {}
    for name, spec in schema.get("properties", {}).items():
        t = spec.get("type")
        if t is None and "anyOf" in spec:
            t = next((o.get("type") for o in spec["anyOf"] if o.get("type") != "null"), None)
        out[name] = t
    return out


def _form_url(rule_id: str, inputs: dict) -> str:
    def enc(v):
        return ("true" if v else "false") if isinstance(v, bool) else _num(v) if isinstance(
            v, float) else str(v)

    q = urlencode({k: enc(v) for k, v in inputs.items()})
    return f"/rules/{rule_id}/" + (f"?{q}" if q else "")


def compute(rule_id: str, f: facts_mod.Facts, *, citation: str = "") -> Computed | None:
    """The rule run on the question's facts, or what to ask for; None if the rule has no
    declared mapping (the answer then only links the rule's form)."""
    spec = specs().get(rule_id)
    if not spec:
        return None
    from kmgov.rules import RuleError, decide, get_rule

    try:
        rule = get_rule(rule_id)
    except RuleError:
        return None
    types = _types(rule)
    inputs: dict = {}
    missing: list[dict] = []
    assumptions: list[str] = []
    given = ""
    for name, src in (spec.get("inputs") or {}).items():
        v = _value(src, f, types.get(name))
        if v is None:
            if src.get("optional"):
                if src.get("assume"):
                    assumptions.append(src["assume"])
                continue
            missing.append({"field": name, "ask": src["ask"]})
        else:
            inputs[name] = v
    if spec.get("one_of"):
        for name, src in spec["one_of"].items():
            v = _value(src, f, types.get(name))
            if v is not None:
                inputs[name], given = v, name
                break
        else:
            missing.append({"field": "|".join(spec["one_of"]), "ask": spec["ask"]})
    if spec.get("any_of"):
        found = {n: _value(s, f, types.get(n)) for n, s in spec["any_of"].items()}
        if any(v is not None for v in found.values()):
            inputs.update({n: (v or 0) for n, v in found.items()})
        else:
            missing.append({"field": "|".join(spec["any_of"]), "ask": spec["ask"]})
    if missing:
        return Computed(rule=rule_id, status="needs", citation=citation,
                        sentence="；".join(m["ask"] for m in missing) + "，即可为您算出结果",
                        inputs=inputs, missing=missing, form_url=_form_url(rule_id, inputs),
                        assumptions=assumptions)
    try:
        d = decide(rule_id, inputs)
    except RuleError as exc:
        return Computed(rule=rule_id, status="refused", citation=citation, inputs=inputs,
                        sentence="按您说的数字无法计算：" + "；".join(
                            e["message"] for e in exc.errors()),
                        form_url=_form_url(rule_id, inputs))
    outputs = {k: (None if isinstance(v, float) and math.isnan(v) else v)
               for k, v in d.outputs.items()}
    result = spec.get("result")
    if isinstance(result, dict):
        result = result.get(given)
    amount = outputs.get(result) if result else None
    labels = spec.get("labels", {})
    values = {k: _fmt(k, v, labels) for k, v in {**inputs, **outputs}.items()}
    for k in (spec.get("inputs") or {}):
        values.setdefault(k, "—")
    key = given if spec.get("say_by") == "_given" else (
        str(outputs.get(spec["say_by"])) if spec.get("say_by") else str(d.outcome))
    say = spec.get("say", {})
    template = say.get(key) or say.get("_")
    if template:
        sentence = template.format_map(_Missing(values))
    else:
        unmet = "、".join(u.get("condition", "") for u in d.unmet) or "条件"
        sentence = (f"按您说的情况，未满足“{unmet}”，{rule.title}为{values.get(result, '0')}"
                    if d.unmet else f"{rule.title}：{values.get(result, '—')}")
    trace = []  # the decision's cited trace, as the rules kernel serialises it
    dd = d.to_dict()
    for st in dd.get("trace") or dd.get("steps") or []:
        c = st.get("citation") or {}
        ref = f"{c.get('docno', '')} {c.get('path', '')}".strip()
        if ref and ref not in trace:
            trace.append(ref)
    return Computed(
        rule=rule_id, status="computed", sentence=sentence, citation=citation,
        form_url=_form_url(rule_id, inputs), inputs=inputs, outputs=outputs,
        outcome=d.outcome, amount=amount, amount_output=result or "",
        assumptions=assumptions, trace_citations=trace)


class _Missing(dict):
    def __missing__(self, key):
        return "—"


def _rule_id(answer) -> str:
    url = getattr(answer, "rule_url", "") or ""
    return url.strip("/").split("/", 1)[1] if url.startswith("/rules/") else ""


def enrich(question: str, answers: list) -> list:
    """The ranked answers with each computing entry's result (or question back) put first in
    its text and kept in `computed`; other answers unchanged. The question is read once."""
    if not any(_rule_id(a) in specs() for a in answers if a.kind == "entry"):
        return answers
    f = facts_mod.extract(question)
    out = []
    for a in answers:
        rid = _rule_id(a) if a.kind == "entry" else ""
        c = compute(rid, f, citation=a.citation) if rid else None
        if c is None:
            out.append(a)
            continue
        lead = c.sentence
        if c.status == "computed":
            lead += f"（依据{c.citation}）" if c.citation else ""
            if c.assumptions:
                lead += "。" + "；".join(c.assumptions)
        out.append(dataclasses.replace(a, text=f"{lead}。{a.text}", computed=c.as_dict()))
    done = [i for i, a in enumerate(out) if a.computed and a.computed["status"] == "computed"]
    if done and done[0] > 0 and out[done[0]].score >= PROMOTE_WITHIN * out[0].score:
        out.insert(0, out.pop(done[0]))
    return out


def answers(question: str, **kw) -> list:
    """`kb.answers` with the answers that compute computed (the desk's channels use this)."""
    from . import kb

    return enrich(question, kb.answers(question, **kw))


def question_facts(question: str) -> dict:
    return facts_mod.extract(question).as_dict()

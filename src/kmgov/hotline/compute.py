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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

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
        return _("是") if v else _("否")
    if isinstance(v, int | float):
        r = round(float(v), 2)
        return str(int(r)) if r == int(r) else f"{r:g}"
    return str(v)


def money(v) -> str:
    """150000 → "150000元（15万元）"; 5400 → "5400元"."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if abs(float(v)) >= 10_000:
        return _("%(y)s元（%(w)s万元）") % {"y": _num(v), "w": _num(float(v) / 10_000)}
    return _("%(y)s元") % {"y": _num(v)}


def _fmt(name: str, v, labels: dict) -> str:
    if name in labels:
        word = labels[name].get(str(v).lower() if isinstance(v, bool) else str(v))
        return _(word) if isinstance(word, str) else str(v)
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
                    assumptions.append(_(src["assume"]))
                continue
            missing.append({"field": name, "ask": _(src["ask"])})
        else:
            inputs[name] = v
    if spec.get("one_of"):
        for name, src in spec["one_of"].items():
            v = _value(src, f, types.get(name))
            if v is not None:
                inputs[name], given = v, name
                break
        else:
            missing.append({"field": "|".join(spec["one_of"]), "ask": _(spec["ask"])})
    if spec.get("any_of"):
        found = {n: _value(s, f, types.get(n)) for n, s in spec["any_of"].items()}
        if any(v is not None for v in found.values()):
            inputs.update({n: (v or 0) for n, v in found.items()})
        else:
            missing.append({"field": "|".join(spec["any_of"]), "ask": _(spec["ask"])})
    if missing:
        return Computed(rule=rule_id, status="needs", citation=citation,
                        sentence=_("%(ask)s，即可为您算出结果") % {
                            "ask": "；".join(m["ask"] for m in missing)},
                        inputs=inputs, missing=missing, form_url=_form_url(rule_id, inputs),
                        assumptions=assumptions)
    try:
        d = decide(rule_id, inputs)
    except RuleError as exc:
        return Computed(rule=rule_id, status="refused", citation=citation, inputs=inputs,
                        sentence=_("按您说的数字无法计算：%(e)s") % {"e": "；".join(
                            e["message"] for e in exc.errors())},
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
    if template:  # the template is the msgid: its English keeps the {name} placeholders
        sentence = _(template).format_map(_Missing(values))
    else:
        unmet = "、".join(_(u.get("condition", "")) for u in d.unmet) or _("条件")
        sentence = (_("按您说的情况，未满足“%(u)s”，%(t)s为%(v)s") % {
            "u": unmet, "t": _(rule.title), "v": values.get(result, "0")}
                    if d.unmet else _("%(t)s：%(v)s") % {"t": _(rule.title),
                                                       "v": values.get(result, "—")})
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


def _lead(c: Computed) -> str:
    """What an answer starts with: the result and its provision (and what was assumed), or
    the question back."""
    lead = c.sentence
    if c.status == "computed":
        lead += _("（依据%(c)s）") % {"c": c.citation} if c.citation else ""
        if c.assumptions:
            lead += "。" + "；".join(c.assumptions)
    return lead


def entry_answer(entry, question: str) -> str:
    """The answer the desk stores and sends when it answers `question` (a ticket's text) from
    knowledge-base `entry`: when the entry links a rule the question's facts compute, the
    computed sentence with its provision, then the entry's text; otherwise the entry's text.
    Written in the site's language (Chinese), as the entry itself, whoever's screen is
    English: it goes to the caller."""
    from django.conf import settings
    from django.utils import translation

    rid = getattr(entry, "rule_id", "") or ""
    if not rid or rid not in specs() or not (question or "").strip():
        return entry.answer
    with translation.override(settings.LANGUAGE_CODE):
        c = compute(rid, facts_mod.extract(question), citation=entry.citation)
        if c is None or c.status != "computed":
            return entry.answer
        return f"{_lead(c)}。{entry.answer}"


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
        out.append(dataclasses.replace(a, text=f"{_lead(c)}。{a.text}", computed=c.as_dict()))
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


# The questions, assumptions, sentences and labels of data/compute.yaml as the catalogue's
# msgids (makemessages reads Python, not YAML; `compute()` translates each one it uses, the
# placeholders {name} kept in the English). tests/hotline/test_compute.py checks this list
# against the file and the English of each in docs/ui-strings-en.tsv.
CATALOGUE = (
    N_("请告诉我流转土地的面积（亩）"),
    N_("按流转{area_mu}亩、每亩{rate_yuan_per_mu}元计算，一次性奖励{amount_yuan}"),
    N_("流转{area_mu}亩，不到1000亩，文件未规定奖励（{amount_yuan}）"),
    N_("请告诉我在滇池流域外连片租种的面积（亩）"),
    N_("请告诉我租来的地种什么（蔬菜、花卉还是其他）"),
    N_("请告诉我租的地是否在滇池流域以外（在哪个县区）"),
    N_("未说明年数，按连续补助的3年计算"),
    N_("按连片{contiguous_area_mu}亩计算，每年补助{per_year_yuan}，补{years_subsidised}年共{amount_yuan}"),
    N_("请告诉我调整的面积（亩）"),
    N_("请告诉我这块地原来种什么（粮食、蔬菜还是花卉）"),
    N_("请告诉我准备改种成什么（园林园艺、苗木、经济林果、湿地生态园区或农业休闲观光园区）"),
    N_("未说明地点，按滇池流域内计算"),
    N_("调整{area_mu}亩，一次性补助{amount_yuan}，只补一次"),
    N_("请告诉我参加技能培训并转移的人数"),
    N_("培训转移{people}人，补助{amount_yuan}"),
    N_("请告诉我是哪个县区（如晋宁县、盘龙区）"),
    N_("请告诉我要分担的补助资金金额（元）"),
    N_("补助资金{amount_yuan}，市级承担{city_yuan}，县级承担{county_yuan}（市级比例{city_share}）"),
    N_("{district}不在59号四(七)所列的分担范围内"),
    N_("请告诉我用油量（升）、二氧化碳排放量（吨）、捐资金额（元）或出行里程（公里）中的一项"),
    N_("烧{fuel_litres}升油约排放{co2_tonnes}吨二氧化碳，抵消需造林{mu_years}亩·年，捐资约{cost_yuan}（可营建碳汇林{area_mu}亩）"),
    N_("抵消{co2_tonnes}吨二氧化碳需造林{mu_years}亩·年，捐资约{cost_yuan}（可营建碳汇林{area_mu}亩）"),
    N_("捐资{donation_yuan}可营建碳汇林{area_mu}亩，约抵消{co2_tonnes}吨二氧化碳；{sign_eligible}"),
    N_("出行{km_travelled}公里，按“出游10公里，请种1棵树”请种{trees}棵树"),
    N_("达到10亩，可挂“××碳汇林”标牌"),
    N_("不到10亩（5000元），不挂碳汇林标牌"),
    N_("请告诉我改造的面积（亩）"),
    N_("未说明是否试点项目，按正常改造项目计算（试点项目每亩200元）"),
    N_("改造{area_mu}亩，每亩{rate_yuan_per_mu}元，市级补助{amount_yuan}：作业设计批准后拨{on_design_approval_yuan}，验收合格后拨{after_acceptance_yuan}"),
    N_("请告诉我成功调解的纠纷件数，以及是普通、疑难还是重大纠纷"),
    N_("普通纠纷{ordinary}件、疑难纠纷{difficult}件、重大纠纷{major}件，按参照标准（每件普通100元、疑难300元、重大500元）计件奖励{amount_yuan}"),
    N_("请告诉我单位的行业（矿山、建筑施工、危险物品生产经营储存，或其他）"),
    N_("请告诉我单位的从业人员人数"),
    N_("从业人员{employees}人，必须设置专门的安全生产管理机构，人员不少于{min_staff}人"),
    N_("从业人员{employees}人，必须配备专职安全生产管理人员，至少{min_staff}人"),
)

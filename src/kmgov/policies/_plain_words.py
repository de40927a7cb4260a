"""Small helpers for the policies' plain outcomes (`@rule(plain=fn)`, kmgov.rules.plain): what a
decision's trace says about its inputs and parameters, and numbers in words.

A hook receives the decision in `to_dict()` shape (a kept record's `as_decision()` has the same
keys, without the inputs), so the facts a sentence needs are read from the decision's outputs and
trace: each step's `values` and the parameters it used. Below the policies: imports no policy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from kmgov.rules.plain import finding, fmt_money, fmt_value, sep


def ok_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


def number(v) -> str:
    """A count or measure for a sentence as the gazette writes it: 2500 / 10.8 / 0.01 (no
    thousands separator, at most four decimals)."""
    if not ok_number(v):
        return "—"
    f = float(v)
    if f == int(f):
        return str(int(f))
    return f"{f:.4f}".rstrip("0").rstrip(".")


def money(v) -> str:
    return fmt_money(v) if ok_number(v) else "—"


def percent(v) -> str:
    return fmt_value(v, "/1") if ok_number(v) else "—"


def facts(decision: Mapping) -> dict:
    """The values the trace recorded (each step's `values`, first one of a name wins), then the
    decision's outputs over them: the inputs a rule shows in its steps, by field name."""
    out: dict = {}
    for s in decision.get("trace") or ():
        vals = s.get("values")
        if isinstance(vals, Mapping):
            for k, v in vals.items():
                out.setdefault(k, v)
    for k, v in decision.items():
        if k not in ("trace", "details", "interpretations", "unmet", "unmet_alternatives"):
            out[k] = v
    return out


def param(decision: Mapping, name: str, default=None):
    """The value of parameter `name` (with or without its policy's prefix) the decision used."""
    for s in decision.get("trace") or ():
        for p in s.get("parameters") or ():
            n = str(p.get("name") or "")
            if n == name or n.endswith("." + name):
                return p.get("value")
    return default


def where(doc: str, path: str) -> str:
    """The provision in brackets after a sentence: （59号 四(五)）."""
    return _("（%(d)s %(p)s）") % {"d": _(doc), "p": path}


def unmet_findings(decision: Mapping) -> list[dict]:
    """Findings of the conditions a decision that was not refused left unmet (e.g. 60号's sign
    on an offset), in rules.plain's shape."""
    return [finding(decision.get("rule") or "", u) for u in (decision.get("unmet_alternatives") or [])]


def set_todo(result: Mapping, field: str, todo: str) -> None:
    """Give the findings about one input field their advice."""
    for f in result.get("findings") or ():
        if f.get("field") == field:
            f["todo"] = todo


# The units of a check's printed and recomputed numbers, by the kind of inconsistency.
_CHECK_UNITS = {"yearly_percentages": "/1", "total_area": "10k mu", "area_rounding": None}
_CHECK_WORDS = {"total": N_("合计")}


def check_findings(decision: Mapping, doc: str) -> list[dict]:
    """A consistency check's inconsistencies as findings: where, printed, recomputed, the note."""
    out = []
    for i in decision.get("inconsistencies") or ():
        if not isinstance(i, Mapping):
            continue
        place = " ".join(_(_CHECK_WORDS[w]) if w in _CHECK_WORDS else w
                         for w in str(i.get("where") or "").split(" "))
        unit = _CHECK_UNITS.get(i.get("kind") or "")
        printed, recomputed = i.get("printed"), i.get("recomputed")
        if i.get("kind") == "area_rounding":
            # amounts in 万元: in words as every amount (English has no 万: "19,000,000 yuan",
            # never "1900" glued to "10k yuan")
            printed_s, recomputed_s = (fmt_money(round(float(v) * 10000, 2)) if isinstance(v, (int, float))
                                       else number(v) for v in (printed, recomputed))
        else:
            printed_s, recomputed_s = fmt_value(printed, unit), fmt_value(recomputed, unit)
        found = _("印刷为%(p)s，按公报数字重算为%(r)s") % {"p": printed_s, "r": recomputed_s}
        todo = i.get("note") or _("两处数字不一致，以重算结果为准，并报告发文机关")
        f = {"condition": place, "required": place, "found": found, "citation": None, "todo": todo,
             "group": None, "field": None}
        f["text"] = f"{place}{sep('：')}{found}{sep('；')}{todo}"
        out.append(f)
    return out


def check_sentence(result: dict, decision: Mapping, doc: str, what: str) -> None:
    """The sentence of a consistency check (附件复核): consistent, or how many places differ."""
    fs = check_findings(decision, doc)
    result["findings"] = fs
    if fs:
        result["sentence"] = _("%(w)s：发现%(n)d处数字不一致，逐项列在下面。") % {"w": what, "n": len(fs)}
    else:
        result["sentence"] = _("%(w)s：各处数字一致。") % {"w": what}


def make_finding(required: str, found: str, reference: str | None, todo: str, field: str | None = None) -> dict:
    """A finding a hook words itself (not from an unmet condition of the trace), in
    rules.plain's shape: required, found, the provision, what to do."""
    from kmgov.rules.citation import Citation

    c = Citation.from_value(reference) if reference else None
    cite = {"text": f"{c.docno} {c.path}".strip(), "path": c.path, "quote": c.quote, "url": c.url} if c else None
    return {"condition": required, "required": required, "found": found, "citation": cite, "todo": todo,
            "group": None, "field": field}


def step_value(decision: Mapping, prefix: str):
    """The value a threshold step compared (its `values["value"]`), by the start of the step's
    words: the input a kept record shows even when no other step names it."""
    for s in decision.get("trace") or ():
        v = s.get("values")
        if str(s.get("check") or "").startswith(prefix) and isinstance(v, Mapping):
            return v.get("value")
    return None

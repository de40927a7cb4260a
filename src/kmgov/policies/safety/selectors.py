"""Reads of the safety module, scoped to the caller (the kernel's visibility conditions).

- `consolidated`: an office's table of its units × the nine forms (filed / missing / 不落实);
- `counties_view`: the city office's table of counties (counts, and each county's own filing);
- `unit_archive`: every period's forms of one unit; `ledger`: the warnings with their answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from kmgov.core.models import OrgUnit, Role
from kmgov.core.scope import subtree_q, user_assignments
from kmgov.procedures.filing_selectors import slots_visible
from kmgov.procedures.models import Deadline, FilingSlot
from kmgov.procedures.selectors import cases_visible

from .forms import FORM_NUMBERS, NUMERALS
from .models import (
    CITY_SAFETY,
    ZERO_REPORTS,
    ZR_OBLIGATIONS,
    Accident,
    Action,
    Warning,
    period_label,
)

LEVEL_ORDER = {"county": 0, "dept": 1, "town": 2, "ent": 3}
LEVEL_LABELS = {"county": "县（市）区", "dept": "县级部门", "town": "乡镇（街道）", "ent": "企业"}


def _split(code: str) -> tuple[int, str]:
    n, level = code[2:].split("-", 1)
    return int(n), level


def _cases_by_reference(refs_by_form: dict[int, list[str]]) -> dict[str, dict]:
    out = {}
    for n, refs in refs_by_form.items():
        if refs:
            for row in ZERO_REPORTS[n].objects.filter(reference__in=refs).values(
                    "reference", "state", "not_implemented", "contradictions"):
                out[row["reference"]] = row
    return out


def _cell(slot: FilingSlot, case: dict | None, now: dt.datetime) -> dict:
    if slot.filed_at is not None:
        status, label = ("late", "逾期报送") if slot.late else ("filed", "已报送")
    elif now >= slot.due_at:
        status, label = "missing", "逾期未报"
    else:
        status, label = "pending", "待报送"
    return {"status": status, "label": label, "reference": slot.case_reference or "",
            "not_implemented": (case or {}).get("not_implemented", 0) if slot.filed_at else 0,
            "contradictions": (case or {}).get("contradictions", 0) if slot.filed_at else 0,
            "escalated": slot.escalated_at is not None}


def consolidated(user, period: str, *, under: OrgUnit | None = None,
                 now: dt.datetime | None = None) -> dict:
    """The units the user may read that owe 零申报 for `period` × 表一…表九: each cell filed /
    late / missing (after the window) / pending, with the form's 不落实 count; the columns'
    totals. One query for the slots, one per form for the counts."""
    moment = now or timezone.now()
    slots = list(slots_visible(user, period=period, under=under)
                 .filter(obligation__in=list(ZR_OBLIGATIONS)))
    refs: dict[int, list[str]] = defaultdict(list)
    for s in slots:
        if s.case_reference:
            refs[_split(s.obligation)[0]].append(s.case_reference)
    cases = _cases_by_reference(refs)
    rows: dict[int, dict] = {}
    totals = {n: {"filed": 0, "missing": 0, "pending": 0, "not_implemented": 0} for n in FORM_NUMBERS}
    for s in slots:
        n, level = _split(s.obligation)
        row = rows.setdefault(s.org_id, {"org": s.org, "level": level,
                                         "level_label": LEVEL_LABELS[level],
                                         "receiver": s.receiver_org, "cells": {}})
        cell = _cell(s, cases.get(s.case_reference), moment)
        row["cells"][n] = cell
        t = totals[n]
        t["filed" if cell["status"] in ("filed", "late") else cell["status"]] += 1
        t["not_implemented"] += cell["not_implemented"]
    ordered = sorted(rows.values(), key=lambda r: (LEVEL_ORDER[r["level"]], r["org"].path))
    for r in ordered:
        r["cells_list"] = [r["cells"].get(n) for n in FORM_NUMBERS]
        r["missing"] = [NUMERALS[n - 1] for n, c in r["cells"].items() if c["status"] == "missing"]
    return {"period": period, "period_label": period_label(period), "rows": ordered,
            "forms": [{"n": n, "label": f"表{NUMERALS[n - 1]}", **totals[n]} for n in FORM_NUMBERS],
            "not_filed": [r for r in ordered if any(
                c and c["status"] in ("missing", "pending") for c in r["cells_list"])]}


def is_city_office(user) -> bool:
    return getattr(user, "is_superuser", False) or any(
        a.role == Role.CITY_OFFICE and a.org.code == CITY_SAFETY for a in user_assignments(user))


def counties_view(user, period: str, *, now: dt.datetime | None = None) -> list[dict] | None:
    """For 市安委办 (二、组织领导: 督促、指导各级、各部门开展零申报工作): each county's counts
    of units owing, filed, missing and 不落实 items, and whether the county filed its own
    consolidation of each form. None for anyone else."""
    if not is_city_office(user):
        return None
    moment = now or timezone.now()
    counties = {u.path: u for u in OrgUnit.objects.filter(kind__in=("county", "zone")).order_by("path")}
    slots = (FilingSlot.objects.filter(obligation__in=list(ZR_OBLIGATIONS), period=period)
             .values("obligation", "org__path", "org__kind", "filed_at", "due_at", "case_reference"))
    refs: dict[int, list[str]] = defaultdict(list)
    slots = list(slots)
    for s in slots:
        if s["case_reference"]:
            refs[_split(s["obligation"])[0]].append(s["case_reference"])
    cases = _cases_by_reference(refs)
    out = {path: {"county": c, "owing": 0, "filed": 0, "missing": 0, "not_implemented": 0,
                  "own": {n: None for n in FORM_NUMBERS}} for path, c in counties.items()}
    for s in slots:
        parts = s["org__path"].strip("/").split("/")
        path = f"/{parts[0]}/{parts[1]}/" if len(parts) > 1 else None
        row = out.get(path)
        if row is None:
            continue
        n, level = _split(s["obligation"])
        filed = s["filed_at"] is not None
        if level == "county":
            row["own"][n] = "filed" if filed else ("missing" if moment >= s["due_at"] else "pending")
            continue
        row["owing"] += 1
        row["filed"] += filed
        row["missing"] += (not filed) and moment >= s["due_at"]
        if filed:
            row["not_implemented"] += cases.get(s["case_reference"], {}).get("not_implemented", 0)
    rows = [r for r in out.values() if r["owing"] or any(r["own"].values())]
    for r in rows:
        r["own_list"] = [r["own"][n] for n in FORM_NUMBERS]
    return rows


def unit_archive(user, unit: OrgUnit) -> list[dict]:
    """Every period's forms of `unit` the user may read (台账, 107号 六(一)), newest first."""
    out = []
    for n, model in ZERO_REPORTS.items():
        for case in cases_visible(model, user).filter(org=unit):
            out.append({"n": n, "form": f"表{NUMERALS[n - 1]}", "case": case,
                        "period_label": period_label(case.period)})
    return sorted(out, key=lambda x: (x["case"].period, -x["n"]), reverse=True)


def units_visible(user):
    """The units whose archive the user may open: reached through the tree."""
    if is_city_office(user):
        return OrgUnit.objects.all()
    cond = Q(pk__in=[])
    for a in user_assignments(user):
        if a.role != Role.PUBLIC:
            cond |= Q(path__startswith=a.org.path)
    return OrgUnit.objects.filter(cond)


# ---------------------------------------------------------------- warnings

def warnings_visible(user):
    return cases_visible(Warning, user).select_related("org", "issuer_org")


def ledger(user, *, county: str = "", level: str = "", period: str = "",
           unit: OrgUnit | None = None) -> list[dict]:
    """The ledger of warnings (106号 SW-4): grounds, level, issuer, recipient, answer,
    escalations, outcome; filtered by county (code), level and period (a year `2010` or a half
    `2010H1`, on the date of issue)."""
    qs = warnings_visible(user).exclude(state="withdrawn")
    if county:
        c = OrgUnit.objects.filter(code=county).first()
        qs = qs.filter(subtree_q(c.path, "org")) if c else qs.none()
    if level:
        qs = qs.filter(level=level)
    if unit is not None:
        qs = qs.filter(org=unit)
    if period:
        start, end = _period_dates(period)
        qs = qs.filter(Q(issued_on__gte=start, issued_on__lte=end)
                       | Q(issued_on__isnull=True, created_at__date__gte=start,
                           created_at__date__lte=end))
    warnings = list(qs.order_by("-issued_on", "-pk")[:5000])
    ct = ContentType.objects.get_for_model(Warning)
    fired = defaultdict(list)
    for d in Deadline.objects.filter(content_type=ct, object_id__in=[w.pk for w in warnings],
                                     fired_at__isnull=False).order_by("fired_at"):
        fired[d.object_id].append(d)
    rows = []
    for w in warnings:
        esc = [d for d in fired[w.pk] if d.kind == "escalation"]
        rows.append({"warning": w, "reference": w.reference, "level": w.get_level_display(),
                     "grounds": "、".join(w.grounds_labels()), "issuer": w.issuer_label(),
                     "recipient": w.org.name, "issued_on": w.issued_on,
                     "due_on": w.answer_due_on, "answered_on": w.answered_on,
                     "answer": w.answer_text, "answer_late": w.answer_late,
                     "escalations": len(esc),
                     "escalated_on": esc[0].fired_at.date() if esc else None,
                     "state": w.get_state_display(), "outcome": w.outcome,
                     "source": "零申报建议" if w.source.startswith("zero-report:") else ""})
    return rows


def _period_dates(period: str) -> tuple[dt.date, dt.date]:
    from kmgov.procedures.errors import ConditionUnmet

    p = period.strip().upper()
    try:
        if len(p) == 4:
            y = int(p)
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if len(p) == 6 and p[4] == "H" and p[5] in "12":
            y = int(p[:4])
            return ((dt.date(y, 1, 1), dt.date(y, 6, 30)) if p[5] == "1"
                    else (dt.date(y, 7, 1), dt.date(y, 12, 31)))
    except ValueError:
        pass
    raise ConditionUnmet(f"期间“{period}”格式不对：应写作如“2010”或“2010H1”", field="period")


def accidents_visible(user):
    if not getattr(user, "is_authenticated", False):
        return Accident.objects.none()
    cond = Q(pk__in=[])
    for a in user_assignments(user):
        if a.role != Role.PUBLIC:
            cond |= subtree_q(a.org.path, "org")
    if is_city_office(user):
        cond = Q()
    return Accident.objects.filter(cond).select_related("org")


LEVEL_CHOICES = list(Action.choices)

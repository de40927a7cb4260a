"""107号 附件 表一…表九 as online forms: the tables the gazette library parsed (kernel
`procedures.tableforms`), plus, on the forms whose items the gazette makes computable, the
figures the checks need (五(三)1 staffing, 五(三)2 township budget, 五(一)4 meetings,
五(九)1(2) drills) — optional fields, the checks run only on what was given."""

from __future__ import annotations

import functools

from pydantic import Field, create_model

from kmgov.procedures.tableforms import TableForm, TableFormError, from_table, table_form

D7 = "昆政办〔2010〕107号"
NUMERALS = "一二三四五六七八九"
FORM_NUMBERS = tuple(range(1, 10))


def form_path(n: int) -> str:
    return f"附件 表{NUMERALS[n - 1]}"


@functools.cache
def _parsed_seed() -> dict[str, object]:
    """The 107号 tables parsed from the seed gazette file (../shared), for an installation
    whose library has not ingested the issue yet (read, never copied: settings.SHARED_DIR)."""
    from django.conf import settings

    from kmgov.gazette.parser import parse_issue

    path = settings.SHARED_DIR / "gazette" / "kunming-gazette-2010-no15.txt"
    issue = parse_issue(path.read_text(encoding="utf-8"))
    out = {}
    for doc in issue.documents:
        if doc.docno != D7:
            continue
        stack = [doc.root] if hasattr(doc, "root") else list(getattr(doc, "nodes", []))
        while stack:
            node = stack.pop()
            if getattr(node, "table", None) is not None:
                out[node.path] = node.table
            stack.extend(getattr(node, "children", []) or [])
    return out


@functools.cache
def zr_form(n: int) -> TableForm:
    """表n of 107号 附件 as a `TableForm` (the library's table; the seed file otherwise)."""
    if n not in FORM_NUMBERS:
        raise TableFormError(f"107号 附件 没有表{n}")
    try:
        return table_form(D7, form_path(n))
    except Exception:  # noqa: BLE001 — not ingested yet (404) or no database: read the seed
        table = _parsed_seed().get(form_path(n))
        if table is None:
            raise TableFormError(f"{D7} {form_path(n)} 不在公报库中") from None
        return from_table(table, docno=D7, path=form_path(n))


#: The figures asked beside an item the gazette makes computable: field → (type, title, help).
EXTRA_FIELDS: dict[int, dict[str, tuple]] = {
    1: {  # 五(一)4 / 表一 第4项
        "executive_meetings": (int, "本年常务会（主任办公会）研究安全生产次数", "表一第4项：每年至少2次"),
        "safety_meetings_by_quarter": (list[int], "分管领导各季度安全生产例会次数",
                                       "表一第4项：每季度至少1次；每行填一个季度的次数"),
    },
    3: {  # 五(三)1、2 / 表三 第1、2项
        "employees": (int, "从业人员数（人）", "表三第1项：按《云南省安全生产条例》核定机构和人员"),
        "has_safety_department": (bool, "已设专门的安全生产管理机构", "表三第1项"),
        "safety_staff": (int, "专职安全生产管理人员（人）", "表三第1项"),
        "budget_yuan": (float, "乡镇（街道）本年安全生产监管经费（元）", "表三第2项：不低于3万元"),
        "previous_year_budget_yuan": (float, "乡镇（街道）上年经费（元）", "表三第2项：每年增加10%"),
    },
    9: {  # 五(九)1(2) / 表九 第2项
        "drills_per_year": (int, "本年组织应急预案演练次数", "表九第2项：政府及部门至少1次，企业至少2次"),
    },
}


def _extra(n: int) -> dict:
    out = {}
    for name, (kind, title, help_text) in EXTRA_FIELDS.get(n, {}).items():
        ge = {} if kind in (bool, list[int]) else {"ge": 0}
        out[name] = (kind | None, Field(None, title=title, description=help_text, **ge))
    return out


@functools.cache
def zr_input(n: int):
    """The step input of 表n: the table's generated model, with the check figures of `n`."""
    base = zr_form(n).input_model()
    extra = _extra(n)
    if not extra:
        return base
    model = create_model(f"ZeroReport{n}Input", __base__=base, **extra)
    model.__doc__ = base.__doc__
    model.table_form = base.table_form  # type: ignore[attr-defined]
    return model

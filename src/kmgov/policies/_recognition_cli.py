"""The CLI of a recognition procedure, for officials who batch:

    kmgov headquarters export --county wuhua --year 2027 --xlsx out.xlsx [--as USER]
    kmgov headquarters step pass_to_meeting ZB-2027-00001 ZB-2027-00002 --as panlong-ban --reason 同意
    kmgov buildings export --year 2027 --xlsx ledger.xlsx

`--as USER` applies that user's scope (and roles, for steps); an export without it is the
operator's, over all counties. Refusals print one line each, naming the case and the field.
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kmgov.core.calendar import local
from kmgov.procedures.errors import ProcedureError
from kmgov.procedures.services import case_transition

from ._recognition_services import cases_for

BASE_COLUMNS = [
    ("reference", "编号"), ("year", "年度"), ("org", "申报单位"), ("county", "县（市）区"),
    ("summary", "事项"), ("state", "状态"), ("decision_outcome", "规则判定"),
    ("submitted_at", "提交时间"), ("meeting_date", "联审会议日期"), ("meeting_outcome", "联审结论"),
    ("approved_at", "县级政府批准"), ("filed_at", "市级备案"), ("filing_number", "备案号"),
]


def ledger_rows(model, qs, extra_columns) -> tuple[list[str], list[list]]:
    headers = [label for _, label in BASE_COLUMNS] + [label for _, label, _ in extra_columns]
    rows = []
    for c in qs:
        county = c.org.county_level()
        base = {
            "reference": c.reference, "year": c.year, "org": c.org.name,
            "county": county.name if county else "", "summary": c.summary(),
            "state": c.state_label(), "decision_outcome": c.decision_outcome,
            "submitted_at": local(c.submitted_at).strftime("%Y-%m-%d %H:%M") if c.submitted_at else "",
            "meeting_date": c.meeting_date.isoformat() if c.meeting_date else "",
            "meeting_outcome": c.get_meeting_outcome_display() if c.meeting_outcome else "",
            "approved_at": local(c.approved_at).strftime("%Y-%m-%d") if c.approved_at else "",
            "filed_at": local(c.filed_at).strftime("%Y-%m-%d") if c.filed_at else "",
            "filing_number": c.filing_number,
        }
        rows.append([base[k] for k, _ in BASE_COLUMNS] + [fn(c) for _, _, fn in extra_columns])
    return headers, rows


def write_xlsx(path, title: str, headers, rows) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    ws.freeze_panes = "A2"
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, len(h) * 2 + 2)
    wb.save(path)


def make_command(model, *, title: str, extra_columns=()):
    class Command(BaseCommand):
        help = f"{title}：导出年度台账（xlsx/JSON）、批量办理环节"

        def add_arguments(self, parser):
            sub = parser.add_subparsers(dest="action", required=True)
            ex = sub.add_parser("export", help="导出申报台账")
            ex.add_argument("--county", help="县（市）区代码，如 wuhua")
            ex.add_argument("--year", type=int, help="申报年度")
            ex.add_argument("--state", help="状态，如 filed")
            ex.add_argument("--xlsx", help="写入的 xlsx 文件；不给则输出 JSON")
            ex.add_argument("--as", dest="as_user", help="以该用户的权限范围导出")
            st = sub.add_parser("step", help="对多件申报办理同一环节")
            st.add_argument("name", help="环节，如 pass_to_meeting、approve、file")
            st.add_argument("references", nargs="+")
            st.add_argument("--as", dest="as_user", required=True, help="办理人用户名")
            st.add_argument("--reason", default="")
            st.add_argument("--data", default="{}", help="环节数据（JSON 对象）")

        def _user(self, username):
            if not username:
                return None
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"没有用户“{username}”")
            return user

        def handle(self, *args, action, **opts):
            return getattr(self, f"do_{action}")(**opts)

        def do_export(self, *, county=None, year=None, state=None, xlsx=None, as_user=None,
                      **_):
            user = self._user(as_user)
            if user is not None:
                qs = cases_for(model, user, state=state, year=year, county=county)
            else:
                qs = model.objects.select_related("org", "org__parent").order_by("-year", "id")
                if state:
                    qs = qs.filter(state=state)
                if year:
                    qs = qs.filter(year=year)
                if county:
                    qs = qs.filter(org__path__contains=f"/{county}/")
            headers, rows = ledger_rows(model, qs, extra_columns)
            if xlsx:
                write_xlsx(xlsx, f"{title}{year or ''}", headers, rows)
                self.stdout.write(f"已导出 {len(rows)} 件到 {xlsx}")
            else:
                self.stdout.write(json.dumps([dict(zip(headers, r)) for r in rows],
                                             ensure_ascii=False, indent=1, default=str))

        def do_step(self, *, name, references, as_user, reason="", data="{}", **_):
            user = self._user(as_user)
            try:
                payload = json.loads(data)
                assert isinstance(payload, dict)
            except (ValueError, AssertionError):
                raise CommandError("--data 须为 JSON 对象") from None
            failed = 0
            for ref in references:
                case = model.objects.filter(reference=ref).first()
                try:
                    if case is None:
                        raise ProcedureError(f"没有编号为“{ref}”的事项", field="reference")
                    case = case_transition(case, name, actor=user, reason=reason, data=payload)
                    self.stdout.write(f"{ref}\t{case.state_label()}")
                except (ProcedureError, ValidationError) as exc:
                    failed += 1
                    msg = exc.message if isinstance(exc, ProcedureError) else "; ".join(
                        f"{k}: {'；'.join(v)}" for k, v in exc.message_dict.items())
                    self.stderr.write(f"{ref}\t拒绝：{msg}")
            if failed:
                raise CommandError(f"{failed} 件未办理")

    return Command

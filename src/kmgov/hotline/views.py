"""Pages of the desk: the public page (ask, file, follow up), the operator console, the
department desk and the statistics dashboard (with xlsx export). Views parse input, call a
service or selector, and render; every shown text is escaped by the templates."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.http import require_http_methods

from kmgov.core.models import OrgUnit
from kmgov.core.ratelimit import client_ip
from kmgov.core.replica import reads_from_replica

from . import compute, selectors, services
from .models import SATISFACTION_LEVELS, Channel, KbEntry, RequestType, Topic
from .permissions import department_orgs, is_operator


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


#: Where each field a public-page error names sits on the page (hotline/public.html), so the
#: error summary can link to it.
PUBLIC_FIELD_IDS = {"q": "ask-q", "request_type": "file-type", "text": "file-text",
                    "caller_name": "file-name", "caller_phone": "file-phone",
                    "caller_email": "file-email", "attachments": "file-attachments",
                    "number": "follow-number", "code": "follow-code"}


def _field_errors(exc: ValidationError) -> dict[str, str]:
    """{page element id: message} for the errors a public-page form can show beside a field."""
    if not hasattr(exc, "error_dict"):
        return {}
    return {PUBLIC_FIELD_IDS[f]: " ".join(ms) for f, ms in exc.message_dict.items()
            if f in PUBLIC_FIELD_IDS}


#: The citizen's view of a ticket's progress (web/_steps.html): received → handled by a
#: department → answered → closed; the index of the current step per state (states of other
#: versions of the desk fall back to "being handled").
CITIZEN_STEPS = (_noop("受理"), _noop("承办单位办理"), _noop("答复"), _noop("办结"))
_CURRENT_STEP = {"queued": 0, "open": 0, "transferred": 1, "returned": 1, "suspended": 1,
                 "replied": 3, "answered": 4, "closed": 4}


def citizen_steps(ticket) -> list[dict]:
    current = _CURRENT_STEP.get(ticket.state, 1)
    return [{"label": gettext(label),
             "status": "done" if i < current else "current" if i == current else "todo"}
            for i, label in enumerate(CITIZEN_STEPS)]


#: The staff's view of a ticket's progress: the lifecycle's stages, the current one per state.
STAFF_STEPS = (_noop("受理"), _noop("派单"), _noop("承办单位办理"), _noop("部门回复"),
               _noop("办结"), _noop("回访"))
_STAFF_CURRENT = {"queued": 0, "open": 1, "returned": 1, "transferred": 2, "suspended": 2,
                  "replied": 4, "answered": 4}


def staff_steps(ticket) -> list[dict]:
    if ticket.state == "closed":
        current = 6 if ticket.satisfaction or ticket.merged_into_id else 5
    else:
        current = _STAFF_CURRENT.get(ticket.state, 2)
    paused = ticket.state == "suspended"
    return [{"label": gettext(label) + (gettext("（挂起）") if paused and i == current else ""),
             "status": "done" if i < current else "current" if i == current else "todo"}
            for i, label in enumerate(STAFF_STEPS)]


def _ip(request):
    return client_ip(request) or None


def _attachments(request):
    return [(f.name, f.content_type or "", f.read()) for f in request.FILES.getlist("attachments")]


# --- the public page ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public(request):
    ctx = {"request_types": RequestType.choices, "q": "", "answers": None, "errors": [],
           "field_errors": {}, "created": None, "ticket": None}
    q = request.GET.get("q")
    if q is not None:
        ctx["q"] = q[:services.MAX_QUESTION]
        try:
            ctx["answers"] = compute.answers(services.clean_question(q), limit=5)
        except ValidationError as e:
            ctx["errors"] = _errors(e)
            ctx["field_errors"] = _field_errors(e)
    if request.method == "POST":
        try:
            t = services.ticket_create(
                channel=Channel.WEB, request_type=request.POST.get("request_type", ""),
                text=request.POST.get("text", ""), caller_name=request.POST.get("name", ""),
                caller_phone=request.POST.get("phone", ""),
                caller_email=request.POST.get("email", ""), attachments=_attachments(request),
                actor=request.user if request.user.is_authenticated else None,
                source_ip=_ip(request))
            ctx["created"] = t
            ctx["created_steps"] = citizen_steps(t)
        except ValidationError as e:
            ctx["errors"] = _errors(e)
            ctx["field_errors"] = _field_errors(e)
            ctx["form"] = request.POST
        except services.RateLimited as e:
            ctx["errors"] = [str(e)]
            ctx["form"] = request.POST
            return _render_public(request, ctx, status=429)
        except PermissionDenied as e:
            ctx["errors"] = [str(e)]
            ctx["denied"] = True
    number, code = request.GET.get("number"), request.GET.get("code")
    status = None
    if number:
        try:
            ctx["ticket"] = services.ticket_follow_up(number, code or "", source_ip=_ip(request))
            ctx["events"] = selectors.ticket_events(ctx["ticket"])
            ctx["ticket_steps"] = citizen_steps(ctx["ticket"])
            ctx["caller_files"] = selectors.caller_files(ctx["ticket"])
        except Http404 as e:
            ctx["errors"] = [str(e)]
            ctx["field_errors"] = {"follow-number": str(e)}
        except services.RateLimited as e:
            ctx["errors"] = [str(e)]
            status = 429
    if status is None and ctx["errors"] and request.method == "POST":
        status = 403 if ctx.get("denied") else 400  # core.errors.form_status's rule
    status = status or 200
    return _render_public(request, ctx, status=status)


def _render_public(request, ctx, *, status):
    """The public page with its error summary: each field error linked to its field, the
    others (rate limit, permission) listed without a link."""
    linked = set(ctx["field_errors"].values())
    ctx["error_links"] = [(fid, m) for fid, m in ctx["field_errors"].items()] + [
        ("", m) for m in ctx["errors"] if m not in linked]
    return render(request, "hotline/public.html", ctx, status=status)


def public_file(request, number: str, pk: int):
    """A reply document the lead unit marked for the caller, to the caller who has the
    ticket's number and check code (the follow-up lookup, throttled alike); sent as a
    download, never inline. Any other document of the ticket is a 404 here."""
    from django.http import FileResponse

    try:
        t = services.ticket_follow_up(number, request.GET.get("code", ""), source_ip=_ip(request))
    except services.RateLimited as e:
        raise PermissionDenied(str(e)) from None
    a = selectors.caller_file(t, pk)
    try:
        fh = a.file.open("rb")
    except OSError:
        raise Http404("该附件的文件已不存在") from None
    response = FileResponse(fh, as_attachment=True, filename=a.original_name,
                            content_type=a.mime_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the operator console -----------------------------------------------------------------


def _require_operator(request):
    if not is_operator(request.user):
        raise PermissionDenied("只有热线话务员可以使用话务台")


@login_required
@require_http_methods(["GET", "POST"])
def console(request):
    _require_operator(request)
    if request.method == "POST":
        try:
            t = services.ticket_create(
                channel=request.POST.get("channel", Channel.PHONE),
                request_type=request.POST.get("request_type", ""),
                text=request.POST.get("text", ""), topic=request.POST.get("topic") or None,
                caller_name=request.POST.get("name", ""),
                caller_phone=request.POST.get("phone", ""),
                attachments=_attachments(request), actor=request.user, source_ip=_ip(request),
                route=False)
            entry_id = request.POST.get("entry_id")
            entry = KbEntry.objects.filter(pk=entry_id).first() if entry_id else None
            if t.state == "open":
                t = services.ticket_route(ticket=t, actor=request.user, answer_entry=entry)
            messages.success(request, f"已受理工单 {t.number}（查询码 {t.check_code}）："
                                      f"{t.get_status_display()}")
            return redirect("hotline:console_ticket", number=t.number)
        except ValidationError as e:
            for m in _errors(e):
                messages.error(request, m)
    status = request.GET.get("status", "")
    return render(request, "hotline/console.html", {
        "queue": selectors.desk_queue(request.user)[:100],
        "tickets": selectors.tickets_filtered(selectors.tickets_visible(request.user), status)
        .order_by("-received_at")[:100],
        "filters": selectors.LIST_FILTERS, "status": status,
        "missed": selectors.missed_calls_open(request.user)[:100],
        "request_types": RequestType.choices, "channels": Channel.choices,
        "topics": Topic.objects.all(), "now": timezone.now(),
    })


@login_required
@require_http_methods(["POST"])
def missed_calls(request):
    """Record a missed call, or record that one was called back (the console's list)."""
    from .models import MissedCall

    _require_operator(request)
    try:
        if request.POST.get("action") == "call_back":
            call = MissedCall.objects.filter(pk=request.POST.get("call") or 0).first()
            if call is None:
                raise Http404("没有该未接来电")
            services.missed_call_call_back(call=call, outcome=request.POST.get("outcome", ""),
                                           ticket_number=request.POST.get("ticket", ""),
                                           actor=request.user)
            messages.success(request, f"已记录回拨 {call.phone}")
        else:
            call = services.missed_call_record(phone=request.POST.get("phone", ""),
                                               actor=request.user)
            messages.success(request, f"已记录未接来电 {call.phone}")
    except ValidationError as e:
        for m in _errors(e):
            messages.error(request, m)
    return redirect(f"{reverse('hotline:console')}#missed")


@login_required
def units(request):
    """The unit picker's server-side filter: units whose name contains `q`, grouped."""
    _require_operator(request)
    return JsonResponse({"units": selectors.units_search(request.GET.get("q", "")[:40])})


@login_required
@require_http_methods(["GET", "POST"])
def console_ticket(request, number: str):
    _require_operator(request)
    t = selectors.ticket_get(request.user, number)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            done = _console_action(request, t, action)
            if done is not None:
                t, msg = done
                messages.success(request, msg)
                return redirect("hotline:console_ticket", number=t.number)
            if action == "transfer":
                org = OrgUnit.objects.filter(code=request.POST.get("to_org", "")).first()
                if org is None:
                    raise ValidationError({"to_org": ["请选择转办单位"]})
                t = services.ticket_transfer(ticket=t, to_org=org, actor=request.user,
                                             note=request.POST.get("note", ""))
                messages.success(request, f"已转办至 {org.name}")
            elif action == "route":
                t = (services.ticket_take(ticket=t, actor=request.user) if t.state == "queued"
                     else services.ticket_route(ticket=t, actor=request.user))
                messages.success(request, f"已按分流规则处理：{t.get_status_display()}")
            elif action == "answer":
                entry = KbEntry.objects.filter(pk=request.POST.get("entry_id") or 0).first()
                if entry is None:
                    raise ValidationError({"entry_id": ["请选择答案条目"]})
                t = services.ticket_answer(ticket=t, entry=entry, actor=request.user,
                                           text=request.POST.get("text", ""))
                messages.success(request, "已直接答复")
            elif action == "reopen":
                t = services.ticket_reopen(ticket=t, actor=request.user,
                                           reason=request.POST.get("reason", ""))
                messages.success(request, "已重新办理")
            return redirect("hotline:console_ticket", number=t.number)
        except ValidationError as e:
            for m in _errors(e):
                messages.error(request, m)
        except ValueError:
            messages.error(request, "满意度或天数应为整数")
        except PermissionDenied as e:
            messages.error(request, str(e))
    picked = None
    if request.GET.get("entry"):
        picked = KbEntry.objects.filter(pk=request.GET.get("entry") or 0).first()
    # The textarea starts with what would be stored if sent unchanged: the sentence the ticket's
    # own facts compute, then the entry's text (compute.entry_answer), else the entry's text.
    picked_text = compute.entry_answer(picked, t.text) if picked is not None else ""
    return render(request, "hotline/ticket.html", {
        **_ticket_context(request, t), "files_link": True, "console": True,
        "suggestions": compute.answers(t.text, limit=5, include_nodes=False)
        if t.state in ("open", "queued") else [],
        "picked": picked, "picked_text": picked_text, "unit_groups": selectors.units_grouped(),
        "satisfaction_levels": sorted(SATISFACTION_LEVELS.items(), reverse=True),
    })


def _ticket_context(request, t) -> dict:
    events = selectors.ticket_events(t)
    return {"t": t, "events": events, "steps": staff_steps(t),
            "reply_files": [a for e in events for a in getattr(e, "files", ())],
            "intake_files": list(t.attachments().filter(key="attachment")),
            "history": selectors.caller_history(request.user, t),
            "days_left": t.working_days_left(), "now": timezone.now(),
            "supporting": list(t.supporting_orgs.all())}


def _console_action(request, t, action):
    """The lifecycle's actions on the console's ticket page; None for the older ones."""
    p, user = request.POST, request.user
    if action == "note":
        services.ticket_note(ticket=t, text=p.get("text", ""), actor=user)
        return t, "已添加备注"
    if action == "dispatch":
        t = services.ticket_dispatch(
            ticket=t, lead=p.get("lead", ""), actor=user, note=p.get("note", ""),
            supporting=[x for x in p.getlist("supporting") if x.strip()])
        return t, f"已派单至 {t.assigned_org.name}"
    if action == "finish":
        t = services.ticket_finish(ticket=t, result=p.get("result", ""), actor=user)
        return t, "已办结，办理结果已发送给来电人"
    if action == "call_back":
        sat = p.get("satisfaction")
        t = services.ticket_call_back(ticket=t, satisfaction=int(sat) if sat else None,
                                      actor=user, note=p.get("note", ""))
        return t, f"已记录回访：{t.get_status_display()}"
    if action == "merge":
        t = services.ticket_merge(ticket=t, master_number=p.get("master", ""), actor=user,
                                  note=p.get("note", ""))
        return t, f"已并入工单 {t.merged_into.number}"
    if action == "suspend":
        return services.ticket_suspend(ticket=t, note=p.get("note", ""), actor=user), "已挂起"
    if action == "resume":
        return services.ticket_resume(ticket=t, note=p.get("note", ""), actor=user), "已恢复办理"
    if action in ("extension_approve", "extension_refuse"):
        days = p.get("days")
        t = services.ticket_extension_decide(
            ticket=t, approve=action == "extension_approve", actor=user, note=p.get("note", ""),
            days=int(days) if days else None)
        return t, "已批准延期" if action == "extension_approve" else "已不同意延期"
    if action == "close":
        # 办结（不回访）: duplicate, invalid or unreachable caller, with the reason
        t = services.ticket_close_without_call_back(ticket=t, actor=user,
                                                    reason=p.get("reason", ""))
        return t, "已办结"
    return None


# --- the department desk ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def desk(request):
    orgs = department_orgs(request.user)
    if not orgs and not is_operator(request.user):
        raise PermissionDenied("您不是任何部门的联络员或工作人员")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reply":
                t = selectors.ticket_get(request.user, request.POST.get("number", ""))
                services.reply_record(ticket=t, method=request.POST.get("method", ""),
                                      text=request.POST.get("text", ""), actor=request.user)
                messages.success(request, f"已回复工单 {t.number}")
            elif action in ("entry_create", "entry_update", "entry_withdraw"):
                _desk_entry(request, action)
            return redirect("hotline:desk")
        except ValidationError as e:
            for m in _errors(e):
                messages.error(request, m)
        except PermissionDenied as e:
            messages.error(request, str(e))
    status = request.GET.get("status", "")
    return render(request, "hotline/desk.html", {
        "orgs": orgs, "filters": selectors.LIST_FILTERS, "status": status, "now": timezone.now(),
        "tickets": selectors.tickets_filtered(selectors.department_tickets(request.user),
                                              status)[:200],
        "entries": selectors.entries_visible(request.user).order_by("status", "key")[:500],
        "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def desk_ticket(request, number: str):
    """A department's ticket: the full request, the caller's contact, the deadline, the
    history, and what the unit may do (reply, refuse, ask for more time, note)."""
    orgs = department_orgs(request.user)
    if not orgs and not is_operator(request.user):
        raise PermissionDenied("您不是任何部门的联络员或工作人员")
    t = selectors.ticket_get(request.user, number)
    if request.method == "POST":
        p, user = request.POST, request.user
        action = p.get("action")
        try:
            if action == "reply":
                services.reply_record(ticket=t, method=p.get("method", ""), text=p.get("text", ""),
                                      actor=user, attachments=_attachments(request),
                                      for_caller=p.get("for_caller") == "1")
                messages.success(request, "已回复话务平台")
            elif action == "suspend":
                services.ticket_unit_suspend(ticket=t, note=p.get("note", ""), actor=user)
                messages.success(request, "已挂起：办理期限暂停，恢复后按剩余工作日继续计算")
            elif action == "resume":
                services.ticket_unit_resume(ticket=t, note=p.get("note", ""), actor=user)
                messages.success(request, "已恢复办理")
            elif action == "refuse":
                services.ticket_refuse(ticket=t, reason=p.get("reason", ""), actor=user)
                messages.success(request, "已退单，等待话务平台审核")
            elif action == "extension":
                services.ticket_extension_request(ticket=t, days=p.get("days", ""),
                                                  reason=p.get("reason", ""), actor=user)
                messages.success(request, "已提交延期申请")
            elif action == "note":
                services.ticket_note(ticket=t, text=p.get("text", ""), actor=user)
                messages.success(request, "已添加备注")
            return redirect("hotline:desk_ticket", number=t.number)
        except ValidationError as e:
            for m in _errors(e):
                messages.error(request, m)
            request.session["desk_form"] = {k: p.get(k, "") for k in ("text", "reason", "days",
                                                                       "note", "method")}
        except PermissionDenied as e:
            messages.error(request, str(e))
        return redirect("hotline:desk_ticket", number=t.number)
    from .permissions import works_for

    lead = works_for(request.user, t.assigned_org)
    paused = t.events.filter(kind="suspended").order_by("-at", "-id").first()
    return render(request, "hotline/desk_ticket.html", {
        **_ticket_context(request, t), "own": lead and t.state == "transferred",
        "lead": lead, "typed": request.session.pop("desk_form", {}),
        "unit_paused": lead and t.state == "suspended" and paused is not None
        and paused.extra.get("by_unit"),
        "files_link": lead or is_operator(request.user),
    })


def _desk_entry(request, action):
    p = request.POST
    if action == "entry_create":
        org = OrgUnit.objects.filter(code=p.get("org", "")).first()
        if org is None:
            raise ValidationError({"org": ["请选择部门"]})
        services.kb_entry_create(
            org=org, question=p.get("question", ""), answer=p.get("answer", ""),
            valid_from=p.get("valid_from") or timezone.localdate(), valid_to=p.get("valid_to") or None,
            authorised_by=p.get("authorised_by", ""), docno=p.get("docno", ""),
            node_path=p.get("node_path", ""), actor=request.user)
        messages.success(request, "已起草新条目，待本部门其他人员审批后对外作答")
        return
    entry = KbEntry.objects.filter(pk=p.get("entry_id") or 0).first()
    if entry is None:
        raise Http404("没有该条目")
    if action == "entry_withdraw":
        services.kb_entry_withdraw(entry=entry, actor=request.user, reason=p.get("reason", ""))
        messages.success(request, "已撤回条目")
    else:
        services.kb_entry_update(entry=entry, actor=request.user, answer=p.get("answer", ""),
                                 valid_to=p.get("valid_to") or None)
        messages.success(request, "已起草修改稿，待本部门其他人员审批后生效")


# --- the dashboard ------------------------------------------------------------------------


def _period(request):
    def d(name):
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None
    return d("start"), d("end")


@login_required
@reads_from_replica
def dashboard(request):
    _require_operator(request)
    start, end = _period(request)
    s = selectors.stats(start=start, end=end)
    for key in ("by_channel", "by_type", "by_topic"):
        top = max([r["count"] for r in s[key]] or [1])
        for r in s[key]:
            r["pct"] = round(100 * r["count"] / top)
    for r in s["by_department"]:
        r["rate_pct"] = round(100 * r["on_time_rate"]) if r["on_time_rate"] is not None else None
    return render(request, "hotline/dashboard.html", {"s": s})


@login_required
@reads_from_replica
def dashboard_xlsx(request):
    _require_operator(request)
    start, end = _period(request)
    data = stats_workbook(selectors.stats(start=start, end=end))
    resp = HttpResponse(data, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    resp["Content-Disposition"] = 'attachment; filename="hotline-stats.xlsx"'
    return resp


def stats_workbook(s: dict) -> bytes:
    """The statistics as an xlsx workbook: one sheet per table, each with a bar chart."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    ws = wb.active
    ws.title = "总览"
    ws.append(["统计期", f"{s['period']['start']} 至 {s['period']['end']}"])
    ws.append(["来件总数", s["total"]])
    ws.append(["直接答复", s["answered_directly"]])
    ws.append(["转办", s["transferred"]])
    ws.append(["非工作时间来件", s["after_hours"]])
    for k, label in [("queued", "非工作时间队列"), ("at_desk", "话务台待处理"),
                     ("awaiting_reply", "待部门回复"), ("overdue", "超期未回复"),
                     ("awaiting_callback", "待回访")]:
        ws.append([f"积压：{label}", s["backlog"][k]])
    for key, title in [("by_channel", "按渠道"), ("by_type", "按诉求类型"), ("by_topic", "按主题")]:
        sh = wb.create_sheet(title)
        sh.append(["类别", "件数"])
        for r in s[key]:
            sh.append([r["label"], r["count"]])
        _chart(sh, BarChart, Reference, title, len(s[key]), cols=(2, 2))
    sh = wb.create_sheet("部门按时回复")
    sh.append(["部门", "转办", "已回复", "按时回复", "按时率", "超期未回复", "满意度"])
    for r in s["by_department"]:
        sh.append([r["name"], r["transferred"], r["replied"], r["on_time"], r["on_time_rate"],
                   r["overdue_open"], r["satisfaction"]])
    _chart(sh, BarChart, Reference, "部门转办与按时回复", len(s["by_department"]), cols=(2, 4))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _chart(sheet, BarChart, Reference, title, n, cols):
    if not n:
        return
    chart = BarChart()
    chart.title = title
    data = Reference(sheet, min_col=cols[0], max_col=cols[1], min_row=1, max_row=n + 1)
    cats = Reference(sheet, min_col=1, min_row=2, max_row=n + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    sheet.add_chart(chart, "J2")


"""Web pages of the procedures kernel: the inbox, and a generic page for any case of any
registered procedure (its state, documents, history, and the steps the reader may take)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_POST

from kmgov.core.errors import Refusal, form_status

from . import selectors, services
from .declare import steps_of
from .errors import CaseNotFound, ProcedureError, StepInputInvalid
from .inputs import form_fields, form_parse
from .paging import paginate

#: Where a refused step form's values and messages wait for the page it came back to.
_FLASH = "kmgov_step_form"


def step_forms(request, case, steps=None) -> list[dict]:
    """The forms of the steps the user may take now, generated from their declared inputs;
    a form refused a moment ago comes back with what was typed and a message per field."""
    steps = selectors.steps_available(case, request.user) if steps is None else steps
    flash = request.session.pop(_FLASH, None) if hasattr(request, "session") else None
    if flash and flash.get("case") != f"{case.procedure.code}:{case.reference}":
        flash = None
    out = []
    for spec in steps:
        mine = flash if flash and flash.get("step") == spec.name else {}
        closed = ""  # a step taken only in the filing window says so before it is tried
        if spec.window and case.procedure.window is not None:
            from django.utils import timezone

            from .errors import WindowClosed

            try:
                case.procedure.window.check_open(timezone.now())
            except WindowClosed as exc:
                closed = exc.message
        out.append({
            "closed": closed,
            "negative": is_negative(spec),
            "spec": spec,
            "fields": form_fields(spec.input, values=mine.get("values"),
                                  errors=mine.get("errors")),
            "reason": mine.get("reason", ""),
            "error": mine.get("message", ""),
            "confirm_error": (mine.get("errors") or {}).get("confirm", ""),
            "reason_error": (mine.get("errors") or {}).get("reason", ""),
        })
    # the step that moves the case forward first (通过 is the primary action); refusing,
    # returning and withdrawing after it, shown as secondary and asking for confirmation
    out.sort(key=lambda s: s["negative"])
    return out


_NEGATIVE = re.compile(r"reject|fail|return|withdraw|refus|cancel|revoke|deny|close")


def is_negative(spec) -> bool:
    """A step that refuses, returns or ends a case (its reason is required, or its name says
    so): shown after the positive one, as a warning, behind a confirmation."""
    return bool(spec.reason_required or _NEGATIVE.search(spec.name))


def take_step_from_form(request, case, name: str):
    """Take a step from a page's form. Returns (case, None) or (case, the refusal); on
    refusal the typed values (amounts in the unit typed) and the messages per field are kept
    for the page (`step_forms`). A negative step (`is_negative`) is refused here, before
    anything is locked or written, unless its confirmation box was ticked: the browser's
    `required` is a convenience, this is the rule (docs/architecture.md)."""
    spec = steps_of(type(case)).get(name)
    data, typed, form_errors = form_parse(spec.input if spec else None, request.POST)
    reason = request.POST.get("reason", "")
    try:
        problems = [{"field": k, "message": v} for k, v in form_errors.items()]
        if (spec is not None and is_negative(spec)
                and request.POST.get("confirm") not in ("on", "true", "1")
                and any(s.name == name for s in selectors.steps_available(case, request.user))):
            # (a step the reader may not take is refused by the kernel, as without a form)
            label = gettext(spec.label)
            problems.append({"field": "confirm",
                             "message": gettext(_CONFIRM_MISSING) % {"step": label}})
            if spec.reason_required and not reason.strip():  # said at once, not one by one
                problems.append({"field": "reason", "message": f"“{label}”须填写理由"})
        if problems:
            raise StepInputInvalid("；".join(p["message"] for p in problems), errors=problems)
        case = services.case_step(
            case, name, actor=request.user, reason=reason,
            expected_state=request.POST.get("expected_state") or case.state, data=data)
    except ProcedureError as exc:
        errors = {}
        if isinstance(exc, StepInputInvalid):
            errors = {e["field"].split(".")[0]: e["message"] for e in exc.errors}
        elif exc.field:
            errors = {exc.field: exc.message}
        request.session[_FLASH] = {
            "case": f"{case.procedure.code}:{case.reference}", "step": name,
            "values": {**data, **typed}, "errors": errors, "reason": reason,
            "message": exc.message}
        return case, exc
    return case, None


#: The refusal of a negative step sent without its confirmation (shown beside the box).
_CONFIRM_MISSING = gettext_noop("请先勾选确认框，确认办理“%(step)s”")


@login_required
def inbox(request):
    include_done = request.GET.get("done") == "1"
    items = paginate(selectors.inbox_for(request.user, include_done=include_done), request)
    return render(request, "procedures/inbox.html",
                  {"items": items, "page": items, "include_done": include_done})


def _case_or_404(request, procedure: str, reference: str):
    try:
        return selectors.case_get(procedure=procedure, reference=reference, user=request.user)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc


_ACTION_LABELS = {"create": gettext_noop("创建"), "attachment_add": gettext_noop("上传材料"),
                  "update": gettext_noop("修改申报内容"),
                  "reminder": gettext_noop("到期提醒"), "escalation": gettext_noop("逾期督办")}


def history_rows(case) -> list[dict]:
    """The audit trail in words: what was done (the step's label), from which state to which
    (their labels), never an action code or a state id."""
    from django.utils.translation import gettext

    labels = {k: gettext(v) for k, v in type(case)._meta.get_field("state").flatchoices}
    return [
        {"entry": e, "what": gettext(
            e.extra.get("step") or case.procedure.action_labels.get(e.action.rsplit(".", 1)[-1])
            or _ACTION_LABELS.get(e.action.rsplit(".", 1)[-1], "办理")),
         "from": labels.get(e.from_state, e.from_state), "to": labels.get(e.to_state, e.to_state)}
        for e in selectors.case_history(case)
    ]


def case_context(request, case) -> dict:
    """What the case page shows; policy pages extending procedures/case.html reuse it."""
    from .decisions import latest_decision_context
    from .ledger import payments_of

    history = history_rows(case)
    checklist = case.procedure.checklist
    attachments = [{"label": checklist.get(a.key, a.key), "a": a} for a in selectors.attachments_visible(case, request.user)]
    return {
        "case": case,
        "proc": case.procedure,
        "steps": selectors.steps_available(case, request.user),
        "step_forms": step_forms(request, case),
        "attachments": attachments,
        "history": history,
        "open_items": selectors.open_items_for_case(case),
        "can_attach": case.state in case.procedure.editable_states and bool(
            case.procedure.checklist),
        "payments": payments_of(case),
        # the latest decision kept for the case (procedures/_decision.html)
        "latest_decision": latest_decision_context(case, request.user),
    }


@login_required
def case_list(request, procedure: str):
    """Any registered procedure's list: the cases the user may read (generated, no policy
    code needed)."""
    from .caseviews import case_list as listing
    from .declare import procedure_model

    try:
        model = procedure_model(procedure)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc
    return listing(request, model)


@login_required
def case_detail(request, procedure: str, reference: str):
    from .caseviews import case_fields

    case = _case_or_404(request, procedure, reference)
    ctx = case_context(request, case)
    ctx["fields"] = case_fields(case)
    return render(request, "procedures/case.html", ctx)


def _back(request, procedure: str, reference: str):
    """Back to the page the form was on (a policy's own case page), else the generic one."""
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("procedures:case", procedure=procedure, reference=reference)


@login_required
@require_POST
def case_step(request, procedure: str, reference: str, name: str):
    case = _case_or_404(request, procedure, reference)
    case, refused = take_step_from_form(request, case, name)
    if refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"已办理：{case.state_label()}")
    return _back(request, procedure, reference)


@login_required
@require_POST
def case_attach(request, procedure: str, reference: str):
    case = _case_or_404(request, procedure, reference)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            services.attachment_add(case, key=request.POST.get("key", ""), file=upload,
                                    name=upload.name, actor=request.user)
        except ProcedureError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已上传：{upload.name}")
    return _back(request, procedure, reference)


@login_required
def attachment_download(request, procedure: str, reference: str, pk: int):
    """A material of a case, for whoever may see the case (its scope: another county's case,
    or another enterprise's, is a 404 like the case itself); sent as a download, never shown
    inline (an uploaded file is not trusted as a page)."""
    from django.http import FileResponse

    case = _case_or_404(request, procedure, reference)
    a = selectors.attachments_visible(case, request.user).filter(pk=pk).first()
    if a is None:
        raise Http404("没有找到该材料，或您无权查看")
    try:
        fh = a.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("该材料的文件已不存在") from None
    response = FileResponse(fh, as_attachment=True, filename=a.original_name,
                            content_type=a.mime_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def notifications(request):
    """The reader's messages (warnings, escalations) with a button to confirm each."""
    from . import notify

    if request.method == "POST":
        try:
            notify.delivery_acknowledge(int(request.POST.get("delivery") or 0), actor=request.user)
            messages.success(request, gettext_noop("已确认收到"))
        except ProcedureError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)
    page = paginate(notify.inbox_of(request.user), request)
    return render(request, "procedures/notifications.html", {"page": page, "items": page.items})


@login_required
def notification_settings(request):
    """The reader's own choice of channels (in-app, e-mail, SMS) and addresses."""
    from . import notify

    errors = {}
    if request.method == "POST":
        try:
            notify.preference_set(request.user, channels=request.POST.getlist("channels"),
                                  email_address=request.POST.get("email_address", ""),
                                  phone=request.POST.get("phone", ""))
            messages.success(request, gettext_noop("已保存通知设置"))
            return redirect(request.path)
        except ProcedureError as exc:
            errors[exc.field or "channels"] = exc.message
    pref = notify.preference_of(request.user)
    channels = [{"value": c, "label": label, "checked": pref.wants(c)}
                for c, label in (("inbox", gettext_noop("站内消息")),
                                 ("email", gettext_noop("电子邮件")),
                                 ("sms", gettext_noop("短信")))]
    return render(request, "procedures/notification_settings.html", {
        "pref": pref, "channels": channels, "errors": errors,
        "values": request.POST if request.method == "POST" else None}, status=400 if errors else 200)


@login_required
def import_job(request, job_id: int):
    """A background import's progress and outcome (refreshed by the browser every 5 s through
    the `Refresh` header, no script, until it is finished)."""
    from . import imports

    try:
        job = imports.import_get(job_id, request.user)
    except Refusal as exc:
        raise Http404(exc.message) from exc
    response = render(request, "procedures/import_job.html", {
        "job": job, "label": imports.import_label(job), "summary": imports.import_summary(job),
        "link": imports.import_link(job)})
    if not job.finished:
        response["Refresh"] = "5"
    return response


@login_required
def import_new(request, kind: str):
    """Upload a file for a background import of `kind`: the job is started (or refused, the
    form shown again with the reason in Chinese, nothing stored) and the reader is taken to its
    progress page."""
    from . import imports

    try:
        imp = imports.importer_get(kind)
    except Refusal as exc:
        raise Http404(exc.message) from exc
    error, field, status = "", "", 200
    if request.method == "POST":
        try:
            job = imports.import_start(kind=kind, actor=request.user,
                                       upload=request.FILES.get("file"),
                                       params={n: request.POST.get(n, "") for n, _, _ in imp.params})
            return redirect("procedures:import_job", job_id=job.pk)
        except Refusal as exc:
            error, field, status = exc.message, exc.field or "", form_status(exc)
    fields = [{"name": n, "label": label, "value": request.POST.get(n, "")}
              for n, label, _ in imp.params]
    return render(request, "procedures/import_new.html", {
        "label": imp.label, "fields": fields, "accept": ",".join(imp.suffixes),
        "suffixes": "、".join(imp.suffixes), "error": error, "field": field}, status=status)

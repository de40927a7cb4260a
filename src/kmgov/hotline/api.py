"""JSON API of the desk, mounted at /api/v1/hotline/. Reads are public where the data is
(answers, suggestions, a ticket by number + check code); everything else needs a login and is
scoped by role."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from ninja import Router, Schema
from ninja.responses import NinjaJSONEncoder

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.core.models import OrgUnit
from kmgov.core.ratelimit import client_ip
from kmgov.core.replica import reads_from_replica

from . import compute, kb, selectors, services
from .models import KbEntry, Ticket

router = Router(tags=["96128 热线 hotline"])


class MissingOut(Schema):
    field: str
    ask: str


class ComputedOut(Schema):
    """The rule the entry links, run on the question's facts (or what to ask for)."""

    rule: str
    status: str  # computed | needs | refused
    sentence: str
    citation: str
    form_url: str
    inputs: dict
    outputs: dict
    outcome: str | None
    amount: float | None
    amount_output: str
    missing: list[MissingOut]
    assumptions: list[str]
    trace_citations: list[str]


class AnswerOut(Schema):
    kind: str
    score: float
    title: str
    text: str
    citation: str
    url: str
    org: str
    org_code: str
    valid_from: str | None
    valid_to: str | None
    authorised_by: str
    rule_url: str
    entry_id: int | None
    computed: ComputedOut | None = None


class AnswersOut(Schema):
    query: str
    count: int
    answers: list[AnswerOut]


# The fields of `AnswerOut` but `computed`, in its order (the JSON an answer is written as).
_ANSWER_FIELDS = tuple(n for n in AnswerOut.model_fields if n != "computed")
_COMPUTED_FIELDS = tuple(ComputedOut.model_fields)
#: The answers are written straight to JSON in the schema's shape, not validated through
#: `AnswersOut` (that cost as much as ranking the question). tests/hotline/test_answer_json.py
#: compares the bytes of both ways for every question of the team's set.
FAST_ANSWERS = True


def _computed_out(c: dict | None) -> dict | None:
    """`ComputedOut` of `compute.Computed.as_dict()`: its fields in order, the amount a float
    and each missing fact as `MissingOut` (what the schema's validation makes of them)."""
    if c is None:
        return None
    out = {n: c[n] for n in _COMPUTED_FIELDS}
    out["amount"] = None if c["amount"] is None else float(c["amount"])
    out["missing"] = [{"field": m["field"], "ask": m["ask"]} for m in c["missing"]]
    return out


@router.get("/answers", response=AnswersOut, summary="按问题检索授权答案（公开）")
def answers(request, q: str = "", limit: int = 5, nodes: bool = True):
    q = services.clean_question(q)
    hits = compute.answers(q, limit=max(1, min(limit, 20)), include_nodes=nodes)
    out = {"query": q, "count": len(hits), "answers": [h.as_dict() for h in hits]}
    if not FAST_ANSWERS:
        return out
    # Each value is already of its field's type (Answer.as_dict: str, a rounded float, an int
    # or None), so this is what ninja's validation and rendering would write.
    out["answers"] = [{**{n: a[n] for n in _ANSWER_FIELDS},
                       "computed": _computed_out(a.get("computed"))} for a in out["answers"]]
    return HttpResponse(json.dumps(out, cls=NinjaJSONEncoder),
                        content_type="application/json; charset=utf-8")


class SuggestOut(Schema):
    entry_id: int | None
    question: str
    org: str


@router.get("/suggest", response=list[SuggestOut], summary="输入时的答案提示（公开）")
def suggest(request, q: str = ""):
    q = kb.clean_text(q)[: services.MAX_QUESTION]
    if not q:
        return []
    return [{"entry_id": h.entry_id, "question": h.title, "org": h.org}
            for h in kb.answers(q, limit=5, include_nodes=False)]


class EventOut(Schema):
    at: dt.datetime
    kind: str
    from_org: str | None
    to_org: str | None
    method: str
    text: str
    citation: str


class TicketOut(Schema):
    number: str
    channel: str
    request_type: str
    topic: str | None
    status: str
    status_display: str
    text: str
    received_at: dt.datetime
    after_hours: bool
    handle_from: dt.datetime | None
    assigned_org: str | None
    assigned_org_code: str | None
    due_at: dt.datetime | None
    answer_text: str
    answer_citation: str | None
    satisfaction: int | None
    events: list[EventOut]
    result: str = ""
    supporting_orgs: list[str] = []
    merged_into: str | None = None
    extension_days: int | None = None
    working_days_left: int | None = None
    #: The caller's contact: for the desk and the units handling the ticket, never public.
    caller_name: str | None = None
    caller_phone: str | None = None
    caller_email: str | None = None


class TicketCreatedOut(TicketOut):
    check_code: str


def ticket_out(t: Ticket, *, with_code=False, staff=False, new=False) -> dict:
    """The ticket as the API gives it. `new`: the ticket this request has just filed — no
    deadline of it can have fired and the intake names no supporting unit, so neither is read
    (two queries of the intake's answer), and its events are the ones the intake wrote (kept
    on the ticket by `services.ticket_create`), not read back."""
    d = dict(
        number=t.number, channel=t.channel, request_type=t.request_type,
        topic=t.topic.code if t.topic else None, status=t.state,
        status_display=t.get_state_display(), text=t.text, received_at=t.received_at,
        after_hours=t.after_hours, handle_from=t.handle_from,
        assigned_org=t.assigned_org.name if t.assigned_org else None,
        assigned_org_code=t.assigned_org.code if t.assigned_org else None,
        due_at=t.due_at or t.reply_due_at, answer_text=t.answer_text,
        answer_citation=t.answer_entry.citation if t.answer_entry else None,
        satisfaction=t.satisfaction,
        events=[dict(at=e.at, kind=e.kind, from_org=e.from_org.name if e.from_org else None,
                     to_org=e.to_org.name if e.to_org else None, method=e.method, text=e.text,
                     citation=e.citation) for e in selectors.ticket_events(
                         t, fired=not new,
                         written=getattr(t, "_kmgov_events", None) if new else None)],
    )
    d.update(result=t.result,
             supporting_orgs=[] if new else [o.name for o in t.supporting_orgs.all()],
             merged_into=t.merged_into.number if t.merged_into_id else None,
             extension_days=t.extension_days, working_days_left=t.working_days_left())
    if staff:
        d.update(caller_name=t.caller_name, caller_phone=t.caller_phone,
                 caller_email=t.caller_email)
    if with_code:
        d["check_code"] = t.check_code
    return d


class TicketIn(Schema):
    channel: str = "phone"
    request_type: str
    text: str
    topic: str | None = None
    caller_name: str = ""
    caller_phone: str = ""
    caller_email: str = ""


@router.post("/tickets", response={201: TicketCreatedOut}, auth=LOGIN_REQUIRED,
             summary="受理工单（话务员、窗口）")
def ticket_create(request, payload: TicketIn):
    t = services.ticket_create(actor=request.auth, source_ip=_ip(request), **payload.dict())
    return 201, ticket_out(t, with_code=True, staff=True, new=True)


@router.get("/tickets", response=list[TicketOut], auth=LOGIN_REQUIRED,
            summary="工单列表（按权限范围）")
def ticket_list(request, status: str | None = None, limit: int = 50):
    qs = selectors.tickets_visible(request.auth)
    if status:
        qs = qs.filter(state=status)
    return [ticket_out(t, staff=True) for t in qs[: max(1, min(limit, 200))]]


@router.get("/tickets/lookup", response=TicketOut, summary="凭工单号和查询码查询办理进度（公开）")
def ticket_lookup(request, number: str, code: str):
    return ticket_out(services.ticket_follow_up(number, code, source_ip=_ip(request)))


@router.get("/tickets/{number}", response=TicketOut, auth=LOGIN_REQUIRED, summary="一个工单")
def ticket_get(request, number: str):
    return ticket_out(selectors.ticket_get(request.auth, number), staff=True)


class TransferIn(Schema):
    to_org: str
    note: str = ""


@router.post("/tickets/{number}/transfer", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="转办")
def ticket_transfer(request, number: str, payload: TransferIn):
    t = selectors.ticket_get(request.auth, number)
    org = OrgUnit.objects.filter(code=payload.to_org).first()
    if org is None:
        raise ValidationError({"to_org": ["没有该单位"]})
    t = services.ticket_transfer(ticket=t, to_org=org, actor=request.auth, note=payload.note)
    return ticket_out(t)


class AnswerIn(Schema):
    entry_id: int | None = None


@router.post("/tickets/{number}/route", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="按分流规则处理（可指定答案条目）")
def ticket_route(request, number: str, payload: AnswerIn):
    t = selectors.ticket_get(request.auth, number)
    services.require_operator(request.auth)
    entry = KbEntry.objects.filter(pk=payload.entry_id).first() if payload.entry_id else None
    if t.state == "queued":
        t = services.ticket_take(ticket=t, actor=request.auth)
    else:
        t = services.ticket_route(ticket=t, actor=request.auth, answer_entry=entry)
    return ticket_out(t)


class ReplyIn(Schema):
    method: str
    text: str


@router.post("/tickets/{number}/reply", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="部门回复（电话记录或邮件）")
def ticket_reply(request, number: str, payload: ReplyIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.reply_record(ticket=t, actor=request.auth, **payload.dict()))


class CloseIn(Schema):
    satisfaction: int | None = None
    note: str = ""


@router.post("/tickets/{number}/close", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="回访办结（满意度 1–5）")
def ticket_close(request, number: str, payload: CloseIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_close(ticket=t, actor=request.auth, **payload.dict()))


class EntryOut(Schema):
    id: int
    key: str
    org: str
    question: str
    answer: str
    citation: str
    rule_url: str
    valid_from: dt.date
    valid_to: dt.date | None
    authorised_by: str
    status: str
    version: int


def entry_out(e: KbEntry) -> dict:
    return dict(id=e.pk, key=e.key, org=e.org.code, question=e.question, answer=e.answer,
                citation=e.citation, rule_url=e.rule_url, valid_from=e.valid_from,
                valid_to=e.valid_to, authorised_by=e.authorised_by, status=e.status,
                version=e.version)


class EntryIn(Schema):
    org: str
    question: str
    answer: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    authorised_by: str = ""
    docno: str = ""
    node_path: str = ""
    rule_id: str = ""
    keywords: str = ""


class EntryPatch(Schema):
    question: str | None = None
    answer: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    authorised_by: str | None = None
    keywords: str | None = None


@router.get("/entries", response=list[EntryOut], auth=LOGIN_REQUIRED,
            summary="知识库条目（本部门）")
def entry_list(request):
    return [entry_out(e) for e in selectors.entries_visible(request.auth)]


@router.post("/entries", response={201: EntryOut}, auth=LOGIN_REQUIRED,
             summary="起草新条目（部门审批后对外作答）")
def entry_create(request, payload: EntryIn):
    data = payload.dict()
    org = OrgUnit.objects.filter(code=data.pop("org")).first()
    if org is None:
        raise ValidationError({"org": ["没有该单位"]})
    e = services.kb_entry_create(org=org, actor=request.auth, **data)
    return 201, entry_out(e)


def _entry(request, entry_id: int) -> KbEntry:
    e = KbEntry.objects.select_related("org").filter(pk=entry_id).first()
    if e is None:
        raise Http404("没有该条目")
    return e


@router.patch("/entries/{entry_id}", response=EntryOut, auth=LOGIN_REQUIRED,
              summary="起草修改（新版本，部门审批后生效）")
def entry_update(request, entry_id: int, payload: EntryPatch):
    changes = {k: v for k, v in payload.dict().items() if v is not None}
    return entry_out(services.kb_entry_update(entry=_entry(request, entry_id),
                                              actor=request.auth, **changes))


@router.post("/entries/{entry_id}/withdraw", response=EntryOut, auth=LOGIN_REQUIRED,
             summary="撤回条目")
def entry_withdraw(request, entry_id: int):
    return entry_out(services.kb_entry_withdraw(entry=_entry(request, entry_id),
                                                actor=request.auth))


class VersionOut(Schema):
    number: int
    status: str
    question: str
    answer: str
    valid_from: dt.date
    valid_to: dt.date | None
    author: str | None
    created_at: dt.datetime
    note: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str


class DecisionIn(Schema):
    note: str = ""


class RejectIn(Schema):
    reason: str


def version_out(v) -> dict:
    return dict(number=v.number, status=v.status, question=v.question, answer=v.answer,
                valid_from=v.valid_from, valid_to=v.valid_to,
                author=v.author.get_username() if v.author else None,
                created_at=v.created_at, note=v.note,
                decided_by=v.decided_by.get_username() if v.decided_by else None,
                decided_at=v.decided_at, decision_note=v.decision_note)


def _visible_entry(request, entry_id: int) -> KbEntry:
    e = selectors.entries_visible(request.auth).filter(pk=entry_id).first()
    if e is None:
        raise Http404("没有该条目")
    return e


def _version(request, entry_id: int, number: int):
    v = _visible_entry(request, entry_id).versions.filter(number=number).first()
    if v is None:
        raise Http404("没有该版本")
    return v


@router.get("/entries/{entry_id}/versions", response=list[VersionOut], auth=LOGIN_REQUIRED,
            summary="条目的版本记录（本部门）")
def entry_versions(request, entry_id: int):
    e = _visible_entry(request, entry_id)
    return [version_out(v) for v in e.versions.select_related("author", "decided_by")]


@router.post("/entries/{entry_id}/versions/{number}/approve", response=EntryOut,
             auth=LOGIN_REQUIRED, summary="部门审批通过（起草人不能审批）")
def entry_version_approve(request, entry_id: int, number: int, payload: DecisionIn):
    return entry_out(services.kb_version_approve(version=_version(request, entry_id, number),
                                                 actor=request.auth, note=payload.note))


@router.post("/entries/{entry_id}/versions/{number}/reject", response=VersionOut,
             auth=LOGIN_REQUIRED, summary="部门退回修改稿")
def entry_version_reject(request, entry_id: int, number: int, payload: RejectIn):
    return version_out(services.kb_version_reject(version=_version(request, entry_id, number),
                                                  actor=request.auth, reason=payload.reason))


# --- the lifecycle (national 12345 guidelines); each is also a kernel step where it changes
# the state (`/api/v1/cases/hotline/{reference}/steps/{step}`) ---------------------------------


class DispatchIn(Schema):
    lead: str
    supporting: list[str] = []
    note: str = ""


@router.post("/tickets/{number}/dispatch", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="派单：主办单位与协办单位（单位代码或全称）；退单后即改派")
def ticket_dispatch(request, number: str, payload: DispatchIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_dispatch(ticket=t, actor=request.auth, **payload.dict()),
                      staff=True)


class TextIn(Schema):
    text: str


@router.post("/tickets/{number}/notes", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="内部备注（话务台、主办和协办单位）")
def ticket_note(request, number: str, payload: TextIn):
    t = selectors.ticket_get(request.auth, number)
    services.ticket_note(ticket=t, text=payload.text, actor=request.auth)
    return ticket_out(t, staff=True)


class ReasonIn(Schema):
    reason: str


@router.post("/tickets/{number}/refuse", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="退单（承办单位，说明理由）")
def ticket_refuse(request, number: str, payload: ReasonIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_refuse(ticket=t, reason=payload.reason, actor=request.auth),
                      staff=True)


class MergeIn(Schema):
    master: str
    note: str = ""


@router.post("/tickets/{number}/merge", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="并单：重复诉求并入主工单")
def ticket_merge(request, number: str, payload: MergeIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_merge(ticket=t, master_number=payload.master,
                                            note=payload.note, actor=request.auth), staff=True)


class FinishIn(Schema):
    result: str


@router.post("/tickets/{number}/finish", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="办结（办理结果发送给来电人）")
def ticket_finish(request, number: str, payload: FinishIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_finish(ticket=t, result=payload.result, actor=request.auth),
                      staff=True)


@router.post("/tickets/{number}/call-back", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="回访：5 非常满意 … 1 非常不满意；不满意的退回承办单位")
def ticket_call_back(request, number: str, payload: CloseIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_call_back(ticket=t, actor=request.auth, **payload.dict()),
                      staff=True)


class ExtensionIn(Schema):
    days: int
    reason: str


@router.post("/tickets/{number}/extension", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="申请延期（承办单位，工作日）")
def ticket_extension(request, number: str, payload: ExtensionIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_extension_request(ticket=t, actor=request.auth,
                                                        **payload.dict()), staff=True)


class ExtensionDecisionIn(Schema):
    approve: bool
    days: int | None = None
    note: str = ""


@router.post("/tickets/{number}/extension/decision", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="延期审批（话务台）")
def ticket_extension_decide(request, number: str, payload: ExtensionDecisionIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_extension_decide(ticket=t, actor=request.auth,
                                                       **payload.dict()), staff=True)


class NoteIn(Schema):
    note: str = ""


@router.post("/tickets/{number}/suspend", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="挂起（等待来电人补充，期限暂停）")
def ticket_suspend(request, number: str, payload: NoteIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_suspend(ticket=t, note=payload.note, actor=request.auth),
                      staff=True)


@router.post("/tickets/{number}/resume", response=TicketOut, auth=LOGIN_REQUIRED,
             summary="恢复办理（按剩余工作日继续计算）")
def ticket_resume(request, number: str, payload: NoteIn):
    t = selectors.ticket_get(request.auth, number)
    return ticket_out(services.ticket_resume(ticket=t, note=payload.note, actor=request.auth),
                      staff=True)


@router.get("/tickets/{number}/caller-history", response=list[TicketOut], auth=LOGIN_REQUIRED,
            summary="同一来电号码的其他工单（按权限范围）")
def ticket_caller_history(request, number: str):
    t = selectors.ticket_get(request.auth, number)
    return [ticket_out(h, staff=True) for h in selectors.caller_history(request.auth, t)]


class UnitOut(Schema):
    code: str
    name: str
    group: str
    group_label: str


@router.get("/units", response=list[UnitOut], auth=LOGIN_REQUIRED,
            summary="可转办的单位（名称包含 q，按层级和类别分组）")
def units(request, q: str = ""):
    services.require_operator(request.auth)
    return selectors.units_search(q[:40])


class MissedCallOut(Schema):
    id: int
    phone: str
    at: dt.datetime
    called_back_at: dt.datetime | None
    outcome: str
    ticket: str | None


def _missed_out(c) -> dict:
    return dict(id=c.pk, phone=c.phone, at=c.at, called_back_at=c.called_back_at,
                outcome=c.outcome, ticket=c.ticket.number if c.ticket_id else None)


class MissedCallIn(Schema):
    phone: str


@router.get("/missed-calls", response=list[MissedCallOut], auth=LOGIN_REQUIRED,
            summary="待回拨的未接来电（话务台）")
def missed_calls(request):
    services.require_operator(request.auth)
    return [_missed_out(c) for c in selectors.missed_calls_open(request.auth)[:500]]


@router.post("/missed-calls", response={201: MissedCallOut}, auth=LOGIN_REQUIRED,
             summary="登记未接来电")
def missed_call_record(request, payload: MissedCallIn):
    return 201, _missed_out(services.missed_call_record(phone=payload.phone, actor=request.auth))


class CallBackIn(Schema):
    outcome: str
    ticket: str = ""


@router.post("/missed-calls/{call_id}/call-back", response=MissedCallOut, auth=LOGIN_REQUIRED,
             summary="记录回拨结果")
def missed_call_back(request, call_id: int, payload: CallBackIn):
    from .models import MissedCall

    services.require_operator(request.auth)
    call = MissedCall.objects.filter(pk=call_id).first()
    if call is None:
        raise Http404("没有该未接来电")
    return _missed_out(services.missed_call_call_back(call=call, outcome=payload.outcome,
                                                      ticket_number=payload.ticket,
                                                      actor=request.auth))


@router.get("/stats", auth=LOGIN_REQUIRED, summary="统计（话务台）")
@reads_from_replica
def stats(request, start: dt.date | None = None, end: dt.date | None = None):
    services.require_operator(request.auth)
    return selectors.stats(start=start, end=end)


def _ip(request) -> str | None:
    return client_ip(request) or None


def install(api, prefix: str = "/hotline") -> None:
    """Mount the router and the desk's own error (429 for a flood of posts); declared on
    HotlineConfig.contributions and called by kmgov.site."""
    api.add_router(prefix, router)

    @api.exception_handler(services.RateLimited)
    def _rate_limited(request, exc):
        resp = api.create_response(request, {"detail": str(exc)}, status=429)
        resp["Retry-After"] = str(exc.retry_after)
        return resp

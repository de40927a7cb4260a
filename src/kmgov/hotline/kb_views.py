"""Pages of the knowledge base's governance (issue 13 item 4): the list of a reader's entries
with the drafts awaiting approval, drafting a new entry or a change, and an entry's page with
its approved current content, its version history with differences, and the department's
approve / send back / withdraw forms. Staff only (operators, departments' liaisons and
officials, administrators); every write goes through `services` (audited)."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kmgov.core.models import OrgUnit

from . import selectors, services
from .models import KbEntry, KbEntryVersion, Topic, VersionStatus
from .permissions import department_orgs, is_operator, works_for

FIELD_LABELS = {
    "question": "问题", "answer": "答案", "keywords": "检索词", "docno": "公报文号",
    "node_path": "条款", "rule_id": "计算规则", "valid_from": "授权起", "valid_to": "授权止",
    "authorised_by": "授权人", "topic": "主题", "kind": "类别",
}
FORM_FIELDS = ("question", "answer", "keywords", "docno", "node_path", "rule_id",
               "valid_from", "valid_to")


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def _require_staff(request) -> None:
    if not (is_operator(request.user) or department_orgs(request.user)):
        raise PermissionDenied("只有热线话务员和各部门联络员、工作人员可以维护知识库")


def _drafting_orgs(user):
    """The units a reader may draft for: the operator any department; a department its own."""
    if is_operator(user):
        return list(OrgUnit.objects.filter(kind__in=["department", "unit"]).order_by("path"))
    return department_orgs(user)


def _text(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def diff_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level differences (Chinese has no spaces): (op, text), op one of
    "same" / "del" / "ins"; the template escapes the text."""
    out: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(("same", old[i1:i2]))
        else:
            if i2 > i1:
                out.append(("del", old[i1:i2]))
            if j2 > j1:
                out.append(("ins", new[j1:j2]))
    return out


def _shown(obj, f: str) -> str:
    """A field as people read it: the kind's label, the rule's title (not its id)."""
    v = getattr(obj, f)
    if f == "kind":
        return str(dict(KbEntry._meta.get_field("kind").choices).get(v, v))
    if f == "rule_id" and v:
        return _rule_titles().get(v, v)
    return _text(v)


def _rule_titles() -> dict[str, str]:
    from kmgov.rules import rule_list

    return {r.id: r.title for r in rule_list()}


def version_changes(prev: KbEntryVersion | None, v: KbEntryVersion) -> list[dict]:
    changes = []
    for f in KbEntry.CONTENT_FIELDS:
        new = _shown(v, f)
        old = _shown(prev, f) if prev is not None else ""
        if prev is not None and old == new:
            continue
        changes.append({"label": FIELD_LABELS.get(f, f),
                        "segments": diff_segments(old, new) if prev is not None
                        else [("same", new)]})
    return changes


@login_required
def kb_list(request):
    _require_staff(request)
    entries = selectors.entries_visible(request.user).order_by("status", "org__path", "key")
    pending = KbEntryVersion.objects.filter(
        status=VersionStatus.PENDING, entry__in=entries).select_related("entry__org", "author")
    mine_to_approve = [v for v in pending if works_for(request.user, v.entry.org)
                       and v.author_id != request.user.pk]
    return render(request, "hotline/kb/list.html", {
        "entries": entries[:500], "pending": pending, "to_approve": mine_to_approve,
        "today": timezone.localdate(),
    })


def _form_values(src) -> dict:
    """What the form shows: the submitted text (nothing typed is lost) or an entry's content."""
    if isinstance(src, KbEntry):
        return {f: _text(getattr(src, f)) for f in FORM_FIELDS}
    return {f: src.get(f, "") for f in (*FORM_FIELDS, "org", "note")}


def _form_content(post) -> dict:
    content = {f: post.get(f, "") for f in FORM_FIELDS}
    content["valid_to"] = content["valid_to"] or None
    if "topic" in post:
        content["topic"] = post.get("topic") or None
    return content


@login_required
@require_http_methods(["GET", "POST"])
def kb_new(request):
    _require_staff(request)
    orgs = _drafting_orgs(request.user)
    form = {"valid_from": timezone.localdate().isoformat()}
    if request.method == "POST":
        form = _form_values(request.POST)
        org = next((o for o in orgs if o.code == request.POST.get("org", "")), None)
        try:
            if org is None:
                raise ValidationError({"org": ["请选择授权部门"]})
            v = services.kb_draft_create(org=org, actor=request.user,
                                         note=request.POST.get("note", ""),
                                         **_form_content(request.POST))
            messages.success(request, "已起草新条目，待部门审批后对外作答")
            return redirect("hotline:kb_entry", key=v.entry.key)
        except ValidationError as e:
            for m in _errors(e):
                messages.error(request, m)
        except PermissionDenied as e:
            messages.error(request, str(e))
    return render(request, "hotline/kb/form.html", {
        "orgs": orgs, "form": form, "topics": Topic.objects.all(), "entry": None,
        "rules": sorted(_rule_titles().items(), key=lambda kv: kv[1]),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def kb_entry(request, key: str):
    _require_staff(request)
    entry = selectors.entries_visible(request.user).filter(key=key).first()
    if entry is None:
        raise Http404("没有该知识库条目，或不在您的部门范围内")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("approve", "reject"):
                v = entry.versions.filter(pk=request.POST.get("version") or 0).first()
                if v is None:
                    raise ValidationError({"version": ["没有该版本"]})
                if action == "approve":
                    services.kb_version_approve(version=v, actor=request.user,
                                                note=request.POST.get("note", ""))
                    messages.success(request, f"已审批第{v.number}版，现对外作答")
                else:
                    services.kb_version_reject(version=v, actor=request.user,
                                               reason=request.POST.get("reason", ""))
                    messages.success(request, f"已退回第{v.number}版")
            elif action == "edit":
                v = services.kb_draft_edit(entry=entry, actor=request.user,
                                           note=request.POST.get("note", ""),
                                           **_form_content(request.POST))
                messages.success(request, f"已起草第{v.number}版，待部门审批")
            elif action == "withdraw":
                services.kb_entry_withdraw(entry=entry, actor=request.user,
                                           reason=request.POST.get("reason", ""))
                messages.success(request, "已撤回该条目，不再对外作答")
            return redirect("hotline:kb_entry", key=entry.key)
        except ValidationError as e:
            for m in _errors(e):
                messages.error(request, m)
        except PermissionDenied as e:
            messages.error(request, str(e))
        entry.refresh_from_db()
        status = 400
    else:
        status = 200
    versions = list(entry.versions.select_related("author", "decided_by").order_by("number"))
    history = []
    prev = None
    for v in versions:
        history.append({"v": v, "changes": version_changes(prev, v),
                        "may_decide": v.status == VersionStatus.PENDING
                        and works_for(request.user, entry.org)
                        and v.author_id != request.user.pk})
        if v.status in (VersionStatus.APPROVED, VersionStatus.SUPERSEDED):
            prev = v
    history.reverse()
    return render(request, "hotline/kb/entry.html", {
        "entry": entry, "history": history, "topics": Topic.objects.all(),
        "rules": sorted(_rule_titles().items(), key=lambda kv: kv[1]),
        "form": _form_values(request.POST if request.method == "POST" else entry),
        "may_withdraw": entry.status == "active" and (
            works_for(request.user, entry.org) or request.user.is_superuser),
        "pending": any(h["v"].status == VersionStatus.PENDING for h in history),
    }, status=status)

"""Where a 96128 ticket goes and by when the department replies: both read at the time of
use from the rules kernel — the rule `hotline.route` (116号 三(四)) decides the destination,
the interpretation parameters of 116号 give the unit each destination goes to and the reply
periods, with the administrators' dated overrides (`/admin/rules/parameteroverride/`). There
is no routing table of the desk's own that could disagree with the rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kmgov.core import calendar
from kmgov.core.models import OrgUnit
from kmgov.rules import parameter_value

RULE = "hotline.route"
DOC = "昆政办〔2010〕116号"
#: The value of `hotline.destination_org.*` meaning "the lead department of the ticket's topic".
LEAD_DEPARTMENT = "lead_department"
#: The desk's own account: it takes the steps nobody at the desk takes by hand (routing what a
#: citizen files on the web or through Open311, storing their attachments). It cannot log in.
DESK_USERNAME = "96128-desk"


def reply_days(request_type: str, on: dt.date) -> int | None:
    try:
        return int(parameter_value(f"hotline.reply_working_days.{request_type}", on))
    except LookupError:
        return None


def remind_days(on: dt.date) -> int:
    return int(parameter_value("hotline.reply_remind_days", on))


def reply_due_preview(ticket, now) -> dt.datetime | None:
    """When the reply period started now ends (the kernel writes the same into `due_at`)."""
    days = reply_days(ticket.request_type, calendar.local(now).date())
    if days is None:
        return None
    return calendar.end_of_day(calendar.add_working_days(calendar.local(now).date(), days))


@dataclass(frozen=True)
class Route:
    destination: str  # the rule's outcome: answer_directly, government_service_bureau, …
    org: OrgUnit | None  # the unit to transfer to (None: answer, or no topic to tell the lead)
    citation: str  # the provision that decided, e.g. "昆政办〔2010〕116号 三(四)2"
    note: str
    entry: object | None  # the knowledge-base entry the desk answers with
    decision: dict
    at: dt.datetime | None = None  # the moment it was decided for


def route_decision(ticket, *, now, entry=None) -> Route:
    """Run `hotline.route` for the ticket. A query is "authorised" when the knowledge base has
    an entry authorised today that answers it (`kb.best_answer`, or the operator's pick);
    a public-utility entry counts as 三(三) public-service information."""
    from kmgov.rules import decide

    from . import kb

    on = calendar.local(now).date()
    if entry is None and ticket.request_type == "query":
        entry = kb.best_answer(ticket.text, on=on)
    if entry is not None and not entry.is_answerable(on):
        entry = None
    utility = entry is not None and entry.kind == "utility"
    d = decide(RULE, {"request_type": ticket.request_type,
                      "faq_authorised": entry is not None and not utility,
                      "public_utility": utility,
                      "working_hours": calendar.is_business_hours(now),
                      "as_of": on})
    out = d.outputs
    org = None
    if out["destination"] != "answer_directly":
        target = out["target"]
        if target == LEAD_DEPARTMENT:
            org = ticket.topic.lead_org if ticket.topic_id else None
        else:
            org = OrgUnit.objects.filter(code=target).first()
    notes = {
        "answer_directly": "部门授权的常见问题，在授权期内由话务平台直接作答",
        "government_service_bureau": "涉及行政审批的事项转政务服务管理局受理办理和答复",
        "mayors_hotline_12345": "投诉、举报、建议转 12345，由市长热线办按 12345 规范办理",
        "access_platform_or_liaison": "未授权的查询和专业性较强的咨询转相应部门的接入平台或联络员",
    }
    return Route(destination=out["destination"], org=org,
                 citation=f"{DOC} {out['provision']}", note=notes.get(out["destination"], ""),
                 entry=entry if out["destination"] == "answer_directly" else None,
                 decision=d.to_dict(), at=now)


def desk_account():
    """The desk's system account (created on first use): an operator at the desk's unit with
    no usable password."""
    from django.contrib.auth import get_user_model

    from kmgov.core.models import Role, RoleAssignment

    from .models import DESK_ORG

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DESK_USERNAME, defaults={"first_name": "96128 话务平台（系统）"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    org = OrgUnit.objects.get(code=DESK_ORG)
    RoleAssignment.objects.get_or_create(user=user, role=Role.HOTLINE_OPERATOR, org=org)
    if hasattr(user, "_kmgov_assignments"):
        del user._kmgov_assignments
    return user


def person(actor):
    """The actor as a person for the ticket's history: None for nobody or the desk itself."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return None if actor.username == DESK_USERNAME else actor

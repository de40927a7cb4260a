"""The design system's words for a case, decided from what the procedure declares, so a new
procedure needs nothing:

`{{ spec|step_button }}`: a step's button by importance: a step that refuses,
fails, revokes or voids a case is a warning button and asks for confirmation (web/site.js reads
`data-confirm`); a step that sends a case back or withdraws it is secondary; every other step
is the primary action (from the step's declared name).

`{{ case.state|state_tag }}`: the status tag's colour class for a state name: red for a refused,
revoked or voided case, green for one approved, filed, paid or done, yellow for one sent back to
the applicant, grey for a draft or a withdrawn one, blue while it is in progress."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

WARNING = ("reject", "revoke", "void", "_fail")
SECONDARY = ("return", "withdraw", "reopen")


def importance(name: str) -> str:
    if any(w in name for w in WARNING):
        return "warning"
    if any(w in name for w in SECONDARY):
        return "secondary"
    return "primary"


@register.filter
def step_button(spec, label: str = ""):
    """The class and, for a warning, the confirmation attribute of a step's button."""
    kind = importance(spec.name)
    if kind == "warning":
        question = _("确定要“%(step)s”吗？此操作会记入办理记录。") % {"step": label or _(spec.label)}
        return format_html('class="govuk-button govuk-button--warning" data-confirm="{}"',
                           question)
    if kind == "secondary":
        return format_html('class="govuk-button govuk-button--secondary"')
    return format_html('class="govuk-button"')


RED = {"rejected", "revoked", "voided"}
GREEN = {"approved", "filed", "paid", "completed", "credited", "closed", "design_approved",
         "meeting_passed", "accepted", "answered", "replied", "recorded", "self_checked"}
YELLOW = {"returned"}
GREY = {"draft", "withdrawn"}


@register.filter
def state_tag(state: str) -> str:
    if state in RED:
        return "govuk-tag--red"
    if state in GREEN:
        return "govuk-tag--green"
    if state in YELLOW:
        return "govuk-tag--yellow"
    if state in GREY:
        return "govuk-tag--grey"
    return "govuk-tag--blue"

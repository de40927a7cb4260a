"""`{{ spec|step_button }}`: a step's button by importance (design system): a step that refuses,
fails, revokes or voids a case is a warning button and asks for confirmation (web/site.js reads
`data-confirm`); a step that sends a case back or withdraws it is secondary; every other step
is the primary action. Decided from the step's declared name, so a new procedure needs nothing."""

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

"""The desk's small template helpers: a ticket's state as a coloured status tag."""

from django import template

register = template.Library()

#: GOV.UK Frontend's tag colours by ticket state: waiting for the desk blue, with a unit
#: light blue, paused or returned orange/yellow, waiting for the call-back purple, done green.
_TAG = {"queued": "govuk-tag--blue", "open": "govuk-tag--blue",
        "transferred": "govuk-tag--light-blue", "suspended": "govuk-tag--yellow",
        "returned": "govuk-tag--orange", "replied": "govuk-tag--purple",
        "answered": "govuk-tag--green", "closed": "govuk-tag--green"}


@register.filter
def ticket_tag(state: str) -> str:
    """The tag's colour class for a ticket state (grey for a state it does not know)."""
    return _TAG.get(state, "govuk-tag--grey")

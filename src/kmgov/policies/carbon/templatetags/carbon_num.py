"""`qty`: a quantity (tonnes, 亩) with as many decimals as it has — 10 not 10.00000, 9.99998 not
10.000, so that a figure just below the sign's 10亩 never reads as 10."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def qty(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{d.normalize():f}"

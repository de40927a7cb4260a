"""Numbers on the register's pages grouped by thousands, as officials read them."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def _dec(v):
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def yuan(v) -> str:
    d = _dec(v)
    return "—" if d is None else f"{d:,.2f}"


@register.filter
def area(v) -> str:
    d = _dec(v)
    return "—" if d is None else f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"


@register.filter
def percent(v) -> str:
    d = _dec(v)
    return "—" if d is None else f"{d * 100:.1f}%"

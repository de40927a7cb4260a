"""Amounts typed by people: a number and its unit, 元 or 万元, read exactly.

The gazette counts in both (63号's thresholds and the HQ statistics in 万元, rewards in 元);
forms let the person choose, and every channel keeps one unit underneath (yuan, unless a
field declares that it stores 万元). One helper for the rule forms (`kmgov.rules.forms`) and
the step forms (`kmgov.procedures.inputs`): Decimal throughout, 1 万元 = 10000 元 exactly.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

#: The units a form offers, by the value its select sends (a code in an attribute only).
YUAN, WAN = "yuan", "wan"
#: Their Chinese names, the words people read.
UNIT_WORDS = {YUAN: "元", WAN: "万元"}
#: 元 per unit.
_FACTOR = {YUAN: Decimal(1), WAN: Decimal(10000)}


def unit_code(word_or_code: str | None, default: str = YUAN) -> str:
    """`yuan`/`wan` from a select's value or a declared word (元, 万元); else `default`."""
    if word_or_code in _FACTOR:
        return word_or_code
    for code, word in UNIT_WORDS.items():
        if word_or_code == word:
            return code
    return default


def amount_decimal(raw) -> Decimal | None:
    """A typed number (thousands separators allowed, full-width too) or None if it is not one."""
    text = str(raw).strip().replace(",", "").replace("，", "").replace(" ", "")
    if not text:
        return None
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def amount_convert(value: Decimal, unit: str, to: str = YUAN) -> Decimal:
    """`value` in `unit` expressed in `to`, exactly (万元 → 元 multiplies by 10000)."""
    if unit == to:
        return value
    return value * _FACTOR[unit] / _FACTOR[to]


def amount_parse(raw, unit: str, to: str = YUAN) -> Decimal | None:
    """What a person typed in `unit`, in `to` (yuan by default); None if it is not a number."""
    d = amount_decimal(raw)
    return None if d is None else amount_convert(d, unit_code(unit), to)


def amount_text(value: Decimal) -> str:
    """A Decimal as plain digits (no exponent, no trailing zeros): 1E+4 → "10000"."""
    d = value.normalize()
    text = format(d, "f")
    return text


def amount_split(value, base: str = YUAN) -> tuple[str, str]:
    """A stored amount (in `base`) as a person would type it: in 万元 when it is a whole
    number of 万元 (and not zero), else in 元. Anything not a number comes back as typed."""
    d = amount_decimal(value) if not isinstance(value, Decimal) else value
    if d is None:
        return ("" if value is None else str(value)), base
    yuan = amount_convert(d, base, YUAN)
    if yuan and (yuan / 10000) == (yuan / 10000).to_integral_value():
        return amount_text(yuan / 10000), WAN
    return amount_text(yuan), YUAN

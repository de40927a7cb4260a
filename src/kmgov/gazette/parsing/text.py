"""Text helpers shared by the parser: the print's stray spaces, Chinese numerals, dates, 文号."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# CJK ideographs plus the full-width / CJK punctuation that surrounds them in running text.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d\u2014\u2026\u00b7\u300a-\u300f"
_SPACE_NEXT_TO_CJK = re.compile(rf"[ \t\u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u00a0]+")

# A paragraph that ends in one of these is complete; one that does not, followed by a blank
# line, was cut by a page break.  Closing brackets count as complete because the
# leading-group lists of 111号 ("王桂泽（高新区管委会副主任）") end in them and are separate lines.
_SENTENCE_END = "。；：！？”…）);:!?」』"

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇○零一二三四五六七八九十百两"


def squeeze(text: str) -> str:
    """Remove whitespace next to CJK characters (the print's stray spaces), keep the rest."""
    return _SPACE_NEXT_TO_CJK.sub("", text).strip()


def loose_key(text: str) -> str:
    """Comparison key for titles: no spaces, no quotes/书名号, brackets made half-width."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[《》“”\"'‘’「」]", "", text)
    return text.replace("（", "(").replace("）", ")")


def cn_to_int(numeral: str) -> int:
    """Chinese numeral (一 … 九十九, also 二十四) to int."""
    if numeral.isdigit():
        return int(numeral)
    if "百" in numeral:
        hundreds, _, rest = numeral.partition("百")
        return cn_to_int(hundreds or "一") * 100 + (cn_to_int(rest.lstrip("零〇○")) if rest else 0)
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    value = 0
    for ch in numeral:
        value = value * 10 + _CN_DIGITS[ch]
    return value


def int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def cell_value(cell: str) -> object:
    """A table cell as printed → int / float / str / None (empty)."""
    if cell == "":
        return None
    if re.fullmatch(r"-?\d+", cell):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return float(cell)
    return cell


def ends_open(text: str) -> bool:
    return bool(text) and text[-1] not in _SENTENCE_END


@dataclass
class Line:
    no: int      # 1-based line number in the source
    text: str    # stripped; "" for a blank line (whitespace-only lines count as blank)
    raw: str     # as printed (tabs kept)


_CN_DATE = re.compile(rf"^[{_CN_NUM}]{{4}}年[{_CN_NUM}]{{1,3}}月[{_CN_NUM}]{{1,3}}日$")
_ARABIC_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def is_date(text: str) -> bool:
    flat = squeeze(text).replace(" ", "")
    return bool(_CN_DATE.match(flat) or _ARABIC_DATE.match(flat))


def parse_date(text: str) -> date | None:
    flat = squeeze(text).replace(" ", "")
    if m := _ARABIC_DATE.match(flat):
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.match(rf"^([{_CN_NUM}]{{4}})年([{_CN_NUM}]+)月([{_CN_NUM}]+)日$", flat)
    if not m:
        return None
    # Signing dates are printed with either 〇 (U+3007) or ○ (U+25CB) for zero.
    year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
    return date(year, cn_to_int(m.group(2)), cn_to_int(m.group(3)))


def normalise_docno(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    return re.sub(r"(?<=\d)[—–－](?=\d)", "-", text)

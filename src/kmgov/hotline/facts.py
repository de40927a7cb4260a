"""The facts a caller gives in a question: numbers with their units, places, and kinds.

"我们合作社流转了2500亩土地" → 2500 亩; "到滇池流域外租了8亩地种菜" → 8 亩, outside the Dianchi
basin, vegetables; "每年烧两千升油" → 2000 升. Patterns read the numbers (Arabic and Chinese
numerals, 2.5万, 一千五, 十) and the unit after them; the places and kinds are the words below,
found among the words of jieba's cut of the question (the kernel's tokenizer, loaded once per
process — or, for `kmgov ask`, only the question's entries of it) or, being two characters or
more, in its text. They are deliberately not added to jieba's dictionary: that would change
how the indexed texts are segmented, and so the ranking. Nothing is guessed: a fact not in the
question is simply absent, and the desk asks for it (`kmgov.hotline.compute`).

Places come from the organisation tree (`kmgov.core.orgtree`: counties, zones and the
townships the gazette names, with their other spellings); whether a county lies in the Dianchi
basin is 59号 附件1's list of counties (see `BASIN_COUNTIES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# --- numbers ------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


def chinese_number(text: str) -> float | None:
    """A number written in Chinese numerals: 两千五百 → 2500, 一千五 → 1500 (the spoken
    short form: the last digit counts in the next smaller unit), 十 → 10, 三万 → 30000,
    一点五 → 1.5. None if the text is not such a number."""
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = chinese_number(whole) if whole else 0
        if w is None or not frac or any(ch not in _CN_DIGITS for ch in frac):
            return None
        return float(f"{int(w)}.{''.join(str(_CN_DIGITS[ch]) for ch in frac)}")
    total = 0
    section = 0  # below 万
    digit = None
    last_unit = None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # 二三: not a number we read
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif ch in _CN_BIG:
            unit = _CN_BIG[ch]
            if digit is not None:
                section += digit
            total += (section or 1) * unit
            section, digit, last_unit = 0, None, unit
        else:
            return None
    if digit is not None:
        # 一千五 = 1500, 三万五 = 35000 (the spoken short form: the last digit counts in the
        # next smaller unit); 一千零五 = 1005, 十五 = 15
        if last_unit and last_unit >= 100 and text[-2] != "零":
            section += digit * (last_unit // 10)
        else:
            section += digit
    return float(total + section)


# A number: Arabic (1,500 / 2.5) with an optional 万/千/亿, or Chinese numerals.
_NUM = (r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万|千|百|亿)?"
        r"|[零〇一二两三四五六七八九十百千万亿点]+)")

# Units as callers write them → the unit the rules read. Longest first.
UNITS: list[tuple[str, str]] = [
    ("万元", "元"), ("块钱", "元"), ("元", "元"), ("块", "元"),
    ("万亩", "亩"), ("亩", "亩"),
    ("公升", "升"), ("升", "升"),
    ("吨", "吨"),
    ("千瓦时", "千瓦时"), ("度电", "千瓦时"),
    ("公里", "公里"), ("千米", "公里"),
    ("平方米", "平方米"), ("平米", "平方米"), ("平方", "平方米"),
    ("个多月", "个月"), ("个月", "个月"),
    ("年", "年"),
    ("头", "头"), ("只", "只"), ("棵", "棵"),
    ("件", "件"), ("起", "件"), ("宗", "件"),
    ("个工人", "人"), ("名工人", "人"), ("个员工", "人"), ("名员工", "人"), ("个职工", "人"),
    ("名职工", "人"), ("个劳动力", "人"), ("个人", "人"), ("名", "人"), ("人", "人"),
    ("个", "个"),
]
_UNIT_RX = "|".join(re.escape(u) for u, _ in sorted(UNITS, key=lambda x: -len(x[0])))
_UNIT_OF = dict(UNITS)
_QTY = re.compile(_NUM + r"\s*(?P<unit>" + _UNIT_RX + r")")
# "2.5万元" is 25000 元; "两万亩" 20000 亩: a 万 in the unit multiplies.
_UNIT_FACTOR = {"万元": 10_000, "万亩": 10_000}


def parse_number(text: str) -> float | None:
    text = text.replace(",", "").replace(" ", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万|千|百|亿)?", text)
    if m:
        v = float(m.group(1))
        mult = {"万": 10_000, "千": 1000, "百": 100, "亿": 100_000_000}.get(m.group(2) or "", 1)
        return v * mult
    return chinese_number(text)


@dataclass
class Quantity:
    value: float
    unit: str  # the rules' unit: 亩, 元, 升, 吨, 年, 人, 件 …
    text: str  # as the caller wrote it ("2.5万元")
    start: int
    end: int
    kind: str = ""  # what it counts, when the words beside it say (件 of 疑难纠纷 → difficult)


# --- places and kinds ---------------------------------------------------------------------

# 59号 附件1 lists the counties and zones of the Dianchi basin (its plan table); a county
# not in it lies outside the basin (a reading of the caller's words, docs/interpretations.md).
BASIN_COUNTIES = frozenset({"wuhua", "panlong", "guandu", "xishan", "chenggong", "jinning",
                            "dujia", "jingkai", "gaoxin"})

OUTSIDE_BASIN_WORDS = ("滇池流域外", "滇池流域以外", "流域以外", "流域外", "流域外面", "外县",
                       "外地", "外州", "州外", "外省")
INSIDE_BASIN_WORDS = ("滇池流域内", "滇池流域的", "流域内", "流域里", "滇池边", "滇池周边",
                      "滇池流域")

# kind → words (a jieba word of the question, or found in its text). A category has one value.
KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    # what the land grew (59号 四(二) 原种植产业, 四(三) 种植作物)
    "crop": {
        "vegetable": ("蔬菜", "种菜", "菜地", "菜田", "菜农", "青菜", "大棚菜", "菜园", "种蔬菜"),
        "flower": ("花卉", "种花", "鲜花", "花田", "花地", "花农", "花圃", "种花卉", "花卉地"),
        "grain": ("粮食", "种粮", "水稻", "稻谷", "稻田", "玉米", "小麦", "庄稼", "种粮食"),
        "other": ("烤烟", "烟叶", "种烟"),
    },
    # what it becomes (59号 四(二) 调整后用途)
    "to_use": {
        "nursery": ("苗木", "育苗", "树苗", "绿化苗木", "种苗"),
        "horticulture": ("园林园艺", "园林", "园艺", "绿化"),
        "economic_forest": ("经济林", "经济林木", "经济林果", "果树", "果园", "果林"),
        "wetland_park": ("湿地", "湿地公园", "湿地生态园", "湿地生态园区"),
        "leisure_farming": ("休闲农业", "观光园", "休闲观光", "观光农业", "农家乐", "采摘园"),
    },
    # 61号 四(三): 试点项目 / 正常改造项目
    "pilot": {"yes": ("试点", "试点项目"), "no": ("正常改造", "一般改造", "非试点")},
    # 107号 附件 五(三)1: the unit's trade
    "industry": {
        "mine": ("矿山", "煤矿", "矿井", "采矿", "矿上", "非煤矿山"),
        "construction": ("工地", "建筑", "施工", "建筑施工", "建筑工地", "施工队", "建筑公司"),
        "hazardous_goods": ("危险化学品", "危化品", "危险品", "化工", "加油站", "烟花爆竹"),
        "other": ("工厂", "厂里", "商场", "超市", "酒店", "宾馆", "餐馆", "公司", "企业", "厂"),
    },
    # 108号 附件 三(二)3: 普通、疑难、重大矛盾纠纷
    "dispute": {
        "ordinary": ("普通", "一般"),
        "difficult": ("疑难", "复杂"),
        "major": ("重大",),
    },
}


@dataclass
class Place:
    code: str
    name: str  # as the gazette writes it (晋宁县; a zone by its short name, 经开区)
    level: str  # "county" | "township"
    county: str  # the county's code (a township's own county)
    in_basin: bool


@dataclass
class Facts:
    text: str
    quantities: list[Quantity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    basin: bool | None = None  # True: in the Dianchi basin; False: outside; None: not said
    kinds: dict[str, str] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)

    def quantity(self, unit: str, kind: str = "") -> Quantity | None:
        """The first quantity in this unit (of this kind, when asked)."""
        for q in self.quantities:
            if q.unit == unit and (not kind or q.kind == kind):
                return q
        return None

    def county(self) -> Place | None:
        return next((p for p in self.places if p.level == "county"), None) or (
            _PLACES_BY_CODE().get(self.places[0].county) if self.places else None)

    def township(self) -> Place | None:
        return next((p for p in self.places if p.level == "township"), None)

    def as_dict(self) -> dict:
        return {
            "quantities": [{"value": q.value, "unit": q.unit, "text": q.text,
                            **({"kind": q.kind} if q.kind else {})} for q in self.quantities],
            "places": [{"code": p.code, "name": p.name, "level": p.level} for p in self.places],
            "basin": self.basin, "kinds": dict(self.kinds),
        }


@lru_cache(maxsize=1)
def _places() -> list[tuple[str, Place]]:
    """(a spelling, the place) for every county, zone and named township, longest first."""
    from kmgov.core.orgtree import COUNTIES

    out: list[tuple[str, Place]] = []
    for c in COUNTIES:
        if c.kind not in ("county", "district", "zone"):
            continue
        name = c.short_name if c.kind == "zone" else c.name
        p = Place(c.code, name, "county", c.code, c.code in BASIN_COUNTIES)
        for spelling in {c.name, c.short_name, *c.aliases}:
            if spelling and len(spelling) >= 2:
                out.append((spelling, p))
        for t in c.children:
            if t.kind != "township":
                continue
            tp = Place(t.code, t.name, "township", c.code, c.code in BASIN_COUNTIES)
            for spelling in {t.name, t.short_name, *t.aliases}:
                if spelling and len(spelling) >= 2:
                    out.append((spelling, tp))
    out.sort(key=lambda sp: -len(sp[0]))
    return out


@lru_cache(maxsize=1)
def _PLACES_BY_CODE() -> dict[str, Place]:  # noqa: N802 (a cached constant)
    return {p.code: p for _, p in _places()}


def _tokenizer(text: str):
    """The kernel's jieba for this text (its dictionary loaded once per process, or, for the
    command line, only this text's entries: `search.tokenizer_for`)."""
    from kmgov.core import search

    return search.tokenizer_for(text)


def _kind_near(text: str, start: int, end: int) -> str:
    """The dispute kind written right after a count (3件疑难纠纷) or right before it
    (疑难纠纷3件)."""
    after, before = text[end:end + 6], text[max(0, start - 6):start]
    for span in (after, before):
        for value, words in KINDS["dispute"].items():
            if any(w in span for w in words):
                return value
    return ""


def extract(text: str) -> Facts:
    """The facts of a question (see the module's docstring)."""
    facts = Facts(text=text)
    for m in _QTY.finditer(text):
        raw, unit_raw = m.group("num"), m.group("unit")
        value = parse_number(raw)
        if value is None:
            continue
        if unit_raw == "个" and not re.match(r"\s*(?:人|工人|员工|职工)", text[m.end():]):
            continue  # 一个 … : not a count we read
        if unit_raw == "名" and re.match(r"[字称额单]", text[m.end():m.end() + 1]):
            continue
        value *= _UNIT_FACTOR.get(unit_raw, 1)
        unit = _UNIT_OF[unit_raw]
        if unit == "年" and value >= 1000:
            unit = "年份"  # 2015年: a year, not a number of years
        kind = _kind_near(text, m.start(), m.end()) if unit == "件" else ""
        facts.quantities.append(Quantity(value=value, unit=unit, text=m.group(0),
                                         start=m.start(), end=m.end(), kind=kind))
    words = [w.strip() for w in _tokenizer(text).cut(text) if w.strip()]
    facts.words = words
    seen: set[str] = set()
    for spelling, place in _places():
        if spelling in text and place.code not in seen:
            seen.add(place.code)
            facts.places.append(place)
    # basin: the caller's own words first, then the place named
    if any(w in text for w in OUTSIDE_BASIN_WORDS):
        facts.basin = False
    elif any(w in text for w in INSIDE_BASIN_WORDS):
        facts.basin = True
    elif facts.places:
        facts.basin = facts.places[0].in_basin
    token_set = set(words)
    for category, values in KINDS.items():
        if category == "dispute":
            continue  # read beside each count
        for value, kws in values.items():
            # a word jieba kept whole, or (for words of two or more characters) inside the text
            if any(w in token_set or (len(w) >= 2 and w in text) for w in kws):
                facts.kinds.setdefault(category, value)
    return facts

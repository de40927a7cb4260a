"""The appointment list 昆政任〔…〕 (GZ-5): one record per person and post."""

from __future__ import annotations

import re

from ..parsed import ParsedAppointment, ParsedNode
from .text import Line, cn_to_int

_APPOINT_HEAD = re.compile(r"^(任命|免去|任免)\s*[：:]$")

# Longest first: "常务副主任" before "副主任" before "主任".
_POST_TITLES = (
    "常务副主任", "常务副局长", "常务副市长", "常务副秘书长", "副董事长", "董事长", "副总经理",
    "总经理", "副秘书长", "秘书长", "副局长", "局长", "副主任", "主任", "副市长", "市长",
    "副区长", "区长", "副县长", "县长", "副书记", "书记", "副院长", "院长", "副处长", "处长",
    "副厅长", "厅长", "副部长", "部长", "副校长", "校长", "副所长", "所长", "副站长", "站长",
    "副主席", "主席", "副总裁", "总裁", "总监", "副总工程师", "总工程师", "副理事长", "理事长",
    "副会长", "会长", "副经理", "经理", "副组长", "组长", "监事长", "委员",
)
_POSTS = sorted(_POST_TITLES, key=len, reverse=True)
_PERSON_LINE = re.compile(r"^(?P<person>.+?)同志(?P<rest>.+?)[；;。.]?$")
_QUALIFIER = re.compile(r"^(?:[正副][厅处科县局]级|试用期[一二三四五六七八九十\d]+年|"
                        r"挂职[一二三四五六七八九十\d]+年)$")


def is_appointment_list(body: list[Line]) -> bool:
    return any(_APPOINT_HEAD.match(ln.text) for ln in body[:5] if ln.text)


def _split_top(text: str, seps: str) -> list[str]:
    """Split at separators that are not inside brackets ("（正县级，试用期一年）")."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
        if ch in seps and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def _post_and_org(part: str, last_org: str) -> tuple[str, str, list[str]]:
    """"昆明市滇池管理局（市滇保办）副局长（副主任）" → (post, org, qualifiers)."""
    qualifiers: list[str] = []
    aliases: list[str] = []
    while part.endswith(("）", ")")):
        open_at = max(part.rfind("（"), part.rfind("("))
        inner = part[open_at + 1:-1]
        items = _split_top(inner, "，,、")
        if items and all(_QUALIFIER.match(q) for q in items):
            qualifiers = items + qualifiers
        else:
            aliases.insert(0, part[open_at:])       # an alias of the post: "主任（董事长）"
        part = part[:open_at]
    post = next((p for p in _POSTS if part.endswith(p)), "")
    org = part[:len(part) - len(post)] if post else part
    if post and not org:
        org = last_org                           # "副董事长、总经理": same organisation
    return post + "".join(aliases), org, qualifiers


def _years(qualifier: str, prefix: str) -> int | None:
    m = re.match(rf"{prefix}([一二三四五六七八九十\d]+)年", qualifier)
    return cn_to_int(m.group(1)) if m else None


def _appointment(person, action, part, last_org, source, order) -> ParsedAppointment:
    post, org, qualifiers = _post_and_org(part, last_org)
    rec = ParsedAppointment(person=person, action=action, post=post, org=org,
                            qualifiers=qualifiers, source=source, order=order)
    for q in qualifiers:
        if re.fullmatch(r"[正副][厅处科县局]级", q):
            rec.rank = q
        if (y := _years(q, "试用期")) is not None:
            rec.probation_years = y
        if (y := _years(q, "挂职")) is not None:
            rec.secondment_years = y
    return rec


def parse_appointments(body: list[Line]) -> tuple[list[ParsedNode], list[ParsedAppointment]]:
    """Nodes "任命" / "免去" holding the printed lines, and the records read from them."""
    nodes: list[ParsedNode] = []
    records: list[ParsedAppointment] = []
    mode = ""
    for ln in body:
        if not ln.text:
            continue
        if m := _APPOINT_HEAD.match(ln.text):
            mode = m.group(1)
            nodes.append(ParsedNode(kind="section", label=ln.text, path=mode, heading=mode,
                                    line=ln.no))
            continue
        if not nodes:
            nodes.append(ParsedNode(kind="preamble", label="", path="序言", line=ln.no))
        node = nodes[-1]
        node.text = f"{node.text}\n{ln.text}" if node.text else ln.text
        if m := _PERSON_LINE.match(ln.text):
            # Names are printed with a space to fill two-character names: "陈 勇" → 陈勇.
            person = re.sub(r"\s+", "", m.group("person"))
            for action, part, org_before in _posts_of_line(m.group("rest"), mode):
                records.append(_appointment(person, action, part, org_before, ln.text,
                                            len(records) + 1))
    return nodes, records


def _posts_of_line(rest: str, mode: str):
    """(action, "org+post(qualifiers)", org of the previous post) for each post on a line.

    Under 免去： a line is "X同志ORGPOST，ORGPOST职务；".  Under 任命： it is "X同志(兼)任ORGPOST
    (、ORGPOST)(兼ORGPOST)(，免去ORGPOST，ORGPOST职务)；".  A part that is a bare post title
    ("副董事长、总经理") belongs to the organisation of the part before it.
    """
    if mode == "免去" or rest.startswith("免去"):
        appoint, removal = "", rest.removeprefix("免去")
    else:
        appoint, _, removal = rest.partition("，免去")
    parts: list[tuple[str, str]] = []
    if appoint:
        action = "appoint_concurrent" if appoint.startswith("兼任") else "appoint"
        appoint = appoint.removeprefix("兼任") if action == "appoint_concurrent" else appoint[1:]
        # "任A局副局长兼B局局长": the part after 兼 is a concurrent appointment.
        for k, chunk in enumerate(_split_concurrent(appoint)):
            parts += [(action if k == 0 else "appoint_concurrent", p)
                      for p in _split_top(chunk, "、")]
    if removal:
        parts += [("remove", p) for p in _split_top(re.sub(r"职务$", "", removal), "，,、")]
    last_org = ""
    for action, part in parts:
        yield action, part, last_org
        last_org = _post_and_org(part, last_org)[1]


def _split_concurrent(text: str) -> list[str]:
    for post in _POSTS:
        for sep in ("兼任", "兼"):
            at = text.find(post + sep)
            if at > 0:
                cut = at + len(post)
                return [text[:cut]] + _split_concurrent(text[cut + len(sep):])
    return [text]

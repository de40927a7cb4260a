"""The outline tree of a document or annex: 第一章 / 第一条 / 一、 / （一） / 1. / （1）."""

from __future__ import annotations

import re

from ..parsed import ParsedNode
from .blocks import FormBlock, Para, TableBlock
from .tables import build_form, build_table
from .text import ends_open, int_to_cn, squeeze

_CHAPTER = re.compile(r"^第([一二三四五六七八九十百零]+)章\s*(.*)$")
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条\s*(.*)$")
_LEVELS = [
    # (level, pattern, normalised label) — full- and half-width brackets both occur.
    (1, re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$"), lambda n: n),
    (2, re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(.*)$"), lambda n: f"({n})"),
    # "1." "1．" "1、" — but not a decimal number "1.9 万亩" at the start of a sentence.
    (3, re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.*)$"), lambda n: n),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]\s*(.*)$"), lambda n: f"({n})"),
]

# Rank of an article on the outline stack; its items rank above it (一、 = +1 … （1） = +4).
_ARTICLE_RANK = 10


def _match_label(text: str):
    """(kind, level, printed label, normalised label, rest) or None."""
    if m := _CHAPTER.match(text):
        return "chapter", 0, f"第{m.group(1)}章", f"第{m.group(1)}章", m.group(2)
    if m := _ARTICLE.match(text):
        return "article", 0, f"第{m.group(1)}条", f"第{m.group(1)}条", m.group(2)
    for level, pattern, norm in _LEVELS:
        if m := pattern.match(text):
            printed = text[:m.start(2)].strip()
            return "section", level, printed, norm(m.group(1)), m.group(2)
    return None


def split_heading(rest: str) -> tuple[str, str]:
    """Split the words after a label into (heading, text).

    Our convention: when the line holds a short title and then more sentences
    ("（一）指导思想。深入贯彻…", "1. 蔬菜产业。滇池流域…") the words before the first 。 are the
    heading and the rest is text; a line with no sentence punctuation is all heading
    ("（一）指导思想"); a line that is one long sentence is all text.
    """
    rest = rest.strip()
    if not rest:
        return "", ""
    stop = rest.find("。")
    if 0 < stop < len(rest) - 1:
        head = squeeze(rest[:stop])
        return (head, rest[stop + 1:].strip()) if len(head) <= 40 else ("", rest)
    if stop == -1 and not any(p in rest for p in "；;：:") and len(squeeze(rest)) <= 45 \
            and rest[-1] not in "。；：！？;:!?，,、":
        return squeeze(rest), ""
    return "", rest


class OutlineBuilder:
    """Turns tokens into a node tree.  `prefix` is the annex prefix ("附件1 ") or ""."""

    def __init__(self, *, prefix: str, notes: list[str], docno: str,
                 root: ParsedNode | None = None):
        self.prefix = prefix
        self.notes = notes
        self.docno = docno
        self.root = root                    # the annex node, or None for the document body
        self.top: list[ParsedNode] = []
        self.stack: list[tuple[int, ParsedNode]] = []   # (rank, node)
        self.paras: dict[int, list[str]] = {}           # id(node) → paragraphs
        self.open_para = False              # last paragraph was cut (no sentence end)
        self._line = 0                      # source line of the paragraph being read
        self.tables = 0
        self.forms = 0

    # -- tree plumbing ------------------------------------------------------------------------

    def _attach(self, node: ParsedNode, parent: ParsedNode | None) -> None:
        if parent is not None:
            parent.children.append(node)
        elif self.root is not None:
            self.root.children.append(node)
        else:
            self.top.append(node)

    def _current(self) -> ParsedNode:
        if self.stack:
            return self.stack[-1][1]
        if self.root is not None:
            return self.root
        preamble = next((n for n in self.top if n.kind == "preamble"), None)
        if preamble is None or self.top[-1] is not preamble:
            # Text before the first heading is the document's preamble (序言).
            preamble = ParsedNode(kind="preamble", label="", path="序言", line=self._line)
            self.top.append(preamble)
        return preamble

    def _add_text(self, node: ParsedNode, text: str, join: bool) -> None:
        paras = self.paras.setdefault(id(node), [])
        if join and paras:
            paras[-1] += text
        else:
            paras.append(text)
        node.text = "\n".join(paras)
        self.open_para = ends_open(paras[-1])

    # -- building ------------------------------------------------------------------------------

    def build(self, tokens: list[object]) -> list[ParsedNode]:
        for tok in tokens:
            if isinstance(tok, Para):
                self._line = tok.line.no
                self._para(tok)
            elif isinstance(tok, TableBlock):
                self._table(tok)
            elif isinstance(tok, FormBlock):
                self._form(tok)
        return self.top

    def _para(self, tok: Para) -> None:
        label = _match_label(tok.line.text)
        if label is None:
            # A page break cut the sentence: join without a space (e.g. "超过4000" + "万立方米").
            join = self.open_para and tok.after_blank
            self._add_text(self._current(), tok.line.text, join)
            return
        kind, level, printed, norm, rest = label
        self.open_para = False
        if kind == "chapter":
            self._chapter(printed, norm, rest, tok.line.no)
        elif kind == "article":
            self._article(printed, norm, rest, tok.line.no)
        else:
            self._outline_item(level, printed, norm, rest, tok.line.no)

    def _chapter(self, printed: str, norm: str, rest: str, line: int) -> None:
        self.stack.clear()
        node = ParsedNode(kind="chapter", label=printed, path=self.prefix + norm,
                          heading=squeeze(rest), line=line)
        self._attach(node, None)
        self.stack.append((0, node))

    def _article(self, printed: str, norm: str, rest: str, line: int) -> None:
        while self.stack and self.stack[-1][1].kind != "chapter":
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        # Articles are numbered through the document, so the chapter is not in the path.
        node = ParsedNode(kind="article", label=printed, path=self.prefix + norm, line=line)
        self._attach(node, parent)
        self.stack.append((_ARTICLE_RANK, node))
        if rest.strip():
            self._add_text(node, rest.strip(), False)    # "第一条 为…": text on the same line

    def _outline_item(self, level: int, printed: str, norm: str, rest: str, line: int) -> None:
        # Inside an article, （一） … are the article's items; elsewhere they are outline levels.
        in_article = any(n.kind == "article" for _, n in self.stack)
        rank = _ARTICLE_RANK + level if in_article else level
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        # Labels are joined without separators: "三(一)1(2)", items "第七条(二)".
        path = (parent.path if parent is not None else self.prefix) + norm
        node = ParsedNode(kind="item" if in_article else "section", label=printed, path=path,
                          line=line)
        self._attach(node, parent)
        self.stack.append((rank, node))
        if in_article:
            heading, body = "", rest.strip()              # items are sentences, not titles
        else:
            heading, body = split_heading(rest)
        node.heading = heading
        if body:
            self._add_text(node, body, False)

    def _table(self, block: TableBlock) -> None:
        self.tables += 1
        suffix = "表" if self.tables == 1 else f"表{self.tables}"
        caption = block.caption or (self.root.heading if self.root is not None else "")
        table = build_table(block, caption)
        node = ParsedNode(kind="table", label=suffix, path=self.prefix + suffix,
                          heading=caption, table=table, line=block.line)
        # Tables hang under their annex (or at document level), in reading order, even when
        # printed inside an outline item (62号附件2's indicator table sits in 一(二)).
        self._attach(node, None)
        self.open_para = False

    def _form(self, block: FormBlock) -> None:
        self.forms += 1
        label = "表" + int_to_cn(self.forms)
        if block.number_printed and not block.number_printed.endswith(label):
            self.notes.append(f"{self.docno}：第{self.forms}张零申报表印作“{block.number_printed}”，"
                              f"按出现顺序编为{label}。")
        table = build_form(block)
        subs = [str(r[0]) for r in table.rows if not isinstance(r[0], int)]
        if subs:
            self.notes.append(f"{self.docno}：{label}中未印序号的行（{'、'.join(subs)}）作为上一项的"
                              f"子项，序号记为“项号.行次”。")
        node = ParsedNode(kind="form", label=label, path=self.prefix + label,
                          heading=block.title, table=table, line=block.line)
        self.stack.clear()                  # a form ends the outline of the plan before it
        self._attach(node, None)
        self.open_para = False

"""The shape a parsed gazette issue takes before it is stored (and after it is read back).

The parser (`parser.py`) produces these from text; the store (`services.py`) writes them;
`selectors.document_parsed()` rebuilds them from the database; the exports (`exports.py`: JSON, Akoma Ntoso)
read them. One shape for all four, so each can be tested alone.
"""

from dataclasses import dataclass, field
from datetime import date

from kmgov.core.errors import Refusal


class GazetteParseError(Refusal, ValueError):
    """The text is not a gazette issue this parser can read; the message says why, in Chinese.
    A refusal of the input (422), rendered like every other refusal."""

    status = 422
    code = "not_a_gazette"
    title = "无法收录"


@dataclass
class ParsedTable:
    caption: str                       # e.g. "滇池流域各县区耕地面积及年度调整计划表"
    header: list[str]                  # column names, in order
    rows: list[list[object]]           # cells: int/float for numbers, str, or None when empty
    unit: str = ""                     # e.g. "亩" from "单位：亩"
    note: str = ""                     # the 备注 under the table
    kind: str = "table"                # "table" or "form" (the 零申报 forms of 107号)
    meta: dict = field(default_factory=dict)  # form header/footer fields, column roles …


@dataclass
class ParsedNode:
    kind: str          # chapter | article | section | item | paragraph | annex | table | form
    label: str         # as printed: "第七条", "（二）", "一、", "1.", "（1）", "附件1", "表一"
    path: str          # address inside the document, e.g. "附件 第七条(二)", "四(五)", "附件1 表"
    heading: str = ""  # the heading text on the label's line (without the label)
    text: str = ""     # the node's own paragraphs (not its children's), joined with "\n"
    children: list["ParsedNode"] = field(default_factory=list)
    table: ParsedTable | None = None
    line: int = 0      # 1-based line in the source text where the node starts

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class ParsedCrossRef:
    docno: str                 # normalised, no spaces: "云政发〔2010〕54号", "国务院令第493号"
    raw: str                   # as printed: "云政发〔2010〕54 号"
    title: str = ""            # the 《…》 title printed just before it, if any
    node_path: str = ""        # where in the citing document it appears


@dataclass
class ParsedAppointment:
    person: str                # spaces removed: "陈勇"
    action: str                # appoint | appoint_concurrent | remove
    post: str                  # "副局长", "董事长" (aliases in brackets kept: "主任（董事长）")
    org: str                   # "昆明市商务局"
    qualifiers: list[str] = field(default_factory=list)  # "正县级", "试用期一年", "挂职一年" …
    rank: str = ""             # "正县级" when stated
    probation_years: int | None = None
    secondment_years: int | None = None
    source: str = ""           # the whole printed line
    order: int = 0


@dataclass
class ParsedTocEntry:
    lang: str                  # "zh" | "en"
    section: str               # "市政府文件" / "Documents of Kunming Municipality" …
    title: str
    page: int | None
    order: int
    docno: str = ""            # filled by matching the entry to a document


@dataclass
class ParsedDocument:
    docno: str                 # normalised: "昆政发〔2010〕59号", "昆政任〔2010〕1-8号"
    docno_printed: str         # as printed: "昆政办〔2010〕109 号"
    series: str                # "昆政发" | "昆政办" | "昆政任"
    year: int
    number: str                # "59", "1-8"
    issuer: str                # "昆明市人民政府" | "昆明市人民政府办公厅" | "人事任免"
    title: str                 # joined and normalised title as printed above the number
    addressees: str = ""
    signed_on: date | None = None
    section: str = ""          # TOC section it is listed under
    page: int | None = None    # TOC page
    toc_title: str = ""        # the title as the TOC prints it (may differ: see 109号)
    order: int = 0
    nodes: list[ParsedNode] = field(default_factory=list)
    crossrefs: list[ParsedCrossRef] = field(default_factory=list)
    appointments: list[ParsedAppointment] = field(default_factory=list)
    line_start: int = 0
    line_end: int = 0

    def walk(self):
        for n in self.nodes:
            yield from n.walk()


@dataclass
class ParsedIssue:
    city: str                  # "昆明市"
    title: str                 # "昆明市人民政府公报"
    editor: str                # "昆明市人民政府办公厅编"
    issue_date: date
    year: int
    number: int                # 15
    serial: int                # 142
    title_en: str = ""
    toc: list[ParsedTocEntry] = field(default_factory=list)
    documents: list[ParsedDocument] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # interpretations made while parsing
    sha256: str = ""

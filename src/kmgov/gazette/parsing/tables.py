"""Tables (59号, 62号) and the 零申报 forms (107号) as rows and columns (GZ-3)."""

from __future__ import annotations

import re

from ..parsed import ParsedNode, ParsedTable
from .blocks import FormBlock, TableBlock
from .text import Line, cell_value, squeeze


def _cells(line: Line) -> list[str]:
    return [squeeze(c) for c in line.raw.split("\t")]


def build_table(block: TableBlock, caption: str) -> ParsedTable:
    """Header from the first row; numbers become int/float and empty cells None."""
    header = _cells(block.rows[0])
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    rows: list[list[object]] = []
    repeats = 0
    for line in block.rows[1:]:
        cells = _cells(line)
        if not any(cells):
            continue
        if cells[:width] == header and not any(cells[width:]):
            repeats += 1                    # header reprinted where the table breaks pages
            continue
        if not any(cells[width:]):
            # Rows end in empty cells of their own ("五华\t6337\t\t6337\t\t"); fit them.
            cells = (cells + [""] * width)[:width]
        rows.append([cell_value(c) for c in cells])
    meta = {"printed_parts": repeats + 1} if repeats else {}
    return ParsedTable(caption=caption, header=header, rows=rows, unit=block.unit,
                       note=block.note, meta=meta)


def build_form(block: FormBlock) -> ParsedTable:
    """A 零申报表 (107号附件): header fields, a two-row column header, items, 申报说明.

    Rows are [序号, 申报内容, 落实, 不落实].  A row with an empty 序号 continues the item above
    (表三 prints item 1 as four rows): our convention numbers it "1.2", "1.3" … so that each
    printed row stays a row and the numbered items are the rows whose 序号 is an int.
    """
    header_fields: list[str] = []
    head: list[str] = []           # first column-header row: 序号 / 申报内容 / 申报情况
    header: list[str] = []
    groups: dict[str, list[str]] = {}
    rows: list[list[object]] = []
    remarks = ""
    for line in block.rows:
        cells = _cells(line)
        if cells[0] == "序号":
            head = cells
        elif not head:
            header_fields += [c for c in cells if c]          # 申报单位主要负责人 …
        elif not header:
            header, groups = _merge_header_rows(head, cells)
        elif cells[0] in ("申报说明", "说明"):
            remarks = cells[0]
        elif isinstance(number := cell_value(cells[0]), int):
            rows.append([number, *_form_cells(cells)])
        elif len(cells) > 1 and cells[1] and rows:
            parent = rows[-1][0] if isinstance(rows[-1][0], int) else \
                int(str(rows[-1][0]).split(".")[0])
            sub = sum(1 for r in rows if str(r[0]).split(".")[0] == str(parent)) + 1
            rows.append([f"{parent}.{sub}", *_form_cells(cells)])
    meta = {"title": block.title, "header_fields": header_fields,
            "footer_fields": block.footer, "top_fields": block.top_fields,
            "column_groups": groups}
    if block.number_printed:
        meta["number_printed"] = block.number_printed
    if remarks:
        meta["remarks_label"] = remarks
    return ParsedTable(caption=block.title, header=header or ["序号", "申报内容", "落实", "不落实"],
                       rows=rows, kind="form", meta=meta)


def _merge_header_rows(upper: list[str], lower: list[str]) -> tuple[list[str], dict]:
    """Two header rows → one: a lower cell ("落实") replaces the spanning upper one ("申报情况")."""
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    header = [below or above for above, below in zip(upper, lower) if below or above]
    groups: dict[str, list[str]] = {}
    spanning = ""
    for above, below in zip(upper, lower):
        if above and below:
            spanning = above
        if spanning and below:
            groups.setdefault(spanning, []).append(below)
    return header, groups


def _form_cells(cells: list[str]) -> list[object]:
    content = cells[1] if len(cells) > 1 else ""
    marks = [cell_value(c) for c in cells[2:4]]
    return [content, *marks, *[None] * (2 - len(marks))]


def resolve_merged_columns(annex: ParsedNode, docno: str, notes: list[str]) -> None:
    """Repair an indicator table whose leading columns are merged cells (62号附件2).

    The print gives 子系统 and 领域 only on their first row, leaves the header's first cell
    empty, shifts row 47 one column left, and omits the 子系统 label of rows 26–36 altogether.
    The prose under the table ("N. XX子系统 … 包括：领域—指标；…") says which domains make up
    which subsystem, so the subsystem is taken from the domain, not filled down blindly.
    """
    for node in annex.walk():
        table = node.table
        if table is None or table.kind != "table" or "序号" not in table.header:
            continue
        k = table.header.index("序号")
        if k == 0:
            continue
        _realign_rows(table, k, docno, notes)
        printed = [row[0] for row in table.rows]
        _fill_down(table, k)
        groups = _subsystems_from_prose(annex)
        if groups:
            if table.header[0] == "":
                table.header[0] = "子系统"
            _assign_groups_by_domain(table, k, printed, groups, docno, notes)
        _note_inverted_units(table, docno, notes)


def _realign_rows(table: ParsedTable, k: int, docno: str, notes: list[str]) -> None:
    # "47\t\t高新技术产业增加值占 GDP 比重\t%": the number sits in a merged column.
    for r, row in enumerate(table.rows):
        if isinstance(row[k], int) or not any(isinstance(c, int) for c in row[:k]):
            continue
        j = next(c for c in range(k) if isinstance(row[c], int))
        rest = [c for c in row[j + 1:] if c is not None]
        table.rows[r] = ([None] * k + [row[j]] + rest + [None] * len(row))[:len(row)]
        notes.append(f"{docno}：指标表第{row[j]}项印刷错位（序号印在第{j + 1}列），已按表头对齐。")


def _fill_down(table: ParsedTable, k: int) -> None:
    for c in range(k):
        last = None
        for row in table.rows:
            row[c] = row[c] if row[c] is not None else last
            last = row[c]


def _assign_groups_by_domain(table, k, printed, groups, docno, notes) -> None:
    by_domain = {dom: name for name, (_, doms) in groups.items() for dom in doms}
    fixed: dict[str, list[int]] = {}
    for row, printed_group in zip(table.rows, printed):
        want = by_domain.get(row[1]) if k >= 2 else None
        if not want or row[0] == want:
            continue
        if printed_group is not None:
            notes.append(f"{docno}：指标表第{row[k]}项印作“{printed_group}”，与表后说明"
                         f"（{want}）不符，按表中所印。")
            continue
        row[0] = want
        fixed.setdefault(want, []).append(row[k])
    for name, numbers in fixed.items():
        notes.append(f"{docno}：指标表第{min(numbers)}—{max(numbers)}项未印子系统名称（印刷遗漏"
                     f"“{name}”），按表后说明的领域归属补为“{name}”，而不是向下填充上一子系统。")
    for name, (stated, _) in groups.items():
        actual = sum(1 for row in table.rows if row[0] == name)
        if stated is not None and stated != actual:
            notes.append(f"{docno}：表后说明称“{name}子系统”共{stated}项指标，表中实列{actual}项"
                         f"（合计{len(table.rows)}项）。")


def _note_inverted_units(table: ParsedTable, docno: str, notes: list[str]) -> None:
    # "人均住房使用面积 … 人/平方米": a per-capita figure printed with the unit upside down.
    if "单位" not in table.header or "指标名称" not in table.header:
        return
    unit_col, name_col = table.header.index("单位"), table.header.index("指标名称")
    for row in table.rows:
        name, unit = str(row[name_col]), str(row[unit_col])
        if name.startswith("人均") and unit.startswith("人/"):
            notes.append(f"{docno}：指标“{name}”的单位印作“{unit}”，疑为“{unit[2:]}/人”之误，"
                         f"按原样保留。")


def _subsystems_from_prose(annex: ParsedNode) -> dict[str, tuple[int | None, list[str]]]:
    groups: dict[str, tuple[int | None, list[str]]] = {}
    for node in annex.walk():
        m = re.fullmatch(r"(.+?)子系统", node.heading)
        if not m or "包括" not in node.text:
            continue
        stated = re.search(r"共\s*(\d+)\s*项", node.text)
        listing = node.text.split("包括", 1)[1].lstrip("：:")
        domains = []
        for part in re.split(r"[；;]", listing):
            dm = re.match(r"\s*([^—\s]{2,10})\s*—+", part)
            if dm:
                domains.append(dm.group(1))
        groups[m.group(1)] = (int(stated.group(1)) if stated else None, domains)
    return groups

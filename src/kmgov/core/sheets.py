"""Bounded reading of uploaded xlsx sheets (issue 15 item 5: expensive inputs).

Every import of a spreadsheet reads it through `sheet_rows`, which refuses a file larger than
`KMGOV_IMPORT_MAX_BYTES` before opening it and stops reading at `KMGOV_IMPORT_MAX_ROWS` data
rows (a sheet of a million empty-looking rows, or a zip bomb, is refused after the cap, not
after it has been read). Both caps are settings (environment variables of the same name);
the refusal names the file field and says the cap in Chinese.
"""

from __future__ import annotations

import os

from django.conf import settings

from .errors import InvalidInput


def max_rows() -> int:
    return int(getattr(settings, "KMGOV_IMPORT_MAX_ROWS", 10000))


def max_bytes() -> int:
    return int(getattr(settings, "KMGOV_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def _human(n: int) -> str:
    return f"{n / 1048576:.1f}MB" if n >= 1048576 else f"{max(1, round(n / 1024))}KB"


def check_size_value(size: int, *, field: str = "file") -> int:
    """A refusal when `size` (bytes) is over the cap."""
    cap = max_bytes()
    if size > cap:
        raise InvalidInput(f"文件过大：{_human(size)}，导入文件不能超过{_human(cap)}", field=field)
    return size


def check_size(path, *, field: str = "file") -> int:
    """The file's size in bytes; a refusal when it is over the cap."""
    return check_size_value(os.path.getsize(path), field=field)


def capped_rows(ws, *, field: str = "file", rows: int | None = None) -> list[tuple]:
    """The values of a worksheet's rows (the header row included), refused past `rows` filled
    data rows (default the setting). Blank rows keep the sheet's numbering but do not count,
    up to ten times the cap."""
    cap = max_rows() if rows is None else rows
    out: list[tuple] = []
    filled = 0
    for values in ws.iter_rows(values_only=True):
        out.append(values)
        if any(v is not None and str(v).strip() for v in values):
            filled += 1
        if filled > cap + 1 or len(out) > 10 * cap + 1:  # header + cap data rows
            raise InvalidInput(f"数据行过多：一次最多导入{cap}行，请分批导入", field=field)
    return out


def sheet_rows(path, *, field: str = "file", sheet: int = 0, rows: int | None = None) -> list[tuple]:
    """The values of the first sheet's rows (the header row included), at most `rows` data rows
    (default the setting). A refusal for a file over the size cap, an unreadable file, or more
    data rows than the cap. `path` may also be the file's bytes."""
    import io

    from openpyxl import load_workbook

    if isinstance(path, (bytes, bytearray)):
        check_size_value(len(path), field=field)
        source = io.BytesIO(path)
    else:
        check_size(path, field=field)
        source = path
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable file
        raise InvalidInput(f"无法读取xlsx文件：{exc}", field=field) from None
    try:
        return capped_rows(wb.worksheets[sheet], field=field, rows=rows)
    finally:
        wb.close()

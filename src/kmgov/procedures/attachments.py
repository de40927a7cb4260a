"""What a file is, judged by its bytes (magic numbers), not by its name.

PDF, PNG and JPEG are recognised by their signatures; docx and xlsx are ZIP containers and are
recognised by the OOXML parts they must hold. Anything else (executables, scripts, other
archives, old .doc/.xls) is not accepted, and a file whose name claims another type than its
bytes is refused as disguised.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from .errors import AttachmentRejected


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    mime: str
    extensions: tuple[str, ...]


TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF文档", "application/pdf", (".pdf",)),
        FileType("png", "PNG图片", "image/png", (".png",)),
        FileType("jpeg", "JPEG图片", "image/jpeg", (".jpg", ".jpeg")),
        FileType("docx", "Word文档（docx）", "application/vnd.openxmlformats-officedocument."
                 "wordprocessingml.document", (".docx",)),
        FileType("xlsx", "Excel表格（xlsx）", "application/vnd.openxmlformats-officedocument."
                 "spreadsheetml.sheet", (".xlsx",)),
    )
}

# Signatures of things that are never accepted, named so the refusal can say what was found.
_KNOWN_BAD = (
    (b"MZ", "Windows可执行程序"),
    (b"\x7fELF", "可执行程序"),
    (b"#!", "脚本"),
    (b"\xd0\xcf\x11\xe0", "旧版Office文档（doc/xls）"),
    (b"Rar!", "RAR压缩包"),
    (b"7z\xbc\xaf", "7z压缩包"),
    (b"GIF8", "GIF图片"),
)


def _ooxml_kind(fh: BinaryIO) -> str | None:
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(fh: BinaryIO) -> tuple[str | None, str]:
    """(type key or None, a description of what the bytes are)."""
    fh.seek(0)
    head = fh.read(16)
    fh.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf", TYPES["pdf"].label
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", TYPES["png"].label
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", TYPES["jpeg"].label
    if head.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(fh)
        fh.seek(0)
        if kind:
            return kind, TYPES[kind].label
        return None, "ZIP压缩包"
    for magic, label in _KNOWN_BAD:
        if head.startswith(magic):
            return None, label
    return None, "无法识别的文件"


@dataclass(frozen=True)
class CheckedFile:
    type: FileType
    size: int
    sha256: str
    extension: str


def check_file(fh: BinaryIO, *, name: str, max_bytes: int, allowed: tuple[str, ...]) -> CheckedFile:
    """Measure, hash and sniff a file; `AttachmentRejected` naming the reason if it is refused."""
    label_allowed = "、".join(TYPES[k].label for k in allowed)
    size = 0
    digest = hashlib.sha256()
    fh.seek(0)
    while chunk := fh.read(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise AttachmentRejected(
                f"文件“{name}”超过大小上限 {_human(max_bytes)}", field="file")
        digest.update(chunk)
    if size == 0:
        raise AttachmentRejected(f"文件“{name}”是空文件", field="file")
    kind, found = sniff(fh)
    if kind is None or kind not in allowed:
        raise AttachmentRejected(
            f"文件“{name}”的内容是{found}，不是可接受的类型（{label_allowed}）", field="file")
    ftype = TYPES[kind]
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if ext not in ftype.extensions:
        raise AttachmentRejected(
            f"文件“{name}”的内容是{ftype.label}，与文件名的扩展名“{ext or '（无）'}”不符",
            field="file")
    fh.seek(0)
    return CheckedFile(type=ftype, size=size, sha256=digest.hexdigest(), extension=ext)


def _human(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):g} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):g} KB"
    return f"{n} 字节"

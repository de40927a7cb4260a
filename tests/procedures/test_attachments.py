"""Checklist documents: size and type limits, judged by content; nothing half-written."""

import io
import zipfile

import pytest
from procedures.helpers import PDF, at, attach

from kmgov.core.models import AuditEntry
from kmgov.procedures.errors import (
    AttachmentRejected,
    CaseNotFound,
    TransitionDenied,
    TransitionNotAvailable,
)
from kmgov.procedures.models import Attachment
from kmgov.procedures.services import case_transition

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def ooxml(kind: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("payload.exe", EXE)
    return buf.getvalue()


def nothing_written(settings, before_audit):
    media = settings.MEDIA_ROOT
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return files, Attachment.objects.count(), AuditEntry.objects.count() - before_audit


@pytest.mark.parametrize("name,content,mime", [
    ("报表.pdf", PDF, "application/pdf"),
    ("扫描件.PNG", PNG, "image/png"),
    ("照片.jpeg", JPEG, "image/jpeg"),
    ("说明.docx", ooxml("docx"), "application/vnd.openxmlformats-officedocument."
                                 "wordprocessingml.document"),
    ("报表.xlsx", ooxml("xlsx"), "application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet"),
])
def test_accepted_types(people, new_case, name, content, mime):
    case = new_case(with_licence=False)
    att = attach(case, people.applicant, "statement", name, content)
    assert (att.mime_type, att.size, att.original_name) == (mime, len(content), name)
    assert att.file.read() == content
    entry = AuditEntry.objects.get(action="sample.attachment_add")
    assert entry.extra["sha256"] == att.sha256 and entry.actor == people.applicant


@pytest.mark.parametrize("name,content,message", [
    ("营业执照.pdf", EXE, "内容是Windows可执行程序，不是可接受的类型"),  # an .exe renamed .pdf
    ("营业执照.pdf", PNG, "内容是PNG图片，与文件名的扩展名“.pdf”不符"),
    ("营业执照.docx", plain_zip(), "内容是ZIP压缩包"),
    ("营业执照.pdf", b"", "是空文件"),
    ("营业执照", PDF, "扩展名“（无）”不符"),
    ("营业执照.pdf", b"%PDF-1.4\n" + b"0" * (64 * 1024), "超过大小上限 64 KB"),
    ("营业执照.txt", b"hello", "无法识别的文件"),
])
def test_refused_with_clear_message_and_nothing_written(people, new_case, settings, name,
                                                        content, message):
    case = new_case(with_licence=False)
    before = AuditEntry.objects.count()
    with pytest.raises(AttachmentRejected, match=message) as exc:
        attach(case, people.applicant, "licence", name, content)
    assert exc.value.field == "file" and exc.value.status == 400
    assert nothing_written(settings, before) == ([], 0, 0)


def test_key_must_be_on_the_checklist(people, new_case, settings):
    case = new_case(with_licence=False)
    with pytest.raises(AttachmentRejected, match="材料项“passport”不在样例申报的材料清单中") as exc:
        attach(case, people.applicant, "passport", "a.pdf", PDF)
    assert exc.value.field == "key"


def test_no_documents_once_submitted_and_none_from_strangers(people, new_case, settings):
    case = case_transition(new_case(), "submit", actor=people.applicant, now=at(2026, 3, 10))
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionNotAvailable, match="不能再补充或更换材料"):
        attach(case, people.applicant, "statement", "b.pdf", PDF)
    with pytest.raises(CaseNotFound):
        attach(case, people.wuhua_office, "statement", "b.pdf", PDF)
    with pytest.raises(TransitionDenied):
        attach(case, people.auditor, "statement", "b.pdf", PDF)
    files = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert len(files) == 1 and Attachment.objects.count() == 1  # the licence only
    assert AuditEntry.objects.count() == before


def test_file_removed_when_the_transaction_fails(people, new_case, settings, monkeypatch):
    case = new_case(with_licence=False)
    import kmgov.procedures.services as services

    def boom(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        attach(case, people.applicant, "licence", "a.pdf", PDF)
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []
    assert Attachment.objects.count() == 0

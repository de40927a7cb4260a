"""The points import and the quick report show a refusal beside the field it names, keep what
was chosen, and write nothing (issue 13 item 4, the last forms)."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from kmgov.core.models import AuditEntry
from kmgov.policies.geohazards.models import HazardPoint, QuickReport

from .conftest import make_point
from .test_register import sheet, xlsx_row


def _error_of(page: str, fid: str) -> str:
    """The design system's message beside the control `fid` (empty when there is none)."""
    m = re.search(rf'<p class="govuk-error-message" id="{fid}-error" role="alert">(.*?)</p>', page, re.S)
    return m.group(1) if m else ""


def test_points_import_refused_beside_the_file_naming_the_row_nothing_written(gd, client):
    rows = [xlsx_row(i) for i in range(1, 4)]
    rows[1] = xlsx_row(2, 规模="巨型")  # 109号 二(四) knows 特大型/大型/中型/小型 only; sheet row 3
    client.force_login(gd.panlong_land)
    r = client.post("/geohazards/points/", {"file": SimpleUploadedFile("隐患点.xlsx", sheet(rows))})
    assert r.status_code == 400
    page = r.content.decode()
    error = _error_of(page, "import-file")
    assert "第3行" in error and "规模" in error
    assert "隐患点.xlsx" in error  # the file chosen is named: a browser never refills a file input
    assert 'aria-describedby="import-file-hint import-file-error"' in page
    assert 'href="#import-file"' in page  # the summary links to the field
    assert HazardPoint.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="geohazards.").exists()
    # no file at all: the same place
    r = client.post("/geohazards/points/", {})
    assert r.status_code == 400 and "请选择要导入的" in _error_of(r.content.decode(), "import-file")


def test_quick_report_refused_beside_the_point_with_the_unit_kept(gd, client):
    make_point(gd.wuhua_land, "WH-0001", org="wuhua")  # another county's point
    client.force_login(gd.dianyuan)
    r = client.post("/geohazards/reports/new/", {"org": "panlong-dianyuan", "point": "WH-0001"})
    assert r.status_code == 400
    page = r.content.decode()
    assert _error_of(page, "qr-point") and not _error_of(page, "qr-org")
    assert '<option value="panlong-dianyuan" selected>' in page  # what was chosen is kept
    assert QuickReport.objects.count() == 0
    # a unit not the reporter's: beside the unit, and a refusal of who may act (403)
    r = client.post("/geohazards/reports/new/", {"org": "wuhua", "point": ""})
    assert r.status_code == 403
    assert "无权以“五华区”的名义报送速报" in _error_of(r.content.decode(), "qr-org")
    assert QuickReport.objects.count() == 0

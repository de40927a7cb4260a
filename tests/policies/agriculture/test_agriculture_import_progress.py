"""X-8: `kmgov agriculture claim-import` shows a bar while it checks the lines, and with --json
prints only its JSON (counts of lines and accepted lines)."""

import io
import json

import pytest
from django.core.management import call_command
from policies.agriculture.test_agriculture_claims import sheet


@pytest.mark.django_db
def test_claim_import_progress(folk, tmp_path, monkeypatch):
    rows = [["种植业结构调整", None, 10, None, "粮食", "苗木", None, None, None, 10000]] * 3
    path = sheet(tmp_path, rows)
    monkeypatch.setenv("KMGOV_PROGRESS", "1")
    out, err = io.StringIO(), io.StringIO()
    call_command("agriculture", "claim-import", str(path), "--county", "jinning", "--year", "2011",
                 "--user", "jinning-nyj", stdout=out, stderr=err)
    assert err.getvalue().endswith("核算报账明细 [########################] 3/3 100%\n")
    assert "3行" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("agriculture", "claim-import", str(path), "--county", "jinning", "--year", "2012",
                 "--user", "jinning-nyj", "--json", stdout=out, stderr=err)
    assert err.getvalue() == ""
    summary = json.loads(out.getvalue())
    assert summary["lines"] == 3 and summary["accepted"] == 3

"""`kmgov demo`'s safety contribution: enterprises in listed industries, a period with missing
filings, an accident, a warning of each level, an overdue answer; idempotent."""

import io

import pytest

from kmgov.core.services import org_tree_load
from kmgov.policies.safety import demo
from kmgov.policies.safety.models import Accident, SafetyEnterprise, Warning
from kmgov.procedures.models import Deadline, FilingSlot

pytestmark = pytest.mark.django_db


def test_demo_contribution(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org_tree_load()
    out = io.StringIO()
    demo.contribute(out)
    assert SafetyEnterprise.objects.count() == 3 and Accident.objects.count() == 2
    missing = FilingSlot.objects.filter(period="2010H1", obligation__startswith="zr",
                                        filed_at__isnull=True, escalated_at__isnull=False)
    assert missing.filter(org__code="demo-ent-chem").count() == 9
    issued = Warning.objects.filter(title__endswith="（演示）")
    assert set(issued.values_list("level", flat=True)) == {
        "prompt", "notice", "admonition", "disclosure", "special_report"}
    overdue = issued.get(org__code="demo-ent-build", level="admonition")
    assert overdue.state == "awaiting" and Deadline.objects.filter(
        case_reference=overdue.reference, kind="escalation", fired_at__isnull=False).exists()
    assert Warning.objects.filter(source__startswith="zero-report:").exists()  # proposals
    demo.contribute(out)  # a second run adds nothing
    assert Warning.objects.filter(title__endswith="（演示）").count() == issued.count()
    assert "示例已存在" in out.getvalue()

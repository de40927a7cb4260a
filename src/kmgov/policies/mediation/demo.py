"""Demo of 人民调解“以奖代补” for `kmgov demo` (idempotent: skipped when present)."""

from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role
from kmgov.procedures.services import case_transition

from .models import MediationRecord
from .services import claim_create, record_create

RECORDS = [("DY-DEMO-001", "2010-06-15", "ordinary"), ("DY-DEMO-002", "2010-07-20", "ordinary"),
           ("DY-DEMO-003", "2010-09-03", "difficult"), ("DY-DEMO-004", "2010-11-30", "major")]


def contribute(stdout):
    committee = ensure_account("demo-dianyuan-tiaojie", "滇源镇人民调解委员会", Role.TOWNSHIP_STAFF,
                               "panlong-dianyuan", "调解员")
    county = ensure_account("demo-panlong-sfj", "盘龙区司法局", Role.COUNTY_DEPARTMENT,
                            "panlong-justice", "基层科")
    ensure_account("demo-shi-sfj", "市司法局（以奖代补领导小组办公室）", Role.CITY_OFFICE,
                   "city-justice", "基层处")
    ensure_account("demo-shi-czj", "市财政局", Role.CITY_DEPARTMENT, "city-finance", "农业科")
    if MediationRecord.objects.filter(agreement_no="DY-DEMO-001").exists():
        stdout.write("  人民调解以奖代补：示例已存在")
        return
    for no, on, grade in RECORDS:
        record_create(actor=committee, committee="panlong-dianyuan", agreement_no=no,
                      agreement_signed_on=on, grade=grade, summary="相邻关系纠纷（演示）")
    claim = claim_create(actor=county, county="panlong")
    claim = case_transition(claim, "submit", actor=county)
    stdout.write(f"  人民调解以奖代补 {claim.reference} {claim.case_count}件 奖励{claim.total_yuan}元 "
                 f"{claim.state_label()}")

"""Demo of 滇池流域农业结构调整报账 for `kmgov demo` (idempotent: skipped when present)."""

from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role
from kmgov.procedures.services import case_transition

from .models import AgricultureClaim
from .services import claim_create, line_add


def contribute(stdout):
    county = ensure_account("demo-jinning-nyj", "晋宁县农业局", Role.COUNTY_DEPARTMENT,
                            "jinning-agriculture", "报账员")
    ensure_account("demo-jinning-zf", "晋宁县人民政府", Role.COUNTY_GOVERNMENT, "jinning",
                   "分管副县长")
    ensure_account("demo-shi-nyj", "市农业局（滇池流域农业结构调整领导小组办公室）", Role.CITY_OFFICE,
                   "city-agriculture", "审核员")
    ensure_account("demo-shi-czj", "市财政局", Role.CITY_DEPARTMENT, "city-finance", "农业科")
    if AgricultureClaim.objects.filter(org__code="jinning-agriculture", year=2011).exists():
        stdout.write("  农业结构调整报账：示例已存在")
        return
    claim = claim_create(actor=county, county="jinning", year=2011)
    line_add(claim, actor=county, kind="conversion", claimed_yuan=100000,
             inputs={"area_mu": 100, "from_use": "粮食", "to_use": "苗木"})
    line_add(claim, actor=county, kind="training", claimed_yuan=40000, inputs={"people": 50})
    line_add(claim, actor=county, kind="offsite_rent", claimed_yuan=6000,
             inputs={"contiguous_area_mu": 4, "crop": "花卉", "outside_basin": True, "years": 3})
    claim.refresh_from_db()
    claim = case_transition(claim, "submit", actor=county)
    stdout.write(f"  农业结构调整报账 {claim.reference} 核定{claim.accepted_yuan}元，市级"
                 f"{claim.city_yuan}元 {claim.state_label()}")

"""Demo of 滇池流域农业结构调整报账 for `kmgov demo` (idempotent: skipped when present)."""

from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role
from kmgov.procedures.services import case_transition

from .models import AgricultureClaim
from .services import claim_create, line_add


def contribute(stdout):
    county = ensure_account("demo-jinning-nyj", "晋宁县农业局", Role.COUNTY_DEPARTMENT,
                            "jinning-agriculture", "报账员")
    jinning_gov = ensure_account("demo-jinning-zf", "晋宁县人民政府", Role.COUNTY_GOVERNMENT,
                                 "jinning", "分管副县长")
    city = ensure_account("demo-shi-nyj", "市农业局（滇池流域农业结构调整领导小组办公室）",
                          Role.CITY_OFFICE, "city-agriculture", "审核员")
    finance = ensure_account("demo-shi-czj", "市财政局", Role.CITY_DEPARTMENT, "city-finance",
                             "农业科")
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
    # Progress against Annex 1 (the dashboard): claims approved or paid in three districts, and
    # one still at its county government (not counted until the city approves it).
    claim = case_transition(claim, "county_approve", actor=jinning_gov)
    claim = case_transition(claim, "city_approve", actor=city)
    for county, year, lines, pay in PROGRESS:
        bureau = ensure_account(f"demo-{county}-nyj", f"{county}农业局", Role.COUNTY_DEPARTMENT,
                                f"{county}-agriculture", "报账员")
        gov = ensure_account(f"demo-{county}-zf", f"{county}人民政府", Role.COUNTY_GOVERNMENT,
                             county, "分管副区长")
        c = claim_create(actor=bureau, county=county, year=year)
        for kind, claimed, township, inputs in lines:
            line_add(c, actor=bureau, kind=kind, claimed_yuan=claimed, township=township,
                     inputs=inputs)
        c.refresh_from_db()
        c = case_transition(c, "submit", actor=bureau)
        if pay is not None:
            c = case_transition(c, "county_approve", actor=gov)
            c = case_transition(c, "city_approve", actor=city)
        if pay:
            c = case_transition(c, "pay", actor=finance)
        stdout.write(f"  农业结构调整报账 {c.reference} {c.state_label()}")


def _conv(area, township=None):
    return ("conversion", area * 1000, township, {"area_mu": area, "from_use": "蔬菜", "to_use": "苗木"})


#: (county, year, lines, pay): pay None = left at the county government, False = approved by the
#: city office, True = approved and the city's share paid. Conversion at 1000 元/亩 (59号 四(二)),
#: training at 800 元/人 (四(四)).
PROGRESS = [
    ("panlong", 2011, [_conv(300, "滇源镇"), _conv(200),
                       ("training", 96000, None, {"people": 120})], True),
    ("guandu", 2010, [_conv(150)], False),
    ("xishan", 2011, [_conv(50)], None),
]

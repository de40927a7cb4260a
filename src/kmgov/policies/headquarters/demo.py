"""Demo cases of 总部企业认定 for `kmgov demo` (idempotent: skipped when present)."""

import datetime as dt
import io

from django.contrib.auth import get_user_model

from kmgov.core.calendar import TZ
from kmgov.core.models import OrgUnit
from kmgov.policies._recognition_services import application_create
from kmgov.procedures.services import attachment_add, case_transition
from kmgov.rules import today

from .models import HeadquartersApplication

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _inputs(year):
    return {
        "registered_in_kunming": True, "pays_tax_in_kunming": True,
        "fits_industrial_policy": True, "clean_record": True,
        "revenue_share_from_subsidiaries": 0.4, "subsidiaries": 5,
        "capital_or_net_assets_yuan": 120_000_000, "revenue_last_year_yuan": 600_000_000,
        "local_tax_share_by_year_yuan": {str(year - 1): 30_000_000, str(year - 2): 26_000_000,
                                         str(year - 3): 24_000_000},
        "years_operating_in_kunming": 8,
    }


def contribute(stdout):
    User = get_user_model()
    u = {n: User.objects.get(username=n) for n in (
        "demo-qiye", "demo-qiye-wuhua", "demo-panlong-ban", "demo-panlong-lianshen",
        "demo-panlong-zf", "demo-shi-ban")}
    year = today().year
    march = dt.datetime(year, 3, 10, 10, tzinfo=TZ)
    made = []
    # 盘龙: certified (filed, with its card); 五华: a draft awaiting documents.
    org = OrgUnit.objects.get(code="ent-demo-dianchi")
    if not HeadquartersApplication.objects.filter(org=org, year=year).exists():
        case = application_create(HeadquartersApplication, actor=u["demo-qiye"], now=march,
                                  data={"hq_type": "comprehensive", "inputs": _inputs(year)})
        for key in HeadquartersApplication.procedure.required_documents:
            attachment_add(case, key=key, file=io.BytesIO(PDF), name=f"{key}.pdf",
                           actor=u["demo-qiye"])
        case = case_transition(case, "submit", actor=u["demo-qiye"], now=march)
        case = case_transition(case, "pass_to_meeting", actor=u["demo-panlong-ban"],
                               reason="材料齐全", now=march + dt.timedelta(days=5))
        case = case_transition(case, "meeting_pass", actor=u["demo-panlong-lianshen"],
                               now=march + dt.timedelta(days=20),
                               meeting_date=(march + dt.timedelta(days=20)).date().isoformat(),
                               meeting_members=["区发改局", "区商务局", "区财政局", "区税务局", "区审计局"],
                               meeting_minutes="同意认定为综合型总部")
        case = case_transition(case, "approve", actor=u["demo-panlong-zf"], reason="同意",
                               now=march + dt.timedelta(days=30))
        case = case_transition(case, "file", actor=u["demo-shi-ban"],
                               now=march + dt.timedelta(days=35))
        made.append(case)
    org = OrgUnit.objects.get(code="ent-demo-wuhua")
    if not HeadquartersApplication.objects.filter(org=org, year=year).exists():
        inputs = {**_inputs(year), "capital_or_net_assets_yuan": 30_000_000,
                  "revenue_last_year_yuan": 60_000_000, "modern_services_field": True,
                  "local_tax_share_by_year_yuan": {str(year - 1): 3_000_000}}
        made.append(application_create(HeadquartersApplication, actor=u["demo-qiye-wuhua"],
                                       now=march, data={"hq_type": "functional.modern_services",
                                                        "inputs": inputs}))
    for c in made:
        stdout.write(f"  总部企业认定 {c.reference} {c.org.name} {c.state_label()}")
    if not made:
        stdout.write("  总部企业认定：示例已存在")

"""Demo cases of 商务楼宇奖励扶持认定 for `kmgov demo` (idempotent: skipped when present)."""

import datetime as dt
import io

from django.contrib.auth import get_user_model

from kmgov.core.calendar import TZ
from kmgov.procedures.services import attachment_add, case_transition
from kmgov.rules import today

from .models import Building, BuildingApplication
from .services import building_application_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CERT = "昆房权证盘龙字第DEMO0001号"


def contribute(stdout):
    User = get_user_model()
    qiye = User.objects.get(username="demo-qiye2")
    office = User.objects.get(username="demo-panlong-ban")
    year = today().year
    march = dt.datetime(year, 3, 10, 10, tzinfo=TZ)
    if BuildingApplication.objects.filter(building__property_certificate_no=CERT,
                                          year=year).exists():
        stdout.write("  商务楼宇认定：示例已存在")
        return
    case = building_application_create(actor=qiye, now=march, data={
        "building": {"name": "金马示范大厦", "property_certificate_no": CERT,
                     "address": "盘龙区北京路100号"},
        "inputs": {"total_floor_area_m2": 12000, "commercial_floor_area_m2": 6000,
                   "purely_commercial": False, "in_kunming": True, "pays_tax_in_kunming": True,
                   "clean_record": True},
        "contribution_this_year_yuan": "2000000", "contribution_last_year_yuan": "1500000",
        "other_policies": [{"policy": "非公经济专项资金", "amount_yuan": "300000"}]})
    for key in BuildingApplication.procedure.required_documents:
        attachment_add(case, key=key, file=io.BytesIO(PDF), name=f"{key}.pdf", actor=qiye)
    case = case_transition(case, "submit", actor=qiye, now=march)
    case = case_transition(case, "pass_to_meeting", actor=office, reason="材料齐全",
                           now=march + dt.timedelta(days=3))
    stdout.write(f"  商务楼宇认定 {case.reference} {case.building.name} {case.state_label()}"
                 f"（楼宇 {Building.objects.count()} 幢）")

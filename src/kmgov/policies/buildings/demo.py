"""Demo cases of 商务楼宇奖励扶持认定 for `kmgov demo` (idempotent: skipped when present)."""

import datetime as dt
import io
import os
from decimal import Decimal

from django.contrib.auth import get_user_model

from kmgov.core.calendar import TZ
from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import user_create
from kmgov.procedures.services import attachment_add, case_transition
from kmgov.rules import today

from .models import Building, BuildingApplication, BuildingYear, CountyYear
from .register import county_year_save, record_save
from .services import building_application_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CERT = "昆房权证盘龙字第DEMO0001号"


def contribute(stdout):
    _application(stdout)
    _register(stdout)


def _application(stdout):
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


#: Demo register: (certificate, name, county, subdistrict, total m², office m², vacant m²,
#: 物业资质, facilities, tenants "名称｜行业｜在昆注册｜总部｜纳税额").
DEMO_BUILDINGS = [
    ("昆房权证盘龙字第DEMO0101号", "拓东金融中心", "panlong", "panlong-tuodong", 68000, 52000, 2600,
     "level1", ["parking", "catering", "conference", "leisure", "transport", "intelligent", "network"],
     ["滇中示范银行云南分行｜金融｜是｜是｜86000000", "彩云示范证券有限公司｜金融｜是｜否｜21000000",
      "南亚示范咨询有限公司｜商务服务｜否｜否｜3400000"]),
    ("昆房权证盘龙字第DEMO0102号", "北京路商务大厦", "panlong", "panlong-tuodong", 32000, 24000, 3600,
     "level2", ["parking", "catering", "transport", "network"],
     ["金马示范物流有限公司｜现代物流｜是｜是｜9000000", "春城示范律师事务所｜法律服务｜是｜否｜1000000"]),
    ("昆房权证盘龙字第DEMO0103号", "白塔路科技楼", "panlong", "panlong-tuodong", 15000, 9000, 2700,
     "level3", ["parking", "network"],
     ["滇池示范软件有限公司｜信息技术｜是｜否｜2600000"]),
    ("昆房权证五华字第DEMO0201号", "华山南路总部大厦", "wuhua", "wuhua-huashan", 85000, 60000, 1800,
     "level1", ["parking", "catering", "conference", "leisure", "transport", "intelligent"],
     ["云岭示范能源集团有限公司｜能源｜是｜是｜64000000", "高原示范保险有限公司｜金融｜是｜是｜36000000",
      "五华示范会计师事务所｜商务服务｜是｜否｜1500000"]),
    ("昆房权证五华字第DEMO0202号", "翠湖外贸楼", "wuhua", "wuhua-huashan", 21000, 16000, 4000,
     "level2", ["parking", "catering", "transport", "intelligent"],
     ["翠湖示范进出口有限公司｜外贸｜是｜否｜12500000"]),
]
SUBDISTRICTS = [("panlong-tuodong", "拓东街道", "panlong"), ("wuhua-huashan", "华山街道", "wuhua")]


def _register(stdout):
    year = today().year - 1  # 七(三): the register of the last full year
    if BuildingYear.objects.filter(building__property_certificate_no=DEMO_BUILDINGS[0][0],
                                   year=year).exists():
        stdout.write("  楼宇经济信息：示例已存在")
        return
    for code, name, parent in SUBDISTRICTS:
        if not OrgUnit.objects.filter(code=code).exists():
            OrgUnit(code=code, name=name, kind="subdistrict",
                    parent=OrgUnit.objects.get(code=parent)).save()
    User = get_user_model()
    liaison = User.objects.filter(username="demo-tuodong-lly").first() or user_create(
        username="demo-tuodong-lly", password=os.environ.get("KMGOV_DEMO_PASSWORD"),
        display_name="拓东街道楼宇经济联络员",
        roles=[(Role.TOWNSHIP_STAFF, "panlong-tuodong", "楼宇经济联络员")])
    offices = {"panlong": User.objects.get(username="demo-panlong-ban"),
               "wuhua": User.objects.get(username="demo-wuhua-ban")}
    for cert, name, county, sub, total, office, vacant, level, facilities, tenants in DEMO_BUILDINGS:
        building, _ = Building.objects.get_or_create(property_certificate_no=cert, defaults={
            "name": name, "county": OrgUnit.objects.get(code=county),
            "subdistrict": OrgUnit.objects.get(code=sub), "address": f"{name}（示例）",
            "liaison_name": "张联络" if county == "panlong" else "李联络",
            "liaison_phone": "0871-6000000"})
        actor = liaison if sub == "panlong-tuodong" else offices[county]
        record_save(building, year, {
            "total_floor_area_m2": total, "office_floor_area_m2": office,
            "vacant_floor_area_m2": vacant, "management_level": level,
            "facilities": {k: True for k in facilities}, "tenants": tenants}, actor=actor)
    # 二(三)'s denominator and clusters, as the county offices would enter them.
    county_year_save(OrgUnit.objects.get(code="panlong"), year, total_tax_yuan=Decimal("420000000"),
                     clusters=2, actor=offices["panlong"])
    county_year_save(OrgUnit.objects.get(code="wuhua"), year, total_tax_yuan=Decimal("380000000"),
                     clusters=1, actor=offices["wuhua"])
    grades = {g: BuildingYear.objects.filter(year=year, grade=g).count() for g in "ABC"}
    stdout.write(f"  楼宇经济信息 {year}年度：{len(DEMO_BUILDINGS)} 幢楼宇（甲级{grades['A']}、乙级"
                 f"{grades['B']}、丙级{grades['C']}），{CountyYear.objects.filter(year=year).count()} 个县区税收总额")

"""Demo of 109号 for `kmgov demo` (idempotent: skipped when present): hazard points in several
counties on the map, a flood-season roster with gaps, a warning pushed, a quick report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role, RoleAssignment
from kmgov.rules import today

from . import selectors, services
from .models import HazardPoint

# (code, name, type, scale, unit, location, lon, lat, households, people, monitor, phone)
# Coordinates checked inside each county's boundary (core.geomap.county_at).
POINTS = [
    ("PL-001", "大村后山滑坡", "landslide", "medium", "panlong-dianyuan", "大村委会后山组", "102.880", "25.430", 36, 142, "李正华", "13900001001"),
    ("PL-002", "阿子营沟泥石流", "debris_flow", "small", "panlong-aziying", "阿子营村沟口", "102.730", "25.400", 12, 47, "张丽", "13900001002"),
    ("DC-001", "蒋家沟泥石流", "debris_flow", "large", "dongchuan", "蒋家沟沟口", "103.180", "26.100", 85, 320, "王德明", "13900001003"),
    ("DC-002", "小江右岸崩塌", "collapse", "medium", "dongchuan", "小江右岸公路边", "103.100", "26.230", 9, 30, "赵强", "13900001004"),
    ("DC-003", "因民地面塌陷", "subsidence", "small", "dongchuan", "因民老矿区", "103.050", "26.050", 6, 21, "钱芳", "13900001005"),
    ("LQ-001", "转龙滑坡", "landslide", "medium", "luquan", "转龙村上组", "102.500", "25.600", 22, 90, "孙立", "13900001006"),
    ("LQ-002", "撒营盘不稳定斜坡", "unstable_slope", "small", "luquan", "撒营盘集镇后坡", "102.600", "25.900", 15, 60, "周勇", "13900001007"),
    ("XD-001", "功山泥石流", "debris_flow", "medium", "xundian", "功山村沟口", "103.250", "25.550", 18, 75, "吴霞", "13900001008"),
    ("FM-001", "款庄滑坡", "landslide", "small", "fumin", "款庄村委会", "102.500", "25.300", 8, 33, "郑海", "13900001009"),
    ("XS-001", "团结乡崩塌", "collapse", "small", "xishan", "团结乡公路边", "102.550", "25.150", 4, 14, "冯云", "13900001010"),
    ("AN-001", "青龙地裂缝", "fissure", "small", "anning", "青龙村", "102.450", "24.900", 5, 19, "陈静", "13900001011"),
    ("SM-001", "杨林后山滑坡", "landslide", "large", "songming", "杨林镇后山", "103.050", "25.350", 40, 150, "褚亮", "13900001012"),
]


def contribute(stdout):
    county = ensure_account("demo-panlong-gtj", "盘龙区国土资源局", Role.COUNTY_DEPARTMENT,
                            "panlong-land", "地质环境科")
    township = ensure_account("demo-dianyuan-gts", "滇源镇国土资源所", Role.TOWNSHIP_STAFF,
                              "panlong-dianyuan", "所长")
    dongchuan = ensure_account("demo-dongchuan-gtj", "东川区国土资源局", Role.COUNTY_DEPARTMENT,
                   "dongchuan-land", "地质环境科")
    city = ensure_account("demo-shi-gtj", "市国土资源局", Role.CITY_DEPARTMENT, "city-land",
                          "地质环境处")
    ensure_account("demo-shi-zhiban", "市政府办公厅总值班室", Role.CITY_DEPARTMENT,
                   "city-general-office", "值班员")
    if HazardPoint.objects.filter(code="PL-001").exists():
        stdout.write("  地质灾害防治：示例已存在")
        return
    # the township officer is PL-001's monitor too: the warning also reaches his inbox
    RoleAssignment.objects.filter(user=township).update(phone="13900001001")
    for (code, name, kind, scale, unit, place, lon, lat, hh, people, monitor, phone) in POINTS:
        services.point_save(dict(
            code=code, name=name, hazard_type=kind, scale=scale, org=unit, location=place,
            longitude=Decimal(lon), latitude=Decimal(lat), threatened_households=hh,
            threatened_people=people, threatened_property=str(hh * 8), threatened_objects="村庄、乡村道路",
            monitors=[{"name": monitor, "phone": phone}],
            county_leader="分管副区（县）长", county_leader_phone="13800002001",
            township_leader="乡镇分管领导", township_leader_phone="13800002002",
            village_cadre="村委会主任", village_cadre_phone="13800002003",
            evacuation_route="沿村道向地势较高处转移", evacuation_place="村委会广场",
            alarm_person=monitor, alarm_signal="鸣锣、口哨", refuge="村委会广场",
            cards_issued_on=None if code in ("LQ-002", "SM-001") else "2010-05-20"), actor=city)
    year = today().year
    start, end = selectors.season(year)
    with transaction.atomic():
        day = start
        while day <= end:
            # 盘龙区: every day but a three-day gap in July (shown and escalated)
            if not (dt.date(year, 7, 10) <= day <= dt.date(year, 7, 12)):
                services.shift_set({"org": "panlong", "day": day.isoformat(), "leader": "副区长 杨某",
                                    "leader_phone": "13700003001", "officer": "值班员 何某",
                                    "officer_phone": "13700003002"}, actor=county)
            day += dt.timedelta(days=1)
    services.roster_report("panlong", year, actor=county)
    services.gaps_escalate(on=dt.date(year, 7, 8), actor=city)
    w = services.warning_issue({
        "grade": "orange", "areas": ["panlong", "dongchuan"],
        "valid_from": f"{year}-07-12T20:00:00+08:00", "valid_until": f"{year}-07-13T20:00:00+08:00",
        "text": "受强降雨影响，盘龙区北部、东川区发生地质灾害的可能性大（演示）"}, actor=city)
    report = services.report_create(point="DC-001", actor=dongchuan)
    stdout.write(f"  地质灾害防治：{len(POINTS)} 处隐患点；盘龙区 {year} 年汛期值班表（7月10日—12日缺班）；"
                 f"橙色预警推送 {w.notification.deliveries.count()} 条；速报 {report.reference}（草稿）")

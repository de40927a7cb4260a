import pytest

from kmgov.core.models import AuditEntry, OrgUnit
from kmgov.core.services import org_tree_load

pytestmark = pytest.mark.django_db

# SPEC X-4 / 59号 四(七): the 14 counties, districts and county-level city and the three zones.
COUNTIES = "五华 盘龙 官渡 西山 东川 呈贡 晋宁 富民 宜良 石林 嵩明 禄劝 寻甸 安宁".split()
ZONES = ["经开区", "高新区", "度假区"]


def test_tree_has_the_counties_and_zones_under_the_city():
    org_tree_load()
    city = OrgUnit.objects.get(kind="city")
    counties = OrgUnit.objects.filter(parent=city, kind="county")
    zones = OrgUnit.objects.filter(parent=city, kind="zone")
    assert sorted(c.short_name for c in counties) == sorted(COUNTIES)
    assert sorted(z.short_name for z in zones) == sorted(ZONES)
    dianyuan = OrgUnit.objects.get(name="滇源镇")
    assert dianyuan.parent.short_name == "盘龙" and dianyuan.county_level().code == "panlong"
    assert dianyuan.path == "/kunming/panlong/panlong-dianyuan/"


def test_loading_twice_changes_nothing():
    first = org_tree_load()
    entries = AuditEntry.objects.count()
    second = org_tree_load()
    assert first["created"] > 0
    assert second == {"created": 0, "updated": 0, "total": first["total"]}
    assert AuditEntry.objects.count() == entries


def test_audit_entries_are_append_only():
    org_tree_load()
    entry = AuditEntry.objects.first()
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()

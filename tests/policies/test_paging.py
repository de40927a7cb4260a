"""Long lists page by 50 (`?page=N`), never show another county's cases on any page, and take
a fixed number of queries however many rows there are (issue 4: pages with 100,000 cases)."""

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType

from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.policies.forestry.models import ForestProject, Method, Ownership
from kmgov.policies.headquarters.models import HeadquartersApplication
from kmgov.procedures.models import InboxItem, InboxKind
from kmgov.procedures.paging import PER_PAGE

pytestmark = pytest.mark.django_db

PER_COUNTY = 65  # one page of 50 and a second of 15


class World:
    pass


def _cases(org, user, n, county_code):
    """`n` HQ applications (one a year) and `n` forestry projects of `org`, and an open
    inbox item of the county office for each HQ application, as the services leave them."""
    hq = HeadquartersApplication.objects.bulk_create([
        HeadquartersApplication(
            org=org, applicant=user, title="总部企业认定", year=1950 + k, state="submitted",
            reference=f"ZB-{1950 + k}-{county_code[:2].upper()}{k:03d}", hq_type="",
            submitted_at=dt.datetime(2020, 3, 2, tzinfo=dt.UTC))
        for k in range(n)])
    fp = ForestProject.objects.bulk_create([
        ForestProject(org=org, applicant=user, title="中低产林改造", state="county_review",
                      reference=f"LG-2020-{county_code[:2].upper()}{k:03d}",
                      ownership=Ownership.values[0], holder_name=org.name, area_mu=100,
                      method=Method.values[0])
        for k in range(n)])
    county = org.parent
    ct = ContentType.objects.get_for_model(HeadquartersApplication)
    InboxItem.objects.bulk_create([
        InboxItem(content_type=ct, object_id=c.pk, case_reference=c.reference,
                  kind=InboxKind.ACTION, procedure="hq", case_title=c.title,
                  case_state=c.state, org=org, what="审核申报材料（汇总、审核）",
                  role=Role.COUNTY_OFFICE, role_org=county,
                  due_at=dt.datetime(2020, 4, 1, tzinfo=dt.UTC) + dt.timedelta(hours=k))
        for k, c in enumerate(hq)])
    return {c.reference for c in hq}, {c.reference for c in fp}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org_tree_load()
    w = World()
    w.panlong_ent = OrgUnit(code="ent-pl", name="盘龙示例企业", kind="enterprise",
                            parent=OrgUnit.objects.get(code="panlong"))
    w.panlong_ent.save()
    w.wuhua_ent = OrgUnit(code="ent-wh", name="五华示例企业", kind="enterprise",
                          parent=OrgUnit.objects.get(code="wuhua"))
    w.wuhua_ent.save()
    w.enterprise = user_create(username="qiye-pl", roles=[(Role.ENTERPRISE, "ent-pl")])
    w.wuhua_enterprise = user_create(username="qiye-wh", roles=[(Role.ENTERPRISE, "ent-wh")])
    w.office = user_create(username="panlong-ban", roles=[(Role.COUNTY_OFFICE, "panlong")])
    w.city_office = user_create(username="shi-ban", roles=[(Role.CITY_OFFICE, "kunming")])
    w.panlong_hq, w.panlong_fp = _cases(w.panlong_ent, w.enterprise, PER_COUNTY, "panlong")
    w.wuhua_hq, w.wuhua_fp = _cases(w.wuhua_ent, w.wuhua_enterprise, PER_COUNTY, "wuhua")
    return w


REF = re.compile(r"\b(?:ZB|LG)-\d{4}-[A-Z]{2}\d{3}\b")


def _refs(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return set(REF.findall(r.content.decode())), r.content.decode()


@pytest.mark.parametrize("url,kind", [("/headquarters/", "hq"), ("/forestry/projects/", "fp"),
                                      ("/inbox/", "hq")])
def test_a_county_official_pages_through_their_county_only(client, world, url, kind):
    client.force_login(world.office)
    own = world.panlong_hq if kind == "hq" else world.panlong_fp
    other = world.wuhua_hq if kind == "hq" else world.wuhua_fp
    first, html = _refs(client, url)
    assert len(first) == PER_PAGE
    assert 'rel="next"' in html and "page=2" in html
    second, html2 = _refs(client, f"{url}?page=2")
    assert len(second) == PER_COUNTY - PER_PAGE and 'rel="next"' not in html2
    assert 'rel="prev"' in html2
    assert not first & second
    assert first | second == own  # every case of the county, once
    assert not (first | second) & other  # never another county's case on any page
    past_end, _ = _refs(client, f"{url}?page=3")
    assert not past_end
    assert _refs(client, f"{url}?page=abc")[0] == first  # a bad number is page 1


def test_the_city_office_pages_through_all_counties(client, world):
    client.force_login(world.city_office)
    seen = set()
    for page in (1, 2, 3):
        refs, html = _refs(client, f"/forestry/projects/?page={page}")
        seen |= refs
    assert seen == world.panlong_fp | world.wuhua_fp
    assert "共 130 条" in html


def test_the_state_filter_is_kept_across_pages(client, world):
    client.force_login(world.office)
    refs, html = _refs(client, "/forestry/projects/?state=county_review")
    assert len(refs) == PER_PAGE and "state=county_review&amp;page=2" in html
    assert not _refs(client, "/forestry/projects/?state=completed")[0]


def test_the_enterprise_sees_its_own_cases_only(client, world):
    client.force_login(world.enterprise)
    refs = _refs(client, "/headquarters/")[0] | _refs(client, "/headquarters/?page=2")[0]
    assert refs == world.panlong_hq


@pytest.mark.parametrize("who", ["office", "city_office", "enterprise"])
@pytest.mark.parametrize("url", ["/inbox/", "/headquarters/", "/forestry/projects/",
                                 "/api/v1/inbox", "/inbox/?page=2", "/headquarters/?page=2",
                                 "/forestry/projects/?page=2"])
def test_list_pages_take_a_fixed_number_of_queries(client, world, who, url,
                                                   django_assert_max_num_queries):
    """Session, user, role assignments, the page's rows, at most one capped count (and the
    savepoints of the request): never one query per row."""
    client.force_login(getattr(world, who))
    client.get(url)  # content types and the like cached, as in a running server
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_more_rows_take_no_more_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.city_office)
    counts = {}
    for label in ("before", "after"):
        if label == "after":
            more = OrgUnit(code="ent-wh2", name="五华示例企业二", kind="enterprise",
                           parent=OrgUnit.objects.get(code="wuhua"))
            more.save()
            _cases(more, world.wuhua_enterprise, 40, "wx")
        for url in ("/inbox/", "/headquarters/", "/forestry/projects/", "/api/v1/inbox"):
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            counts[(label, url)] = len(ctx)
    for url in ("/inbox/", "/headquarters/", "/forestry/projects/", "/api/v1/inbox"):
        assert counts[("after", url)] == counts[("before", url)], url


def test_the_api_inbox_pages_with_limit_and_offset(client, world):
    client.force_login(world.office)
    first = client.get("/api/v1/inbox?limit=40").json()
    rest = client.get("/api/v1/inbox?limit=40&offset=40").json()
    assert len(first) == 40 and len(rest) == PER_COUNTY - 40
    refs = {i["case_reference"] for i in first + rest}
    assert refs == world.panlong_hq and not refs & world.wuhua_hq

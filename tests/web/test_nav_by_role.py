"""The site's navigation offers each reader only the modules they may use (look13's walk: a
citizen and an enterprise were offered every official module, and /buildings-index/ then
answered 403). Each entry declares who sees it (`NavEntry.shown_to`, a predicate of
kmgov.core.scope); `kmgov.site.discovery.nav_for` is the one place that decides.

Who uses what, from the gazette and the procedures' declared roles:
- everyone: the gazette and its search, the rules, the 96128 hotline's public form, the
  organisation directory, 碳汇造林 (60号 三(一): enterprises and persons donate; a citizen
  holds a 碳补偿账户); once logged in, one's own inbox and notifications;
- an enterprise also: 总部企业认定 (63号: the enterprise applies, and reports its statistics,
  附件 第十九条), 商务楼宇认定 and 楼宇经济信息 (62号 附件1 第十七条、第十八条: the building's
  owner applies and reports its register data), 安全生产零申报 (107号 附件 四(一)、四(二): enterprises file their zero reports);
- only officials: the development index (62号 附件2: published for the government), 中低产林改造
  (61号: the township takes the household's application), 农业结构调整报账 (59号: the county
  department claims), 以奖代补, 地质灾害隐患点, 工程质检全覆盖, the dashboards.

Every link offered is then opened as that reader: none answers 403 or sends to the login."""

import re

import pytest
from django.test import Client

from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import user_create

pytestmark = pytest.mark.django_db

PUBLIC = {"/gazette/", "/gazette/search/", "/rules/", "/hotline/", "/orgs/", "/carbon/"}
EVERYONE = PUBLIC | {"/inbox/", "/notifications/", "/notifications/settings/"}
ENTERPRISE = EVERYONE | {"/headquarters/", "/buildings/", "/buildings/register/", "/safety/"}
OFFICIALS_ONLY = {"/buildings-index/", "/forestry/projects/", "/agriculture/claims/",
                  "/mediation/claims/", "/geohazards/points/", "/construction/", "/dashboards/"}
NAV_LINK = re.compile(r'class="govuk-service-navigation__link" href="([^"]+)"')


@pytest.fixture
def readers(org_tree):
    """A citizen (no role, as the demo's), a holder of the public role, an enterprise's clerk
    and a county office's reviewer."""
    panlong = OrgUnit.objects.get(code="panlong")
    OrgUnit(code="ent-nav-test", name="导航测试有限公司", kind="enterprise", parent=panlong).save()
    return {
        "citizen": user_create(username="nav-citizen", display_name="张明"),
        "public": user_create(username="nav-public", roles=[(Role.PUBLIC, "kunming", "市民")]),
        "enterprise": user_create(username="nav-qiye",
                                  roles=[(Role.ENTERPRISE, "ent-nav-test", "经办人")]),
        "official": user_create(username="nav-ban",
                                roles=[(Role.COUNTY_OFFICE, "panlong", "审核员")]),
    }


def _nav(client: Client) -> list[str]:
    r = client.get("/")
    assert r.status_code == 200
    return NAV_LINK.findall(r.content.decode())


def test_each_reader_is_offered_only_what_answers_them(readers):
    offered = {}
    for who, user in readers.items():
        c = Client()
        c.force_login(user)
        links = _nav(c)
        offered[who] = set(links)
        # what a citizen or an enterprise is offered opens for them (the official's links are
        # the officials' pages, opened by their own modules' tests; its index is opened below)
        for href in (links if who != "official" else ["/buildings-index/"]):
            r = c.get(href)
            assert r.status_code != 403 and "/login" not in r.get("Location", ""), (who, href)
    assert offered["citizen"] == offered["public"] == EVERYONE
    assert offered["enterprise"] == ENTERPRISE
    # an official is offered the officials' modules too
    assert OFFICIALS_ONLY | ENTERPRISE <= offered["official"]
    assert set(_nav(Client())) == PUBLIC  # nobody logged in

"""No internal identifier reaches a person (issue 13, item 2): on the demo data, as each role,
in Chinese and in English, crawl every page reachable by links from the home page (same site,
GET only, bounded; downloads and the admin left out) and fail on the patterns below in the
text people read — and on every 404 or 500 the crawl meets.

Django's test client, not a browser: the pages' HTML is what is checked. Attributes (hrefs,
form values, ids) may hold codes; the text between tags and the labels people read may not.
"""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from site_crawl import crawl, readme_tour

from kmgov.core.models import Role

pytestmark = pytest.mark.django_db

#: What an internal identifier looks like in text people read (the officials' findings).
PATTERNS = {
    "snake_case field code": re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9](?![\w/.@(-])"),
    "Python constant": re.compile(r"(?<![\w-])(True|False|None)(?![\w-])(?! [a-z])"),
    "Python dict": re.compile(r"\{'|\{\""),
    "Python list": re.compile(r"\['|\[\""),
    "dotted id": re.compile(r"(?<![\w/.@-])[a-z][a-z_]+\.(?!(?:pdf|png|jpe?g|xlsx|docx|zip|csv|txt|json|xml|geojson)\b)"
                           r"[a-z][a-z_]+(?:\.[a-z_]+)*(?![\w/.@(-])"),
    "state arrow between ids": re.compile(r"\b[a-z_]+\s*(→|->)\s*[a-z_]+\b"),
    "spec section": re.compile(r"SPEC\s*§"),
    "English outcome code": re.compile(
        r"(?<![\w-])(eligible|ineligible|within_budget|over_budget|non_compliant|not_met|"
        r"draft|submitted|approved|rejected|grain|horticulture|functional|comprehensive)(?![\w-])"),
    "float repr of an amount": re.compile(r"(?<![\d.,])\d{4,}\.0(?!\d)"),
}

#: Pages with content that is English by nature (the English table of contents of the
#: gazette, the API's own documentation) are exempt from the English-word patterns only.
ENGLISH_BY_NATURE = ("/gazette/", "/api/")
WORD_PATTERNS = {"English outcome code"}

#: Downloads, the admin, the API and the language switch are not pages to crawl.
SKIP = re.compile(r"^/(admin|api|static|media|i18n|accounts/logout|logout)/|"
                  r"\.(xlsx|pdf|png|svg|json|xml|csv|geojson|zip|txt|docx)(\?|$)|"
                  r"/(download|export|file|attachments?)/")
MAX_PAGES = 400  # per role and language (a bound; each route is met a few times at most)
PER_ROUTE = 3  # pages of the same route (three cases, three rules …) checked per crawl


class _Text(HTMLParser):
    """The text people read: text between tags (not script/style/code of the API docs) and the
    labels shown by attributes (title, placeholder, aria-label, alt, value of buttons)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for k in ("title", "placeholder", "aria-label", "alt"):
            if a.get(k):
                self.parts.append(a[k])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _page_text(body: str) -> tuple[str, list[str]]:
    p = _Text()
    p.feed(body)
    return html.unescape(" ".join(p.parts)), p.links


def _offences(path: str, text: str, english: bool) -> list[str]:
    out = []
    for name, rx in PATTERNS.items():
        if name in WORD_PATTERNS and (english or path.startswith(ENGLISH_BY_NATURE)):
            continue
        for m in rx.finditer(text):
            if english and name == "Python constant" and m.group(0) == "None":
                continue
            s = max(0, m.start() - 30)
            out.append(f"{path}: {name}: …{text[s:m.end() + 30]}…")
            break
    return out


def _crawl(client: Client, english: bool) -> tuple[list[str], list[str], int]:
    offences, broken = [], []

    def visit(path, r):
        if r.status_code in (404, 500) or r.status_code >= 500:
            broken.append(f"{path}: {r.status_code}")
            return ()
        if r.status_code != 200 or not r.get("Content-Type", "").startswith("text/html"):
            return ()
        text, links = _page_text(r.content.decode())
        offences.extend(_offences(path, text, english))
        return links

    seen = crawl(client, visit, skip=SKIP, max_pages=MAX_PAGES, per_route=PER_ROUTE)
    return offences, broken, seen


@pytest.fixture
def demo(settings, tmp_path, monkeypatch, seed_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    from kmgov.gazette.services import issue_ingest

    issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)


def _user(username: str, role: str, org: str, title: str):
    """A demo account of the role, or one made for it where the demo has none."""
    from django.contrib.auth import get_user_model

    from kmgov.core.models import RoleAssignment
    from kmgov.core.services import user_create

    have = RoleAssignment.objects.filter(role=role).select_related("user").first()
    if have is not None:
        return have.user
    return user_create(username=username, roles=[(role, org, title)],
                       display_name=title) if not get_user_model().objects.filter(
        username=username).exists() else get_user_model().objects.get(username=username)


#: Every demo role: (role, where a made account sits, its title).
ROLES = [
    ("anonymous", None, None),
    (Role.PUBLIC, "kunming", "市民"),
    (Role.ENTERPRISE, "ent-demo-dianchi", "经办人"),
    (Role.TOWNSHIP_STAFF, "panlong-dianyuan", "乡镇工作人员"),
    (Role.COUNTY_DEPARTMENT, "panlong", "县级部门"),
    (Role.COUNTY_OFFICE, "panlong", "县级办公室"),
    (Role.COUNTY_GOVERNMENT, "panlong", "县级政府"),
    (Role.CITY_DEPARTMENT, "city-commerce", "市级部门"),
    (Role.CITY_OFFICE, "kunming", "市级办公室"),
    (Role.HOTLINE_OPERATOR, "kunming", "话务员"),
    (Role.DEPARTMENT_LIAISON, "city-commerce", "联络员"),
    (Role.AUDITOR, "kunming", "审计员"),
    (Role.ADMINISTRATOR, "kunming", "系统管理员"),
]


def test_no_identifier_and_no_broken_link_as_each_role(demo):
    # one test for every role, so that the demo is built once (the crawl is the cost)
    failures, reached = [], {}
    for role, org, title in ROLES:
        for lang in ("zh-hans", "en"):
            c = Client()
            if role != "anonymous":
                c.force_login(_user(f"crawl-{role}", role, org, title))
            c.cookies["django_language"] = lang
            offences, broken, pages = _crawl(c, english=lang == "en")
            reached[f"{role} {lang}"] = pages
            failures += [f"{role} [{lang}] {o}" for o in offences + broken]
    # every role reaches more than the home page and the README's tour
    assert min(reached.values()) > len(readme_tour(SKIP)) + 1, reached
    assert not failures, f"{len(failures)} problems\n" + "\n".join(failures[:120])

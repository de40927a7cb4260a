"""Every form people fill has labels (issue 13 item 3): on the demo data, as several roles,
crawl the pages reachable by links from the home page and the README's tour (Django's client,
GET only, bounded) and parse every `<form>`: each control a person fills (input, select,
textarea; not hidden fields or buttons) must be named by a `<label for="its id">` on the page
or by an `aria-label`/`aria-labelledby`; a placeholder never stands in for a label; a date is
a date picker (`type="date"`), not a text box named like a date.

The 96128 console and department desk are another engineer's (left out here, like the admin).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from site_crawl import crawl

from kmgov.core.models import Role

pytestmark = pytest.mark.django_db

SKIP = re.compile(r"^/(admin|api|static|media|i18n|accounts/logout|logout)/|"
                  r"^/hotline/(console|desk)/|"
                  r"\.(xlsx|pdf|png|svg|json|xml|csv|geojson|zip|txt|docx)(\?|$)|"
                  r"/(download|export|file|attachments?)/")
MAX_PAGES = 300
PER_ROUTE = 2
#: Controls nobody types into.
NOT_FILLED = {"hidden", "submit", "button", "reset", "image"}
#: A text box named like a date (…_date, date_…, …_on, on, from/to, since, until).
DATE_NAME = re.compile(r"(^|_)(date|day|on|since|until)(_|$)|_at$|^(from|to)$")


class _Forms(HTMLParser):
    """The page's links, its `<label for>` targets and every control inside a form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.controls: list[dict] = []
        self._form = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        elif tag == "form":
            self._form += 1
        elif tag in ("input", "select", "textarea") and self._form:
            if tag == "input" and a.get("type", "text").lower() in NOT_FILLED:
                return
            self.controls.append({"tag": tag, **a})

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "form" and self._form:
            self._form -= 1


def _problems(path: str, page: _Forms) -> list[str]:
    out = []
    for c in page.controls:
        what = f"{path}: <{c['tag']} name=\"{c.get('name', '')}\">"
        named = (c.get("id") and c["id"] in page.label_for) or c.get("aria-label") or (
            c.get("aria-labelledby") and all(i in page.ids for i in c["aria-labelledby"].split()))
        if not named:
            out.append(f"{what} has no <label for> and no aria-label"
                       + (" (a placeholder is not a label)" if c.get("placeholder") else ""))
        elif c.get("placeholder") and not (c.get("id") and c["id"] in page.label_for) \
                and c.get("placeholder") == c.get("aria-label"):
            out.append(f"{what} uses its placeholder as its only label")
        if c["tag"] == "input" and c.get("type", "text").lower() == "text" and DATE_NAME.search(
                c.get("name", "")):
            out.append(f"{what} is a date typed as text (type=\"date\" gives a picker)")
    return out


def _crawl(client: Client) -> tuple[list[str], int, int]:
    problems, controls = [], 0

    def visit(path, r):
        nonlocal controls
        if r.status_code != 200 or not r.get("Content-Type", "").startswith("text/html"):
            return ()
        page = _Forms()
        page.feed(r.content.decode())
        controls += len(page.controls)
        problems.extend(_problems(path, page))
        return page.links

    seen = crawl(client, visit, skip=SKIP, max_pages=MAX_PAGES, per_route=PER_ROUTE)
    return problems, seen, controls


def test_the_checks_catch_what_they_look_for():
    page = _Forms()
    page.feed('<form><label for="a">甲</label><input id="a" name="a">'
              '<input name="b" placeholder="理由"><input name="c" aria-label="金额单位">'
              '<select name="d"></select><input type="hidden" name="e"><button>提交</button>'
              '<input type="text" id="f" name="filed_on"><label for="f">日期</label>'
              '<input type="date" id="g" name="valid_from"><label for="g">起</label></form>'
              '<input name="outside">')
    found = _problems("/x/", page)
    assert found == [
        '/x/: <input name="b"> has no <label for> and no aria-label (a placeholder is not a label)',
        '/x/: <select name="d"> has no <label for> and no aria-label',
        '/x/: <input name="filed_on"> is a date typed as text (type="date" gives a picker)',
    ]


@pytest.fixture
def demo(settings, tmp_path, monkeypatch, seed_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    from kmgov.gazette.services import issue_ingest

    issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)


#: The roles whose pages hold the modules' forms (each demo account of the role).
ROLES = [None, Role.ENTERPRISE, Role.TOWNSHIP_STAFF, Role.COUNTY_DEPARTMENT, Role.COUNTY_OFFICE,
         Role.CITY_DEPARTMENT, Role.CITY_OFFICE]


def test_every_form_of_the_demo_has_labels(demo):
    from kmgov.core.models import RoleAssignment

    failures, reached = [], {}
    for role in ROLES:
        c = Client()
        if role is not None:
            c.force_login(RoleAssignment.objects.filter(role=role).select_related(
                "user").first().user)
        problems, pages, controls = _crawl(c)
        reached[role or "anonymous"] = (pages, controls)
        failures += [f"{role or 'anonymous'}: {p}" for p in problems]
    # the crawl met forms (the search box at least) for every role
    assert all(controls > 0 for _, controls in reached.values()), reached
    failures = sorted(set(failures))
    assert not failures, f"{len(failures)} problems\n" + "\n".join(failures[:200])

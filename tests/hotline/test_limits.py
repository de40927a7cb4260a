"""The desk's limits (issue 15 item 4): parallel posts beyond the per-address limit are
refused atomically, Open311 partners are limited by their key, staff not at all, and the
follow-up lookup by number and check code is throttled (an 8-digit code, 10 wrong tries)."""

import threading

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_posts_beyond_the_limit_get_429(desk):
    from kmgov.hotline.models import Ticket

    def post(i):
        return Client().post("/hotline/", {"request_type": "suggestion", "text": f"建议{i}"},
                             REMOTE_ADDR="10.7.7.7").status_code

    n = 25  # the limit is 5 a minute: 20 beyond it
    if connection.vendor == "postgresql":
        codes = [None] * n
        barrier = threading.Barrier(n)

        def run(i):
            try:
                barrier.wait(10)
                codes[i] = post(i)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        [t.start() for t in threads]
        [t.join(60) for t in threads]
    else:  # the embedded SQLite serialises writers anyway
        codes = [post(i) for i in range(n)]
    assert sorted(codes) == [200] * 5 + [429] * 20, codes
    assert Ticket.objects.filter(source_ip="10.7.7.7").count() == 5


def test_partners_are_limited_by_key_and_staff_not_at_all(desk, operator):
    from kmgov.hotline import services
    from kmgov.hotline.models import Ticket

    key = services.open311_key_create(label="合作平台").key
    c = Client()
    for i in range(8):  # one address, beyond the citizens' 5: the key's own limit counts
        r = c.post("/open311/v2/requests.json", {"api_key": key, "service_code": "buildings",
                                                  "description": f"楼宇问题{i}"},
                   REMOTE_ADDR="10.3.3.3")
        assert r.status_code in (200, 201), r.content
    op = Client()
    op.force_login(operator)
    for i in range(8):
        r = op.post("/api/v1/hotline/tickets",
                    data={"channel": "web", "request_type": "query", "text": f"代录{i}"},
                    content_type="application/json", REMOTE_ADDR="10.3.3.3")
        assert r.status_code == 201, r.content
    assert Ticket.objects.count() == 16


def test_the_follow_up_lookup_is_throttled(desk, monkeypatch):
    import types

    from kmgov.core import ratelimit
    from kmgov.hotline.models import Ticket

    # The limits count in fixed windows of the clock (an hour, a minute): the test's requests
    # all fall at one moment, at the start of a window, however slowly the machine runs them.
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))
    from kmgov.hotline.services import ticket_create

    t = ticket_create(channel="web", request_type="query", text="路灯不亮")
    assert len(t.check_code) == 8 and t.check_code.isdigit()
    c = Client()
    for i in range(10):  # 10 wrong codes for this number within the hour
        r = c.get("/api/v1/hotline/tickets/lookup", {"number": t.number, "code": f"{i:08d}"},
                  REMOTE_ADDR=f"10.4.4.{i}")
        assert r.status_code == 404
    r = c.get("/api/v1/hotline/tickets/lookup", {"number": t.number, "code": t.check_code},
              REMOTE_ADDR="10.4.5.1")
    assert r.status_code == 429 and "错误次数过多" in r.json()["detail"]
    # one address: 20 lookups a minute
    other = ticket_create(channel="web", request_type="query", text="井盖缺失")
    codes = [c.get("/hotline/", {"number": other.number, "code": other.check_code},
                   REMOTE_ADDR="10.4.6.6").status_code for _ in range(21)]
    assert codes == [200] * 20 + [429]
    assert Ticket.objects.count() == 2

import pytest

from kmgov.hotline import kb

pytestmark = pytest.mark.django_db


def test_seed_and_ask(desk):
    assert desk["entries"] > 80
    for q in ["改种苗木一亩补多少", "写字楼多大面积算商务楼宇", "调解成功一件奖励多少钱", "停电了怎么办"]:
        hits = kb.answers(q)
        print(q, [(h.key, round(h.score, 2), h.matched) for h in hits[:3]])
        assert hits

import datetime as dt

import pytest

from kmgov.core import calendar

TZ = calendar.TZ


def at(y, m, d, hh=10, mm=0):
    """A moment in Beijing time."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def desk(org_tree):
    """The organisation tree plus the desk's seed: topics, routing, deadlines, knowledge base."""
    from kmgov.hotline.services import kb_seed_load

    return kb_seed_load()


@pytest.fixture
def operator(desk):
    from kmgov.core.services import user_create

    return user_create(username="op1", password="pw-op1-secret",
                       roles=[("hotline_operator", "city-mayors-hotline")], display_name="话务员一")


@pytest.fixture
def forestry_liaison(desk):
    from kmgov.core.services import user_create

    return user_create(username="lin", password="pw-lin-secret",
                       roles=[("department_liaison", "city-forestry")], display_name="林业联络员")


@pytest.fixture
def forestry_official(desk):
    """A second person of 市林业局: approves what the liaison drafts (separation of duties)."""
    from kmgov.core.services import user_create

    return user_create(username="linguan", password="pw-linguan-secret",
                       roles=[("city_department", "city-forestry")], display_name="林业局科员")


@pytest.fixture
def commerce_liaison(desk):
    from kmgov.core.services import user_create

    return user_create(username="shang", password="pw-shang-secret",
                       roles=[("department_liaison", "city-commerce")], display_name="商务联络员")


@pytest.fixture
def admin_user(desk):
    from kmgov.core.services import user_create

    return user_create(username="boss", password="pw-boss-secret", is_superuser=True,
                       roles=[("administrator", "kunming")])


@pytest.fixture(autouse=True)
def office_hours_now(monkeypatch):
    """Unless a test says otherwise, "now" is a Wednesday morning in office hours, so that
    a test's outcome does not depend on the hour at which the suite runs."""
    from django.utils import timezone

    fixed = at(2026, 11, 25, 10, 0)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    return fixed


@pytest.fixture(autouse=True)
def _fresh_answer_cache():
    """Each test starts with no kept rankings (test databases reuse ids)."""
    from kmgov.hotline import kb

    kb.cache_clear()
    yield
    kb.cache_clear()

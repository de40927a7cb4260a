"""The bearer token's lookup (core.middleware._token_user): one raw SELECT built once per
process, giving the same user as the ORM and refusing the same tokens (session 7). Run on
SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kmgov.core.middleware import _token_user
from kmgov.core.models import ApiToken
from kmgov.core.services import api_token_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(org_tree):
    return user_create(username="script", password="pw-script-secret-1",
                       roles=[("county_office", "panlong")], display_name="报表脚本")


def test_the_user_is_the_orms_row_field_for_field(user):
    token = api_token_create(user=user)
    found = _token_user(token.key)
    orm = get_user_model().objects.get(pk=user.pk)
    assert type(found) is type(orm) and found.pk == orm.pk
    for f in orm._meta.concrete_fields:
        assert getattr(found, f.attname) == getattr(orm, f.attname), f.name
    assert isinstance(found.date_joined, dt.datetime) and found.date_joined.tzinfo is not None
    assert found.is_authenticated and not hasattr(found, "kmgov_token_id")
    assert found._state.adding is False


def test_revoked_expired_unknown_and_inactive_find_nobody(user):
    now = timezone.now()
    live = api_token_create(user=user, days=30)
    assert _token_user(live.key) == user
    assert _token_user(live.key + "x") is None
    ApiToken.objects.filter(pk=live.pk).update(expires_at=now - dt.timedelta(seconds=1))
    assert _token_user(live.key) is None
    ApiToken.objects.filter(pk=live.pk).update(expires_at=now + dt.timedelta(minutes=5))
    assert _token_user(live.key) == user
    ApiToken.objects.filter(pk=live.pk).update(revoked_at=now)
    assert _token_user(live.key) is None
    other = api_token_create(user=user)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert _token_user(other.key) is None


def test_the_last_use_is_noted_at_most_once_an_hour(user):
    token = api_token_create(user=user)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None
    with CaptureQueriesContext(connection) as q:
        _token_user(token.key)
    assert len(q.captured_queries) == 2  # the lookup, then the first use noted
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as q:
        _token_user(token.key)
    assert len(q.captured_queries) == 1  # used again within the hour: nothing written
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    old = timezone.now() - dt.timedelta(hours=1, seconds=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    _token_user(token.key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > old + dt.timedelta(hours=1)
    recent = timezone.now() - dt.timedelta(minutes=59)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    _token_user(token.key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == recent

"""Every change made through the admin is audited, or the admin page is read-only (issue 15
item 2): deletions of a knowledge-base entry one at a time and by the bulk action, a role
granted to an official, a parameter override; tickets cannot be changed or deleted there."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client, RequestFactory

from kmgov.core.admin import AuditedAdmin
from kmgov.core.models import AuditEntry, OrgUnit, Role, RoleAssignment
from kmgov.core.services import org_tree_load, user_create

pytestmark = pytest.mark.django_db


def test_every_admin_page_is_audited_or_read_only():
    request = RequestFactory().get("/admin/")
    request.user = type("Root", (), {"is_active": True, "is_staff": True, "is_superuser": True,
                                     "has_perm": lambda *a: True})()
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedAdmin):
            continue
        writable = [p for p in ("add", "change", "delete")
                    if getattr(model_admin, f"has_{p}_permission")(request)]
        assert not writable, f"{model._meta.label}: {writable} through the admin, unaudited"


@pytest.fixture
def root(db):
    org_tree_load()
    user = user_create(username="root-admin", password="pw-root-admin-1", is_superuser=True)
    c = Client()
    c.force_login(user)
    return user, c


def test_a_role_granted_in_the_admin_is_audited(root):
    user, c = root
    official = user_create(username="panlong-new")
    panlong = OrgUnit.objects.get(code="panlong")
    r = c.post("/admin/core/roleassignment/add/",
               {"user": official.pk, "role": Role.COUNTY_OFFICE, "org": panlong.pk,
                "title": "科员", "phone": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    ra = RoleAssignment.objects.get(user=official)
    entry = AuditEntry.objects.get(action="admin.core.roleassignment.add")
    assert entry.actor == user and entry.org == panlong and entry.object_id == str(ra.pk)
    assert entry.extra["after"]["role"] == Role.COUNTY_OFFICE
    r = c.post(f"/admin/core/roleassignment/{ra.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not RoleAssignment.objects.filter(pk=ra.pk).exists()
    assert AuditEntry.objects.filter(action="admin.core.roleassignment.delete",
                                     object_id=str(ra.pk)).count() == 1


def test_knowledge_base_deletions_are_audited_one_by_one_and_in_bulk(root):
    from kmgov.hotline.models import Synonym

    user, c = root
    rows = [Synonym.objects.create(words=[f"词{i}", f"同义{i}"], note="") for i in range(3)]
    r = c.post(f"/admin/hotline/synonym/{rows[0].pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    r = c.post("/admin/hotline/synonym/", {"action": "delete_selected", "post": "yes",
                                            ACTION_CHECKBOX_NAME: [rows[1].pk, rows[2].pk]})
    assert r.status_code == 302 and not Synonym.objects.exists()
    deleted = AuditEntry.objects.filter(action="admin.hotline.synonym.delete")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(s.pk) for s in rows)
    assert all(e.actor == user for e in deleted)


def test_tickets_are_read_only_in_the_admin(root):
    _, c = root
    assert c.get("/admin/hotline/ticket/").status_code == 200
    assert c.get("/admin/hotline/ticket/add/").status_code == 403


def test_a_bulk_deleted_parameter_override_is_audited(root):
    import datetime as dt

    from kmgov.rules.models import ParameterOverride

    user, c = root
    o = ParameterOverride.objects.create(parameter="hotline.reply_working_days.complaint",
                                         value=10, effective_from=dt.date(2026, 1, 1),
                                         created_by=user, note="试行")
    r = c.post("/admin/rules/parameteroverride/", {"action": "delete_selected", "post": "yes",
                                                   ACTION_CHECKBOX_NAME: [o.pk]})
    assert r.status_code == 302 and not ParameterOverride.objects.exists()
    assert AuditEntry.objects.filter(action="rules.parameter_override.delete",
                                     object_id=str(o.pk)).count() == 1

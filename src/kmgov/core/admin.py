"""The admin as an audited channel: every change an administrator makes there is written to
the audit trail in the same transaction (who, what, which fields, old → new), deletions too —
one at a time or by the list's bulk action. A model's admin either inherits `AuditedAdmin` or
is read-only (`ReadOnlyAdmin`); `tests/core/test_admin_audit.py` checks every registered one.

Role assignments are kept here (who holds which role at which unit), audited like the rest."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction

from .audit import audit_record
from .models import ApiToken, AuditEntry, AuditSeal, OrgUnit, RoleAssignment

#: Fields whose values are never copied into the audit trail (only that they changed).
SECRET_FIELDS = frozenset({"password", "password1", "password2", "key", "secret"})


def _value(obj, name):
    if name in SECRET_FIELDS:
        return "（已更改）"
    value = getattr(obj, name, None)
    if hasattr(value, "pk"):
        return str(value)
    if hasattr(value, "all"):  # many-to-many
        return [str(v) for v in value.all()]
    return value if isinstance(value, (int, float, bool, type(None))) else str(value)


def _org_of(obj):
    org = getattr(obj, "org", None)
    return org if isinstance(org, OrgUnit) else None


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through the services: shown, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Adds, changes and deletions through the admin, each with its audit entry."""

    def _action(self, verb: str) -> str:
        return f"admin.{self.model._meta.label_lower}.{verb}"

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = {}
            if change and obj.pk is not None:
                old = type(obj).objects.filter(pk=obj.pk).first()
                before = {f: _value(old, f) for f in form.changed_data} if old else {}
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action=self._action("change" if change else "add"),
                         obj=obj, org=_org_of(obj),
                         extra={"object": str(obj)[:200], "fields": list(form.changed_data),
                                "before": before,
                                "after": {f: _value(obj, f) for f in form.changed_data}})

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action=self._action("delete"), obj=obj,
                         org=_org_of(obj), extra={"object": str(obj)[:200]})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action=self._action("delete"), obj=obj,
                             org=_org_of(obj), extra={"object": str(obj)[:200], "bulk": True})
            super().delete_queryset(request, queryset)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "org", "title", "phone")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "org__name", "title")
    autocomplete_fields = ("org",)


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    """The tree is loaded by `kmgov setup` from its data file; here it is looked up."""

    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "org", "seq")
    list_filter = ("action",)
    search_fields = ("action", "object_id", "reason")


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdmin):
    list_display = ("at", "last_seq", "count", "last_hash")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Tokens issued here are shown once, in the confirmation message; revoked by the list's
    action. Neither the token nor its digest can be edited."""

    list_display = ("prefix", "user", "label", "created_at", "expires_at", "revoked_at",
                    "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username", "label")
    fields = ("user", "label", "expires_at")
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit trail keeps naming the token

    def save_model(self, request, obj, form, change):
        import datetime as dt

        from django.contrib import messages
        from django.utils import timezone

        from .services import api_token_create

        days = None
        if obj.expires_at is not None:
            days = max(1, (obj.expires_at - timezone.now() + dt.timedelta(hours=23)).days)
        token = api_token_create(user=obj.user, label=obj.label, actor=request.user, days=days)
        obj.pk = token.pk
        messages.warning(request, f"新令牌（只显示这一次，请立即复制保存）：{token.key}")

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        from .services import api_token_revoke

        for token in queryset:
            api_token_revoke(token=token, actor=request.user)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
# Django's permission groups are not how kmgov grants anything (roles at units are): not shown.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin, each change of an account audited (passwords never copied)."""

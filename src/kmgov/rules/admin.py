from django.contrib import admin
from django.db import transaction

from kmgov.core.admin import AuditedAdmin
from kmgov.core.audit import audit_record

from .models import ParameterOverride
from .resolution import invalidate_overrides


@admin.register(ParameterOverride)
class ParameterOverrideAdmin(AuditedAdmin):
    list_display = ("parameter", "value", "effective_from", "created_by", "created_at")
    search_fields = ("parameter", "note")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if not change:
                obj.created_by = request.user
            admin.ModelAdmin.save_model(self, request, obj, form, change)  # audited here
            audit_record(actor=request.user, action="rules.parameter_override." + ("change" if change else "create"),
                         obj=obj, reason=obj.note,
                         extra={"parameter": obj.parameter, "value": obj.value,
                                "effective_from": obj.effective_from.isoformat()})
            transaction.on_commit(invalidate_overrides)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action="rules.parameter_override.delete", obj=obj,
                         extra={"parameter": obj.parameter, "value": obj.value})
            admin.ModelAdmin.delete_model(self, request, obj)  # audited here
            transaction.on_commit(invalidate_overrides)

    def delete_queryset(self, request, queryset):
        # the list's bulk delete: each override with its audit entry, caches dropped once
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action="rules.parameter_override.delete",
                             obj=obj, extra={"parameter": obj.parameter, "value": obj.value,
                                             "bulk": True})
            queryset.delete()
            transaction.on_commit(invalidate_overrides)

from django.contrib import admin
from django.db import transaction

from kmgov.core.audit import audit_record

from .models import ParameterOverride
from .resolution import invalidate_overrides


@admin.register(ParameterOverride)
class ParameterOverrideAdmin(admin.ModelAdmin):
    list_display = ("parameter", "value", "effective_from", "created_by", "created_at")
    search_fields = ("parameter", "note")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if not change:
                obj.created_by = request.user
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action="rules.parameter_override." + ("change" if change else "create"),
                         obj=obj, reason=obj.note,
                         extra={"parameter": obj.parameter, "value": obj.value,
                                "effective_from": obj.effective_from.isoformat()})
            transaction.on_commit(invalidate_overrides)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action="rules.parameter_override.delete", obj=obj,
                         extra={"parameter": obj.parameter, "value": obj.value})
            super().delete_model(request, obj)
            transaction.on_commit(invalidate_overrides)

"""Read-only admin views of the kernel's rows: they change only through the services."""

from django.contrib import admin

from kmgov.core.admin import ReadOnlyAdmin

from .models import Attachment, Deadline, InboxItem


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ("case_reference", "kind", "state", "due_at", "target_role", "target_org",
                    "fired_at", "cancelled_at")
    list_filter = ("kind",)
    search_fields = ("case_reference", "message")


@admin.register(InboxItem)
class InboxItemAdmin(ReadOnlyAdmin):
    list_display = ("case_reference", "kind", "what", "role", "role_org", "user", "due_at",
                    "done_at")
    list_filter = ("kind", "procedure")
    search_fields = ("case_reference", "what")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("case_reference", "key", "original_name", "mime_type", "size", "uploaded_at")
    search_fields = ("case_reference", "original_name", "sha256")

"""The desk's data an administrator edits: access platforms, synonyms, topics; the knowledge
base (changed only through drafts approved by departments, /hotline/kb/) and tickets for
inspection. Every change made here is audited (core.admin.AuditedAdmin); entries, their
versions and tickets are read-only. Routing and reply periods are interpretation parameters of
116号, changed at /admin/rules/parameteroverride/ (`hotline.destination_org.*`,
`hotline.reply_working_days.*`, `hotline.reply_remind_days`)."""

from django.contrib import admin

from kmgov.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    AccessPlatform,
    KbEntry,
    KbEntryVersion,
    MissedCall,
    Open311Key,
    Synonym,
    Ticket,
    Topic,
)


@admin.register(AccessPlatform)
class AccessPlatformAdmin(AuditedAdmin):
    list_display = ("org", "platform_type", "phone", "email", "liaison_name", "liaison_phone")


@admin.register(Synonym)
class SynonymAdmin(AuditedAdmin):
    list_display = ("id", "words", "note")


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ("code", "name", "docno", "lead_org", "citation")


@admin.register(KbEntry)
class KbEntryAdmin(ReadOnlyAdmin):
    """Entries change only by drafts approved by their department (/hotline/kb/, each step
    audited and kept as a version), so the admin shows them without changing them."""

    list_display = ("key", "org", "question", "valid_from", "valid_to", "status", "version")
    list_filter = ("status", "kind", "org")
    search_fields = ("question", "answer", "key")


@admin.register(KbEntryVersion)
class KbEntryVersionAdmin(ReadOnlyAdmin):
    list_display = ("entry", "number", "status", "author", "created_at", "decided_by",
                    "decided_at")
    list_filter = ("status",)


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    """Tickets are filed and handled through the desk (the kernel's steps, each audited)."""

    list_display = ("number", "reference", "channel", "request_type", "state", "assigned_org",
                    "received_at", "due_at")
    list_filter = ("state", "channel", "request_type")


@admin.register(Open311Key)
class Open311KeyAdmin(AuditedAdmin):
    list_display = ("label", "key", "active", "created_at")


@admin.register(MissedCall)
class MissedCallAdmin(ReadOnlyAdmin):
    """Missed calls are recorded and called back from the console (each audited)."""

    list_display = ("phone", "at", "called_back_at", "called_back_by", "outcome", "ticket")

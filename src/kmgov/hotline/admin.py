"""The desk's parameters as data an administrator edits: routing table, reply deadlines,
access platforms, synonyms, topics; the knowledge base and tickets for inspection."""

from django.contrib import admin

from .models import (
    AccessPlatform,
    KbEntry,
    Open311Key,
    ReplyDeadline,
    RoutingRule,
    Synonym,
    Ticket,
    Topic,
)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("order", "request_type", "needs_answer", "action", "target_org", "citation")
    list_editable = ("action", "target_org")


@admin.register(ReplyDeadline)
class ReplyDeadlineAdmin(admin.ModelAdmin):
    list_display = ("request_type", "working_days", "remind_days_before", "note")


@admin.register(AccessPlatform)
class AccessPlatformAdmin(admin.ModelAdmin):
    list_display = ("org", "platform_type", "phone", "email", "liaison_name", "liaison_phone")


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("id", "words", "note")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "docno", "lead_org", "citation")


@admin.register(KbEntry)
class KbEntryAdmin(admin.ModelAdmin):
    list_display = ("key", "org", "question", "valid_from", "valid_to", "status", "version")
    list_filter = ("status", "kind", "org")
    search_fields = ("question", "answer", "key")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("number", "channel", "request_type", "status", "assigned_org", "received_at",
                    "due_at")
    list_filter = ("status", "channel", "request_type")
    readonly_fields = [f.name for f in Ticket._meta.fields]


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "active", "created_at")

"""The desk's data an administrator edits: access platforms, synonyms, topics; the knowledge
base and tickets for inspection. Routing and reply periods are interpretation parameters of
116号, changed at /admin/rules/parameteroverride/ (`hotline.destination_org.*`,
`hotline.reply_working_days.*`, `hotline.reply_remind_days`)."""

from django.contrib import admin

from .models import AccessPlatform, KbEntry, Open311Key, Synonym, Ticket, Topic


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
    list_display = ("number", "reference", "channel", "request_type", "state", "assigned_org",
                    "received_at", "due_at")
    list_filter = ("state", "channel", "request_type")
    readonly_fields = [f.name for f in Ticket._meta.fields]

    def has_add_permission(self, request):
        return False  # tickets are filed through the desk (the kernel's case_create)


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "active", "created_at")

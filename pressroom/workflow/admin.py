"""The audit log and revisions in the admin: read-only for every role, superusers included."""

from django.contrib import admin

from pressroom.workflow.models import AuditEntry, Membership, Revision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "release_reference", "action", "actor_name", "from_state",
                    "to_state", "message"]  # fmt: skip
    list_filter = ["action", "to_state"]
    search_fields = ["release_reference", "actor_name", "message"]
    date_hierarchy = "created_at"


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["release", "number", "created_at", "author_name", "summary"]
    search_fields = ["author_name", "summary"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department"]
    list_filter = ["role", "department"]
    search_fields = ["user__username"]
    autocomplete_fields = ["department"]

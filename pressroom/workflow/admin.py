"""The admin for people and the workflow's records.

People: Django's user and group screens, with the rules of `pressroom.workflow.privileges` on
every page (nobody raises their own privileges; only superusers change privileges, groups and
other people's passwords; every such change audited). The desk role is edited on the person's
page, beside the flags and groups, so one save is one audit entry.

The audit log and revisions: read-only for every role, superusers included.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from pressroom.releases import limits
from pressroom.workflow import privileges
from pressroom.workflow.models import AuditEntry, Membership, Revision
from pressroom.workflow.privileges import Privileges


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


class MembershipInline(admin.StackedInline):
    """The desk role on the person's page: a privilege, so only a superuser changes it, and
    never their own (others see it read-only)."""

    model = Membership
    fields = ["role", "department"]
    autocomplete_fields = ["department"]
    verbose_name = verbose_name_plural = "desk role"

    def _may(self, request, account) -> bool:
        return privileges.privileges_refusal(request.user, account) is None

    def has_add_permission(self, request, obj=None):
        return self._may(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj) and super().has_delete_permission(request, obj)


PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class PersonAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "desk_role", "is_staff",
                    "is_superuser"]  # fmt: skip
    list_filter = ["desk_membership__role", "is_staff", "is_superuser", "is_active", "groups"]
    list_select_related = ["desk_membership"]

    @admin.display(description="desk role", ordering="desk_membership__role")
    def desk_role(self, account):
        membership = getattr(account, "desk_membership", None)
        return membership.get_role_display() if membership else "-"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("first_name", "last_name") and field is not None:
            # Names go into e-mail headers and pages: one line, like every name Pressroom keeps.
            field.validators.append(limits.SingleLine(db_field.max_length))
        return field

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and privileges.privileges_refusal(request.user, obj):
            fields += PRIVILEGE_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and privileges.account_refusal(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and privileges.deletion_refusal(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Read from the database: `obj` already holds what the form sent.
        form.privileges_before = Privileges.of(obj.pk) if change else Privileges()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = form.instance
        before, after = form.privileges_before, Privileges.of(account.pk)
        if before == after:
            return
        # Read-only fields keep privileges out of the form; this catches any door left open
        # (the admin's transaction is rolled back, nothing is kept).
        reason = privileges.privileges_refusal(request.user, account if change else None)
        if reason:
            raise PermissionDenied(reason)
        privileges.record_privileges(request.user, account, before, after,
                                     "" if change else "new account")  # fmt: skip

    def user_change_password(self, request, id, form_url=""):
        account = self.get_object(request, unquote(id))
        if account is None:
            return super().user_change_password(request, id, form_url)
        reason = privileges.password_refusal(request.user, account)
        if reason:
            raise PermissionDenied(reason)
        old_hash = account.password
        response = super().user_change_password(request, id, form_url)
        account.refresh_from_db(fields=["password"])
        if account.password != old_hash and account.pk != request.user.pk:
            privileges.record_password(request.user, account)
        return response

    def delete_model(self, request, obj):
        before = Privileges.of(obj.pk)
        super().delete_model(request, obj)
        privileges.record_deletion(request.user, obj, before)

    def delete_queryset(self, request, queryset):
        held = [(account, Privileges.of(account.pk)) for account in queryset]
        super().delete_queryset(request, queryset)
        for account, before in held:
            privileges.record_deletion(request.user, account, before)


@admin.register(Group)
class PermissionGroupAdmin(GroupAdmin):
    """Groups carry permissions to everyone in them: superusers only, every change audited."""

    def has_add_permission(self, request):
        return privileges.group_refusal(request.user) is None and super().has_add_permission(
            request
        )

    def has_change_permission(self, request, obj=None):
        return privileges.group_refusal(request.user) is None and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return privileges.group_refusal(request.user) is None and super().has_delete_permission(
            request, obj
        )

    def save_model(self, request, obj, form, change):
        stored = Group.objects.filter(pk=obj.pk).first() if change else None
        form.group_before = (privileges.group_permissions(obj.pk), stored.name if stored else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before, before_name = form.group_before
        group = form.instance
        privileges.record_group(request.user, group, before, privileges.group_permissions(group.pk),
                                before_name)  # fmt: skip

    def delete_model(self, request, obj):
        before = privileges.group_permissions(obj.pk)
        super().delete_model(request, obj)
        privileges.record_group(request.user, obj, before, None)

    def delete_queryset(self, request, queryset):
        held = [(group, privileges.group_permissions(group.pk)) for group in queryset]
        super().delete_queryset(request, queryset)
        for group, before in held:
            privileges.record_group(request.user, group, before, None)

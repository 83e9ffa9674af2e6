"""The admin for people, the workflow's records, and the archive under the workflow's rules.

People: Django's user and group screens, with the rules of `pressroom.workflow.privileges` on
every page (nobody raises their own privileges; only superusers change privileges, groups and
other people's passwords; every such change audited). The desk role is edited on the person's
page, beside the flags and groups, so one save is one audit entry.

The audit log and revisions: read-only for every role, superusers included.

Releases and photos: changed here only once published (before that, on the desk, where the
edit rules, revisions and the four-eyes rule apply), and each save is a revision with an audit
entry. Simplified Chinese is derived, so its version and captions are shown read-only; the
body is edited as the plain text people already know from the wire format (`BodyTextField`).
Text edited here is stored through the write path (`pressroom.releases.services`), as the
desk's is, which derives zh-Hans and has search and HTTP caching follow.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html

from pressroom.media.links import desk_url
from pressroom.media.models import Photo, PhotoText
from pressroom.media.photos import remove_photo_text
from pressroom.releases import limits, services
from pressroom.releases.admin_forms import ReleaseVersionForm, body_as_text
from pressroom.releases.languages import Language
from pressroom.releases.models import Release, ReleaseVersion
from pressroom.workflow import privileges
from pressroom.workflow.audit import record_admin_edit
from pressroom.workflow.models import AuditEntry, Membership, Revision
from pressroom.workflow.privileges import Privileges
from pressroom.workflow.rules import before_publication, published_or_later


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


# The archive: releases and photos, changed here only once published -------------------------


class WrittenVersionInline(admin.StackedInline):
    """English and Traditional Chinese: written by people."""

    model = ReleaseVersion
    form = ReleaseVersionForm
    fields = ["language", "title", "body_text", "source_reference"]
    readonly_fields = ["source_reference"]
    extra = 0
    max_num = 2
    verbose_name = "language version"
    verbose_name_plural = "language versions (English and Traditional Chinese)"

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(language=Language.ZH_HANS)


class DerivedVersionInline(admin.StackedInline):
    """Simplified Chinese, derived from Traditional Chinese with OpenCC on every write."""

    model = ReleaseVersion
    fields = ["title", "body_preview"]
    readonly_fields = ["title", "body_preview"]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = "Simplified Chinese version (derived, read-only)"
    verbose_name_plural = verbose_name

    def get_queryset(self, request):
        return super().get_queryset(request).filter(language=Language.ZH_HANS)

    @admin.display(description="body")
    def body_preview(self, version):
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", body_as_text(version))


class PhotoInline(admin.TabularInline):
    model = Photo
    fields = ["position", "image", "thumbnail", "captions_link"]
    # Files arrive through the upload checks only (see PhotoAdmin below).
    readonly_fields = ["image", "thumbnail", "captions_link"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="preview")
    def thumbnail(self, photo):
        if not photo.image:
            return "awaiting image"
        return format_html(
            '<img src="{}" alt="" style="max-height:60px">', desk_url(photo, "thumb")
        )

    @admin.display(description="captions and alt text")
    def captions_link(self, photo):
        if not photo.pk:
            return "save first"
        return format_html('<a href="../../../../media/photo/{}/change/">edit</a>', photo.pk)


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "state", "issue_instant", "department", "languages"]
    list_filter = ["state", "kind", "department", "categories"]
    search_fields = ["reference", "versions__title", "versions__source_reference"]
    date_hierarchy = "issue_instant"
    filter_horizontal = ["categories"]
    inlines = [WrittenVersionInline, DerivedVersionInline, PhotoInline]
    # The state and the correction and withdrawal fields change only through workflow actions
    # (the desk or `pressroom workflow`), which check roles and write the audit log. Only
    # administrators and superusers reach the admin at all (see pressroom.workflow.people).
    readonly_fields = ["created_at", "updated_at", "public_link", "state", "correction_note",
                       "corrected_at", "withdrawal_reason", "withdrawn_at"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["reference", "kind", "state", "issue_instant", "issue_time_stated"]}),
        ("Issuer", {"fields": ["department", "categories"]}),
        (
            "Corrections and withdrawal",
            {
                "classes": ["collapse"],
                "fields": ["correction_note", "corrected_at", "withdrawal_reason", "withdrawn_at"],
            },
        ),
        ("Record", {"fields": ["public_link", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("department").prefetch_related("versions")
        )

    def has_change_permission(self, request, obj=None):
        # A release on its way to publication changes only on the desk, where the edit rules,
        # the revision check and the four-eyes rule apply: here a superuser could rewrite an
        # approved text or move a scheduled release's instant to now.
        if obj is not None and before_publication(obj):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="title")
    def title(self, release):
        version = release.version(release.default_language())
        return version.title if version else ""

    @admin.display(description="languages")
    def languages(self, release):
        return ", ".join(release.languages())

    @admin.display(description="public page")
    def public_link(self, release):
        if not release.pk or release.issue_instant is None or not release.versions.exists():
            return "-"
        url = release.get_absolute_url()
        state = "public" if release.is_public() else "not public yet"
        return format_html('<a href="{}">{}</a> ({})', url, url, state)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReleaseVersion:
            return super().save_formset(request, form, formset, change)
        save_versions(form.instance, formset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # An edit in the admin is a revision with an audit entry, like one on the desk.
        record_admin_edit(form.instance, request.user, created=not change)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "correction_note" or db_field.name == "withdrawal_reason":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def languages_to_remove(formset) -> list[str]:
    """The languages whose stored rows an inline formset drops: rows deleted, and rows whose
    language was changed (the old language goes; the new one is written). Call after
    `formset.save(commit=False)`, which fills `deleted_objects`."""
    moved = [
        form.initial["language"]
        for form in formset.initial_forms
        if form not in formset.deleted_forms and "language" in form.changed_data
    ]
    return [row.language for row in formset.deleted_objects] + moved


def save_versions(release: Release, formset) -> None:
    """The written versions edited in the admin, stored through the write path: a version
    removed takes its derived Simplified twin along, one written rederives it."""
    versions = formset.save(commit=False)  # fills new, changed and deleted objects; saves none
    for language in languages_to_remove(formset):
        services.remove_version(release, language)
    for version in versions:
        services.write_version(
            release,
            version.language,
            title=version.title,
            body=version.body,
            source_reference=version.source_reference,
            source_digest=version.source_digest,
        )


class PhotoTextInline(admin.TabularInline):
    model = PhotoText
    fields = ["language", "caption", "alt_text"]
    extra = 0
    max_num = 2

    def get_queryset(self, request):
        # zh-Hans captions are derived from zh-Hant by the write path; they are not edited here.
        return super().get_queryset(request).exclude(language=Language.ZH_HANS)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language":
            kwargs["choices"] = [
                (Language.EN.value, Language.EN.label),
                (Language.ZH_HANT.value, Language.ZH_HANT.label),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


def _on_the_desk(photo) -> bool:
    return photo is not None and before_publication(photo.release)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "position", "width", "height", "awaiting_image"]
    list_select_related = ["release"]
    search_fields = ["release__reference"]
    inlines = [PhotoTextInline]
    # The image file is shown, never uploaded here: a file reaches a release only through the
    # checks every upload passes (pressroom.media.uploads: content, size, metadata stripped,
    # renditions, a random name), on the desk or by an import. So no photo is added here either.
    readonly_fields = ["image", "width", "height"]

    def has_add_permission(self, request):
        return False

    # Photos and captions of a release on its way to publication change only on the desk
    # (edit rules, revisions, the four-eyes rule), as its text does (see ReleaseAdmin).
    def has_change_permission(self, request, obj=None):
        return not _on_the_desk(obj) and super().has_change_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        """Captions and alt texts are stored through the write path (zh-Hans derived from
        zh-Hant, removed with it), as the desk's are."""
        if formset.model is not PhotoText:
            return super().save_formset(request, form, formset, change)
        photo = form.instance
        texts = formset.save(commit=False)  # fills new, changed and deleted objects; saves none
        for language in languages_to_remove(formset):
            remove_photo_text(photo, language)
        for text in texts:
            services.write_caption(
                photo.release, text.language, photo.position, text.caption, text.alt_text
            )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "release":
            kwargs["queryset"] = Release.objects.filter(published_or_later())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

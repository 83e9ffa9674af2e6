"""Admin screens for the archive: departments, categories, releases and their language versions.

Simplified Chinese is derived, so its version and captions are shown read-only; the body is
edited as the plain text people already know from the wire format (see `BodyTextField`). The
versions edited here are stored through the write path (`pressroom.releases.services`), as the
desk's are, which derives zh-Hans and has search and HTTP caching follow.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from pressroom.media.links import desk_url
from pressroom.media.models import Photo
from pressroom.releases import services
from pressroom.releases.admin_forms import ReleaseVersionForm
from pressroom.releases.languages import Language
from pressroom.releases.models import Category, Department, Release, ReleaseVersion


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh_hant"]
    search_fields = ["code", "name_en", "name_zh_hant"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_zh_hant"]
    search_fields = ["slug", "name_en", "name_zh_hant"]
    prepopulated_fields = {"slug": ["name_en"]}


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
        from pressroom.releases.admin_forms import body_as_text

        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", body_as_text(version))


class PhotoInline(admin.TabularInline):
    model = Photo
    fields = ["position", "image", "thumbnail", "captions_link"]
    # Files arrive through the upload checks only (see pressroom.media.admin.PhotoAdmin).
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
        from pressroom.workflow.rules import before_publication

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
        from pressroom.workflow.audit import record_admin_edit

        record_admin_edit(form.instance, request.user, created=not change)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "correction_note" or db_field.name == "withdrawal_reason":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def save_versions(release: Release, formset) -> None:
    """The written versions edited in the admin, stored through the write path: a version
    removed takes its derived Simplified twin along, one written rederives it."""
    versions = formset.save(commit=False)  # fills new, changed and deleted objects; saves none
    moved = [
        form.initial["language"]
        for form in formset.initial_forms
        if form not in formset.deleted_forms and "language" in form.changed_data
    ]
    for language in [version.language for version in formset.deleted_objects] + moved:
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

from django.contrib import admin

from pressroom.media.models import Photo, PhotoText
from pressroom.releases.languages import Language
from pressroom.releases.models import Release


class PhotoTextInline(admin.TabularInline):
    model = PhotoText
    fields = ["language", "caption", "alt_text"]
    extra = 0
    max_num = 2

    def get_queryset(self, request):
        # zh-Hans captions are derived from zh-Hant on save; they are not edited here.
        return super().get_queryset(request).exclude(language=Language.ZH_HANS)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language":
            kwargs["choices"] = [
                (Language.EN.value, Language.EN.label),
                (Language.ZH_HANT.value, Language.ZH_HANT.label),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


def _on_the_desk(photo) -> bool:
    from pressroom.workflow.rules import before_publication

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "release":
            from pressroom.workflow.rules import published_or_later

            kwargs["queryset"] = Release.objects.filter(published_or_later())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

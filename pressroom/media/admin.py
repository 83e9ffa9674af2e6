from django.contrib import admin

from pressroom.media.models import Photo, PhotoText
from pressroom.releases import services
from pressroom.releases.languages import Language
from pressroom.releases.models import Release


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

    def save_formset(self, request, form, formset, change):
        """Captions and alt texts are stored through the write path (zh-Hans derived from
        zh-Hant, removed with it), as the desk's are."""
        if formset.model is not PhotoText:
            return super().save_formset(request, form, formset, change)
        photo = form.instance
        texts = formset.save(commit=False)  # fills new, changed and deleted objects; saves none
        moved = [
            form.initial["language"]
            for form in formset.initial_forms
            if form not in formset.deleted_forms and "language" in form.changed_data
        ]
        for language in [text.language for text in formset.deleted_objects] + moved:
            services.remove_photo_text(photo, language)
        for text in texts:
            services.write_caption(
                photo.release, text.language, photo.position, text.caption, text.alt_text
            )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "release":
            from pressroom.workflow.rules import published_or_later

            kwargs["queryset"] = Release.objects.filter(published_or_later())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

from django.contrib import admin

from pressroom.media.models import Photo, PhotoText
from pressroom.releases.languages import Language


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


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "position", "width", "height", "awaiting_image"]
    list_select_related = ["release"]
    search_fields = ["release__reference"]
    inlines = [PhotoTextInline]
    readonly_fields = ["width", "height"]

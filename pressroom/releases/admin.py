"""Admin screens for the archive's vocabulary: departments and categories.

Releases and their photos are edited in the admin under the workflow's rules
(pressroom.workflow.admin), which stand above this app.
"""

from django.contrib import admin

from pressroom.releases.models import Category, Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh_hant"]
    search_fields = ["code", "name_en", "name_zh_hant"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_zh_hant"]
    search_fields = ["slug", "name_en", "name_zh_hant"]
    prepopulated_fields = {"slug": ["name_en"]}

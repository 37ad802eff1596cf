from django.contrib import admin

from ecosystem.registries.models import Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "authority", "level", "term_years")
    list_editable = ("term_years",)
    search_fields = ("code", "name_zh", "name_en")

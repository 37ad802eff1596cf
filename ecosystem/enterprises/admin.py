from django.contrib import admin

from ecosystem.enterprises.models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("uscc", "name", "zone", "created_at")
    list_filter = ("zone",)
    search_fields = ("uscc", "name", "name_en")

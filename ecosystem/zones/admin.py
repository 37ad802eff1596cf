from django.contrib import admin

from ecosystem.zones.models import Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "city", "review_target_days")
    search_fields = ("code", "name_zh", "name_en")

from django.contrib import admin

from ecosystem.chains.models import Chain, ChainLeader, ChainNode


class ChainNodeInline(admin.TabularInline):
    model = ChainNode
    fields = ("code", "parent", "segment", "name_zh", "name_en", "position", "path")
    readonly_fields = ("path",)
    extra = 0


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    """Reference chains; leaders and links change only through the portal's services."""

    list_display = ("code", "name_zh", "name_en", "position")
    inlines = [ChainNodeInline]


@admin.register(ChainLeader)
class ChainLeaderAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "chain", "designated_at", "ended_at")
    list_filter = ("chain",)
    readonly_fields = [f.name for f in ChainLeader._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

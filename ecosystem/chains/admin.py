from django import forms
from django.contrib import admin

from ecosystem.chains.models import Chain, ChainLeader, ChainNode


class ChainNodeForm(forms.ModelForm):
    """A node's place in the tree is fixed once it exists: its path names it in the
    enterprises' facts, the products' criteria, the matches and the coverage counters, and
    the paths of the nodes under it derive from it. Moving or renaming a node here would
    leave all of those (and its children's paths) pointing at the old place, so only new
    nodes take a code and a parent; names, segment and order stay editable."""

    class Meta:
        model = ChainNode
        fields = ("code", "parent", "segment", "name_zh", "name_en", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("code", "parent"):
                self.fields[name].disabled = True


class ChainNodeInline(admin.TabularInline):
    model = ChainNode
    form = ChainNodeForm
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

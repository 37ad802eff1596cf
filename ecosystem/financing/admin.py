from django.contrib import admin

from ecosystem.core.admin import LargeReadOnlyAdmin, ReadOnlyAdmin
from ecosystem.financing.models import (
    Bank,
    Branch,
    Campaign,
    CampaignInvitation,
    Lead,
    Match,
    Product,
)


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0
    filter_horizontal = ("zones",)


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")
    inlines = [BranchInline]


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "bank", "is_head_office")
    list_filter = ("bank",)
    filter_horizontal = ("zones",)


@admin.register(Lead)
class LeadAdmin(LargeReadOnlyAdmin):
    list_display = ("enterprise", "product", "bank", "branch", "status", "source", "created_at")
    list_filter = ("status", "decline_reason", "source", "bank")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("bank", "product_version", "status", "created_at")


@admin.register(CampaignInvitation)
class CampaignInvitationAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "enterprise", "indicative_limit", "status", "responded_at")


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_zh", "bank", "kind", "is_active")


@admin.register(Match)
class MatchAdmin(LargeReadOnlyAdmin):
    list_display = ("enterprise", "product_version", "indicative_limit", "score", "computed_at")

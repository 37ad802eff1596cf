from django.contrib import admin

from ecosystem.financing.models import Bank, Branch


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

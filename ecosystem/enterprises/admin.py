from django.contrib import admin

from ecosystem.core.admin import LargeReadOnlyAdmin, ReadOnlyAdmin
from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
    Enterprise,
    Evidence,
    FinancialYear,
    FinancingNeed,
    IndustryDivision,
    IndustrySection,
    JoinRequest,
    QualificationClaim,
)


class FinancialYearInline(admin.TabularInline):
    model = FinancialYear
    extra = 0
    fields = ("year", "revenue", "rd_expense", "employees", "verification_status")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(LargeReadOnlyAdmin):
    """Looks only: an enterprise is changed by its own members and its zone through the
    services (``enterprise_update``), which keep the counters its zone, claims, matches
    and leads feed (the review backlog, the zone and platform summaries, the match
    totals); an edit or a delete here would leave them drifting until a rebuild, and a
    delete would take the firm's audit trail, consents and leads with it."""

    list_display = ("uscc", "name", "zone", "industry", "founded_on", "created_at")
    # the industry is a nullable key: the admin joins only non-null ones by itself
    list_select_related = ("zone", "industry")
    #: The model's order with ``pk`` to break ties (as the index ``enterprise_name_order``
    #: holds it), where the admin would add ``-pk`` and sort every enterprise.
    ordering = ("name", "pk")
    list_filter = ("zone", "industry__section")
    search_fields = ("uscc", "name", "name_en")
    readonly_fields = ("uscc", "version", "created_at", "updated_at")
    inlines = [FinancialYearInline]


@admin.register(QualificationClaim)
class QualificationClaimAdmin(LargeReadOnlyAdmin):
    list_display = ("enterprise", "program", "certificate_number", "status", "submitted_at")
    list_filter = ("status", "program")
    search_fields = ("enterprise__name", "enterprise__uscc", "certificate_number")


@admin.register(Consent)
class ConsentAdmin(LargeReadOnlyAdmin):
    list_display = ("enterprise", "bank", "purpose", "text_version", "granted_at", "revoked_at")
    list_filter = ("bank", "purpose")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(LargeReadOnlyAdmin):
    list_display = ("viewed_at", "viewer", "bank", "enterprise", "section")


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "user", "status", "created_at")


@admin.register(FinancingNeed)
class FinancingNeedAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "amount", "term_months", "purpose", "status")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("claim", "original_name", "kind", "size", "uploaded_at")


@admin.register(IndustrySection)
class IndustrySectionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")


@admin.register(IndustryDivision)
class IndustryDivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "section", "name_zh", "name_en")
    list_filter = ("section",)

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecosystem.core.api.pagination import CappedCountPaginator
from ecosystem.core.calendar_coverage import calendar_coverage, calendar_warning
from ecosystem.core.labels import audit_verb_label
from ecosystem.core.models import AuditEvent, CalendarDay, Notification
from ecosystem.core.workdays import forget_calendar


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events can be looked at, never added, changed or deleted here."""

    list_display = ("created_at", "actor", "what", "target_type", "target_repr", "ip")
    list_select_related = ("actor", "target_type")  # the actor is nullable: never joined
    list_filter = ("target_type",)
    search_fields = ("verb", "target_repr", "actor__email")
    date_hierarchy = "created_at"

    @admin.display(description=_("what happened"), ordering="verb")
    def what(self, event) -> str:
        """The verb in the reader's words (``lead.accepted`` reads "lead: offer accepted")."""
        return audit_verb_label(event.verb)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__email", "title")


class LargeTableAdmin(admin.ModelAdmin):
    """For tables of a million rows (enterprises, matches, leads, claims, consents): the
    list counts at most ``COUNT_CAP + 1`` rows instead of the whole table, and no second
    count of the unfiltered table. Past the cap the list says "more than 10,000", not a
    number (``templates/admin/pagination.html``, ``search_form.html``, ``actions.html``);
    every page stays reachable. Each such model has an index on its default order, so a
    page is read in order rather than sorted (docs/slow-pages.md)."""

    paginator = CappedCountPaginator
    show_full_result_count = False


class ReadOnlyAdmin(admin.ModelAdmin):
    """For models whose writes go through services (audited): the admin only looks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Public holidays and make-up working days; working-day counts follow at once. The
    list warns while a year that is due has not been entered."""

    change_list_template = "admin/core/calendarday/change_list.html"
    list_display = ("day", "is_working", "name_zh", "name_en")
    list_filter = ("is_working",)
    date_hierarchy = "day"
    search_fields = ("name_zh", "name_en")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "calendar_warning": calendar_warning(calendar_coverage()),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_calendar()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_calendar()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        forget_calendar()


class LargeReadOnlyAdmin(LargeTableAdmin, ReadOnlyAdmin):
    """``ReadOnlyAdmin`` of a large table (``LargeTableAdmin``)."""

"""Zone reads: the zones an official sees, and the rejection reasons of the zones' reviews."""

from __future__ import annotations

from django.db.models import QuerySet

from ecosystem.accounts.scope import scope_of
from ecosystem.zones.models import RejectionReason, Zone


def zones_of_official(*, user) -> QuerySet[Zone]:
    """The zones whose queue and figures the user sees: an official's own zones; every zone
    for a platform admin (who oversees, but decides nothing: ``enterprises.permissions``)."""
    scope = scope_of(user)
    if scope.admin_may("view_all"):
        return Zone.objects.all()
    return Zone.objects.filter(pk__in=scope.zone_ids)


def active_rejection_reasons() -> QuerySet[RejectionReason]:
    return RejectionReason.objects.filter(is_active=True)


def rejection_reason_label(code: str) -> str:
    reason = RejectionReason.objects.filter(code=code).first()
    return reason.label if reason else code


def zone_names(codes) -> str:
    """Zones by code, named in the active language (an unknown code is shown as it is)."""
    codes = list(codes)
    if not codes:
        return ""
    names = {z.code: z.name for z in Zone.objects.filter(code__in=codes)}
    return ", ".join(names.get(code, code) for code in codes)

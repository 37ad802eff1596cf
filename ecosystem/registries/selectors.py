"""Registry reads, scoped to the user."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ecosystem.accounts.roles import BANK_ROLES, Role
from ecosystem.registries.models import ImportRowError, ListImport, Program, RegistryEntry


def programs_managed_by(*, user) -> QuerySet[Program]:
    if not getattr(user, "is_authenticated", False):
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(
        memberships__user=user,
        memberships__role=Role.REGISTRY_OFFICER,
        memberships__is_active=True,
    ).distinct()


def imports_visible_to(*, user) -> QuerySet[ListImport]:
    return ListImport.objects.filter(program__in=programs_managed_by(user=user)).select_related(
        "program", "uploaded_by"
    )


def import_errors(*, list_import: ListImport) -> QuerySet[ImportRowError]:
    return ImportRowError.objects.filter(list_import=list_import).order_by("row_number")


def current_entries(*, today=None) -> QuerySet[RegistryEntry]:
    today = today or timezone.localdate()
    return RegistryEntry.objects.filter(status=RegistryEntry.Status.CURRENT).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def entries_for_uscc(*, uscc: str) -> QuerySet[RegistryEntry]:
    """Any signed-in user may look a code up: the lists are public documents."""
    return (
        RegistryEntry.objects.filter(uscc=uscc)
        .select_related("program")
        .order_by("program__code", "-batch")
    )


def batches_visible_to(*, user):
    """(program, batch) pairs with entries, for the lists the user may reconcile."""
    return (
        RegistryEntry.objects.filter(program__in=outreach_programs_for(user=user))
        .values("program_id", "program__code", "batch")
        .distinct()
        .order_by("program__code", "batch")
    )


def outreach_programs_for(*, user) -> QuerySet[Program]:
    """Officers see their programs' lists; zone officials and bank staff see every list."""
    if not getattr(user, "is_authenticated", False):
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    roles = set(user.memberships.filter(is_active=True).values_list("role", flat=True))
    if Role.ZONE_OFFICIAL in roles or roles & BANK_ROLES:
        return Program.objects.all()
    return programs_managed_by(user=user)


def outreach_regions_for(*, user) -> list[str] | None:
    """City names that limit a zone official's or bank's outreach list; None means all."""
    from ecosystem.zones.models import Zone

    if user.is_superuser:
        return None
    roles = user.memberships.filter(is_active=True)
    if roles.filter(role=Role.REGISTRY_OFFICER).exists():
        return None
    zones = Zone.objects.filter(
        Q(memberships__in=roles.filter(role=Role.ZONE_OFFICIAL))
        | Q(branches__bank__memberships__in=roles.filter(role__in=BANK_ROLES))
    ).distinct()
    return sorted({z.city for z in zones if z.city})


def reconciliation(*, program: Program, batch: str, user) -> dict:
    """Listed and registered, listed but not registered, claims verified and revoked."""
    from ecosystem.enterprises.models import Enterprise, QualificationClaim
    from ecosystem.enterprises.workflow import ClaimStatus

    registered = Enterprise.objects.filter(uscc=OuterRef("uscc"))
    entries = RegistryEntry.objects.filter(program=program, batch=batch).annotate(
        registered=Exists(registered)
    )
    regions = outreach_regions_for(user=user)
    outreach = entries.filter(registered=False, status=RegistryEntry.Status.CURRENT)
    if regions is not None:
        region_q = Q(pk__in=[])
        for city in regions:
            region_q |= Q(region__contains=city)
        outreach = outreach.filter(region_q)
    claims = QualificationClaim.objects.filter(
        registry_entry__program=program, registry_entry__batch=batch
    )
    return {
        "listed": entries.filter(status=RegistryEntry.Status.CURRENT).count(),
        "withdrawn": entries.filter(status=RegistryEntry.Status.WITHDRAWN).count(),
        "registered": entries.filter(registered=True, status=RegistryEntry.Status.CURRENT).count(),
        "outreach": outreach.order_by("uscc"),
        "claims_verified": claims.filter(status=ClaimStatus.VERIFIED).select_related("enterprise"),
        "claims_revoked": claims.filter(status=ClaimStatus.REVOKED).select_related("enterprise"),
    }

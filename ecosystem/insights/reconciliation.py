"""An official list against the portal: which listed firms registered, which did not (the
outreach list, limited to the reader's region), and the claims the list verified or
revoked. It reads enterprises and registries, so it lives in the reporting app."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import Program, RegistryEntry
from ecosystem.registries.selectors import outreach_regions_for


def reconciliation(*, program: Program, batch: str, user) -> dict:
    """Listed and registered, listed but not registered, claims verified and revoked."""
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

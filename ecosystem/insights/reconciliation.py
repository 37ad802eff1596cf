"""An official list against the portal: which listed firms registered, which did not (the
outreach list, limited to the reader's region), and the claims the list verified or
revoked. It reads enterprises and registries, so it lives in the reporting app.

A national list holds 150,000 entries and the portal a million enterprises: joining them
costs 0.6 to 1.7 s a statement. On PostgreSQL the entry carries whether its firm is
registered (``RegistryEntry.registered``, kept by the database), so the figures are one
grouped count over the ``registry_entry_reconcile_ids`` index and the outreach list an index
range in code order (docs/slow-pages.md, "Official lists at national size"). Elsewhere
the enterprises are probed per entry, as before.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q

from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import Program, RegistryEntry
from ecosystem.registries.selectors import outreach_regions_for


def _is_registered():
    """Whether the entry's firm is registered: the kept flag on PostgreSQL, a probe of the
    enterprises elsewhere."""
    if connection.vendor == "postgresql":
        return F("registered")
    return Exists(Enterprise.objects.filter(uscc=OuterRef("uscc")))


def _entries(*, program: Program, batch: str):
    return RegistryEntry.objects.filter(program=program, batch=batch)


def list_figures(*, program: Program, batch: str) -> dict[str, int]:
    """Listed (current), withdrawn, and listed and registered: one grouped count."""
    figures = {"listed": 0, "withdrawn": 0, "registered": 0}
    rows = (
        _entries(program=program, batch=batch)
        .annotate(is_registered=_is_registered())
        .values("status", "is_registered")
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in rows:
        if row["status"] == RegistryEntry.Status.CURRENT:
            figures["listed"] += row["n"]
            if row["is_registered"]:
                figures["registered"] += row["n"]
        elif row["status"] == RegistryEntry.Status.WITHDRAWN:
            figures["withdrawn"] += row["n"]
    return figures


def outreach_entries(*, program: Program, batch: str, user):
    """Listed (current) but not registered, within the reader's regions, in code order."""
    outreach = (
        _entries(program=program, batch=batch)
        .alias(is_registered=_is_registered())
        .filter(is_registered=False, status=RegistryEntry.Status.CURRENT)
    )
    regions = outreach_regions_for(user=user)
    if regions is not None:
        region_q = Q(pk__in=[])
        for city in regions:
            region_q |= Q(region__contains=city)
        outreach = outreach.filter(region_q)
    return outreach.order_by("uscc")


def list_claims(*, program: Program, batch: str):
    """The claims the list decided (verified or revoked, each a ``status``). The
    redundant ``registry_entry IS NOT NULL`` lets PostgreSQL read them from the partial
    index of claims citing an entry (``claim_list_entry``) instead of every claim of the
    status (docs/performance.md, "Session 10: medium pages")."""
    return QualificationClaim.objects.filter(
        registry_entry__isnull=False,
        registry_entry__program=program,
        registry_entry__batch=batch,
    )


def reconciliation(*, program: Program, batch: str, user) -> dict:
    """Listed and registered, listed but not registered, claims verified and revoked."""
    claims = list_claims(program=program, batch=batch)
    return {
        **list_figures(program=program, batch=batch),
        "outreach": outreach_entries(program=program, batch=batch, user=user),
        "claims_verified": claims.filter(status=ClaimStatus.VERIFIED).select_related("enterprise"),
        "claims_revoked": claims.filter(status=ClaimStatus.REVOKED).select_related("enterprise"),
    }

"""Registry reads, scoped to the user."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from ecosystem.accounts.roles import Role
from ecosystem.accounts.scope import scope_of
from ecosystem.registries import permissions as policy
from ecosystem.registries.models import ImportRowError, ListImport, Program, RegistryEntry


def programs_managed_by(*, user) -> QuerySet[Program]:
    return Program.objects.filter(policy.managed_programs_q(scope_of(user)))


def imports_visible_to(*, user) -> QuerySet[ListImport]:
    return ListImport.objects.filter(program__in=programs_managed_by(user=user)).select_related(
        "program", "uploaded_by"
    )


def import_errors(*, list_import: ListImport, kind: str = "refused") -> QuerySet[ImportRowError]:
    """The rows refused (``kind="refused"``) or skipped as not data, in file order."""
    return ImportRowError.objects.filter(list_import=list_import, kind=kind).order_by("id")


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


def entries_visible_to(*, user) -> QuerySet[RegistryEntry]:
    """Entries the user may read by id (``permissions.readable_entries_q``)."""
    return RegistryEntry.objects.filter(policy.readable_entries_q(scope_of(user))).select_related(
        "program"
    )


def batches_visible_to(*, user):
    """(program, batch) pairs with entries, for the lists the user may reconcile."""
    return (
        RegistryEntry.objects.filter(program__in=outreach_programs_for(user=user))
        .values("program_id", "program__code", "batch")
        .distinct()
        .order_by("program__code", "batch")
    )


#: Every (program, batch) with entries, by a skip scan of the reconciliation index
#: (``registry_entry_reconcile_ids`` leads with them): one index probe a pair, where a
#: ``DISTINCT`` reads every entry (600,000 nationally: 220-300 ms for a handful of pairs).
_PAIRS_SQL = """
WITH RECURSIVE pairs AS (
    (SELECT program_id, batch FROM registries_registryentry
      ORDER BY program_id, batch LIMIT 1)
    UNION ALL
    SELECT n.program_id, n.batch FROM pairs p CROSS JOIN LATERAL (
        SELECT e.program_id, e.batch FROM registries_registryentry e
         WHERE (e.program_id, e.batch) > (p.program_id, p.batch)
         ORDER BY e.program_id, e.batch LIMIT 1) n
)
SELECT program_id, batch FROM pairs
"""


def batch_list_visible_to(*, user) -> list[dict]:
    """``batches_visible_to`` as a list, read by a skip scan on PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return list(batches_visible_to(user=user))
    codes = dict(outreach_programs_for(user=user).values_list("pk", "code"))
    with connection.cursor() as cursor:
        cursor.execute(_PAIRS_SQL)
        pairs = [(program_id, batch) for program_id, batch in cursor.fetchall()]
    rows = [
        {"program_id": program_id, "program__code": codes[program_id], "batch": batch}
        for program_id, batch in pairs
        if program_id in codes
    ]
    return sorted(rows, key=lambda row: (row["program__code"], row["batch"]))


def outreach_programs_for(*, user) -> QuerySet[Program]:
    """Officers see their programs' lists; zone officials and bank staff see every list."""
    return Program.objects.filter(policy.outreach_programs_q(scope_of(user)))


def outreach_regions_for(*, user) -> list[str] | None:
    """City names that limit a zone official's or bank's outreach list; None means all."""
    from ecosystem.zones.models import Zone

    scope = scope_of(user)
    if scope.admin_may("view_all") or scope.has_role(Role.REGISTRY_OFFICER):
        return None
    zones = Zone.objects.filter(
        Q(pk__in=scope.zone_ids) | Q(branches__bank_id__in=scope.bank_ids)
    ).distinct()
    return sorted({z.city for z in zones if z.city})


def programs_by_code() -> dict[str, Program]:
    """Every program by its code (one query; a few dozen rows at most)."""
    return {p.code: p for p in Program.objects.all()}


def program_names(codes, programs: dict[str, Program] | None = None) -> str:
    """Programs by code, named in the active language, as a product's criterion or a
    firm's verified qualifications read (an unknown code is shown as it is). ``programs``
    (``programs_by_code()``, read once by the caller) spares the query."""
    codes = list(codes)
    if not codes:
        return ""
    if programs is None:
        programs = {p.code: p for p in Program.objects.filter(code__in=codes)}
    return ", ".join(programs[code].name if code in programs else code for code in codes)

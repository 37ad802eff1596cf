"""The world built step by step, and its counts."""

from __future__ import annotations

import logging
import random
from datetime import datetime

from bench.world import chains, disbursements, firms, leads, people
from bench.world.db import Clock

VERSION = 10  # bump when the world's shape changes: --keep then rebuilds (or upgrades)
ADMIN = "admin@national.invalid"


def sizes(scale: float) -> dict:
    """The world's size at ``scale`` as recorded (``bench_world``); ``--keep`` reuses a
    world whose record has all of these."""
    n = max(1000, round(1_000_000 * scale))
    return {
        "version": VERSION,
        "scale": scale,
        "enterprises": n,
        "zones": people.ZONES,
        "figures_enterprises": n // 5,
        "claims": round(n * 0.6),
        "registry_entries": round(n * 0.6),
        "banks": people.BANKS,
        "branches": people.BANKS * people.ZONES,
        "product_versions": people.BANKS * people.PRODUCTS_PER_BANK,
        "leads": n,
        "disbursements": "every disbursed lead",
        "chain_share_percent": chains.SHARE,
    }


def build(size: dict) -> dict:
    """Every table of the world, the summaries rebuilt, the crawl's people; the record."""
    from django.db import connection
    from django.utils import timezone

    from ecosystem.financing.tasks.matching import CHUNK, rematch_range

    logging.getLogger("celery").setLevel(logging.WARNING)  # no line per eager task
    clock = Clock()
    rng = random.Random(19)  # noqa: S311 - bench data
    n = size["enterprises"]
    now = timezone.now()
    admin = people.staff(ADMIN, superuser=True)
    made = people.institutions_create()
    clock.step("zones, banks, branches, staff", len(made.rm_of) + len(made.banks))
    people.products_save(made)
    clock.step("product versions (product_save)", len(made.banks) * people.PRODUCTS_PER_BANK)

    program_ids = [made.programs[code].pk for code in people.PROGRAMS]
    with connection.cursor() as cursor:
        ids = firms.enterprises_copy(cursor, rng=rng, n=n, zones=made.zones, now=now)
        clock.step("enterprises (COPY)", len(ids))
        rows = firms.years_copy(cursor, rng=rng, ids=ids, admin_id=admin.pk, now=now)
        clock.step("financial years (COPY)", rows)
        rows = firms.claims_copy(
            cursor,
            rng=rng,
            ids=ids,
            count=size["claims"],
            program_ids=program_ids,
            admin_id=admin.pk,
            now=now,
        )
        clock.step("qualification claims (COPY)", rows)
        rows = firms.entries_copy(
            cursor, n=n, count=size["registry_entries"], program_ids=program_ids, now=now
        )
        clock.step("registry entries (COPY)", rows)
        # Before the rematch, which reads the chains into every enterprise's facts.
        placed = chains.chains_add(cursor, admin_id=admin.pk)
        clock.step("chain placements, leaders, supplier links", sum(placed.values()))
        cursor.execute("ANALYZE")
    clock.step("ANALYZE")

    # Matches: the full rematch's own code, range by range as rematch_all splits it.
    low, high = ids[0], ids[-1] + 1
    for start in range(low, high, CHUNK):
        rematch_range(start, min(high, start + CHUNK))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM financing_match")
        matches = cursor.fetchone()[0]
    clock.step("matches (rematch_range over every range)", matches)
    rematch_seconds = clock.steps[-1][1]

    with connection.cursor() as cursor:
        lead_ids, rows = leads.leads_copy(cursor, rng=rng, ids=ids, made=made, now=now)
        clock.step("leads (COPY)", len(lead_ids))
        written = leads.notes_copy(cursor, lead_ids=lead_ids, rows=rows)
        clock.step("lead notes (COPY)", written)
        written = leads.offers_copy(cursor, lead_ids=lead_ids, rows=rows)
        clock.step("offers (COPY)", written)
        rows = leads.consents_copy(cursor, now=now)
        clock.step("consents (COPY)", rows)
        rows = disbursements.disbursements_add(cursor)
        clock.step("disbursements (INSERT … SELECT)", rows)

        # Statistics for the rebuild's joins: the matches and leads were empty at the last
        # ANALYZE, and nothing else refreshes them where autovacuum is off (as on CI's
        # PostgreSQL). Planned on "empty" matches, the rebuild's first join over them had
        # not finished after 16 minutes of CPU; with statistics its plan costs a second.
        cursor.execute("ANALYZE")
    clock.step("ANALYZE")

    # The leads were written by COPY, past the services that keep the summary tables.
    from ecosystem.financing.summary_recount import summaries_rebuild

    built = summaries_rebuild()
    clock.step("lead facts and summary tables (summaries_rebuild)", built["summary_rows"])
    if built["lead_zones_refreshed"]:  # leads_copy writes each lead's firm's zone
        raise RuntimeError(f"{built['lead_zones_refreshed']} leads copied outside their zone")

    crawl = people.crawl_people(made, admin=admin, first_enterprise_id=ids[0])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # visibility maps too: index-only scans
    clock.step("the crawl's people, ANALYZE")
    big = made.banks[0]
    return {
        **size,
        "built_seconds": round(clock.total, 1),
        "rematch_seconds": rematch_seconds,
        "steps": clock.steps,
        "counts": count(),
        "people": crawl,
        "enterprise": ids[0],
        "zone": made.zones[0].pk,
        "bank": big.pk,
        "branch": made.branch_of[(big.pk, "z00")],
        "built_at": datetime.now().isoformat(timespec="seconds"),
    }


TABLES = {
    "enterprises": "enterprises_enterprise",
    "financial_years": "enterprises_financialyear",
    "claims": "enterprises_qualificationclaim",
    "registry_entries": "registries_registryentry",
    "banks": "financing_bank",
    "branches": "financing_branch",
    "product_versions": "financing_productversion",
    "matches": "financing_match",
    "leads": "financing_lead",
    "lead_notes": "financing_leadnote",
    "offers": "financing_offer",
    "disbursements": "financing_disbursement",
    "consents": "enterprises_consent",
    "zones": "zones_zone",
    "enterprise_nodes": "chains_enterprisenode",
    "chain_leaders": "chains_chainleader",
    "supplier_links": "chains_supplierlink",
}


def count() -> dict:
    """Rows per table of the world, leads by status, enterprises on a chain."""
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for key, table in TABLES.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our table names
            out[key] = cursor.fetchone()[0]
        cursor.execute("SELECT count(DISTINCT enterprise_id) FROM chains_enterprisenode")
        out["enterprises_on_chains"] = cursor.fetchone()[0]
        cursor.execute("SELECT status, count(*) FROM financing_lead GROUP BY 1 ORDER BY 1")
        out["leads_by_status"] = dict(cursor.fetchall())
    return out

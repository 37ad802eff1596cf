"""A world recorded by an older version brought to this one in place, instead of being
dropped and built again (16 minutes at national size).

Version 9 worlds lack the enterprise's zone kept on each lead (``Lead.zone``): the
migration to financing 0029 fills it (``manage.py migrate``, run before the upgrade, ~40 s
at national size); every upgrade makes sure (``summary_facts.leads_refresh_zones``: the
leads whose zone is not their firm's, none after the migration) and vacuums the leads
(the fill rewrote every row).
Version 8 worlds lack the yearly figures awaiting review kept per zone and waiting day
(``enterprises.waiting.YEARS``: their years were written by COPY): every upgrade counts
them (``waiting.rebuild``, seconds at national size; the migration to enterprises 0019
fills them too, the rebuild makes sure).
Version 7 worlds lack the verified enterprises kept per zone and program
(``enterprises.verified_programs``: their claims were written by COPY) and the products'
match totals (``financing.match_totals``, the bank's matches page's count and total
exposure): every upgrade counts both (``verified_programs.rebuild`` from the claims,
``match_totals.rebuild`` from one grouped read of the matches; seconds at national size;
the migration to financing 0027 fills the totals too, the rebuild makes sure).
Version 6 worlds also lack the review backlog kept per zone and waiting day
(``enterprises.waiting``); the upgrade of a world before version 7 counts it from the
claims (``waiting.rebuild``, seconds at national size).
Version 5 worlds lack the ecosystem page's counters and the columns they read
(``summary_recount.ecosystem_tables_rebuild``: the enterprise funnel's yuan, the chain
counters' offers, the ecosystem cells) and the duration histograms summed per breakdown
(``LeadDurationRollup``: the upgrade sums the stored histograms,
``summary_rollup.rollup_rebuild``). Version 4 worlds also lack the chain pages' counters
(``ChainCoverage``, rebuilt by the same step as the ecosystem counters). Version 3 worlds
also lack the chains' lead summaries
(``ChainLeadSummary``, ``ChainLeadDuration``): the upgrade counts them from the leads of
enterprises on a chain (``summary_recount.chain_tables_rebuild``). Version 2 worlds also lack
disbursements and chains.
For those the upgrade inserts what
is missing (``disbursements.disbursements_add``, ``chains.chains_add``: both idempotent,
deterministic in the rows' ids, so an upgraded world holds what a new one would), then
refreshes only the summaries that count disbursements (:func:`summaries_refresh`) and
rebuilds the chain pages' counters (``financing.coverage_summary``; a version 3 world gets
them rebuilt too), then counts the chain lead tables. Matches are kept: no
product of the world has a chain or supplier criterion. ``rebuild_summaries --check``
passes on an upgraded world.

Why not ``summaries_rebuild``: even without recomputing the leads' stored facts it
recounts every lead in Python (12 s of its 24 s at 50,000 leads; the facts' working
hours are the other 15 s), about 5 minutes at national size.
"""

from __future__ import annotations

from datetime import datetime

from bench.world import chains, disbursements
from bench.world.build import ADMIN, VERSION, count
from bench.world.db import Clock

#: The lead summary's disbursed money, set from the disbursements by the summary's key
#: (``summary.KEY``: the lead's bank, branch, product, status and furthest stage, its
#: enterprise's zone). The other counts of a row do not depend on disbursements.
LEAD_SUMMARY_DISBURSED = (
    "UPDATE financing_leadsummary s SET disbursed_amount = x.amount FROM ("
    "SELECT l.bank_id, l.branch_id, l.product_id, e.zone_id, l.status, l.reached, "
    "sum(d.amount) AS amount FROM financing_disbursement d "
    "JOIN financing_lead l ON l.id = d.lead_id "
    "JOIN enterprises_enterprise e ON e.id = l.enterprise_id GROUP BY 1, 2, 3, 4, 5, 6) x "
    "WHERE s.bank_id IS NOT DISTINCT FROM x.bank_id "
    "AND s.branch_id IS NOT DISTINCT FROM x.branch_id "
    "AND s.product_id IS NOT DISTINCT FROM x.product_id "
    "AND s.zone_id IS NOT DISTINCT FROM x.zone_id AND s.status = x.status "
    "AND s.reached = x.reached"
)
#: The enterprise funnel's disbursed counts (``funnel.recount``): an enterprise's leads
#: with a disbursement; a zone's enterprises with one. Every enterprise with a lead has
#: its row, every zone with one too.
ENTERPRISE_DISBURSED = (
    "UPDATE financing_enterprisefinancing f SET disbursed = x.n FROM ("
    "SELECT l.enterprise_id, count(DISTINCT d.lead_id) AS n FROM financing_disbursement d "
    "JOIN financing_lead l ON l.id = d.lead_id GROUP BY 1) x "
    "WHERE f.enterprise_id = x.enterprise_id"
)
ZONE_DISBURSED = (
    "UPDATE financing_zonefinancing z SET disbursed = x.n FROM ("
    "SELECT zone_id, count(*) AS n FROM financing_enterprisefinancing WHERE disbursed > 0 "
    "GROUP BY 1) x WHERE z.zone_id = x.zone_id"
)
#: Recorded versions upgraded in place.
UPGRADABLE = (2, 3, 4, 5, 6, 7, 8, 9)
#: The size's keys an upgrade brings (an older record lacks them or differs).
ADDED = ("version", "disbursements", "chain_share_percent")
#: Tables the upgrade writes, analysed after it.
TOUCHED = (
    "financing_lead",
    "financing_offer",
    "financing_leadsummary",
    "financing_enterprisefinancing",
    "financing_zonefinancing",
    "financing_disbursement",
    "chains_enterprisenode",
    "chains_chainleader",
    "chains_supplierlink",
    "financing_chainleadsummary",
    "financing_chainleadduration",
    "financing_chaincoverage",
    "financing_chaincoveragemember",
    "financing_ecosystemcell",
    "financing_ecosystemmember",
    "financing_leaddurationrollup",
    "enterprises_zoneclaimswaiting",
    "enterprises_claimswaitingmember",
    "enterprises_zoneyearswaiting",
    "enterprises_yearswaitingmember",
    "enterprises_zoneprogramverified",
    "enterprises_programverifiedmember",
    "financing_productmatchtotal",
)


def upgradable(info: dict | None, size: dict) -> bool:
    """Whether the world recorded as ``info`` is ``size`` but for what an upgrade adds."""
    return (
        bool(info)
        and info.get("version") in UPGRADABLE
        and all(info.get(k) == v for k, v in size.items() if k not in ADDED)
    )


def upgrade(info: dict, size: dict) -> dict:
    """Disbursements and chains added to the world recorded as ``info``, the summary
    tables recounted; its new record."""
    from django.db import connection, transaction

    from ecosystem.accounts.models import User
    from ecosystem.enterprises import verified_programs, waiting
    from ecosystem.financing import match_totals
    from ecosystem.financing.summary_facts import leads_refresh_zones
    from ecosystem.financing.summary_recount import chain_tables_rebuild, ecosystem_tables_rebuild
    from ecosystem.financing.summary_rollup import rollup_rebuild

    clock = Clock()
    if info.get("version") == 2:
        admin = User.objects.get(email=ADMIN)
        with transaction.atomic(), connection.cursor() as cursor:
            rows = disbursements.disbursements_add(cursor)
            clock.step("disbursements (INSERT … SELECT)", rows)
            placed = chains.chains_add(cursor, admin_id=admin.pk)
            clock.step("chain placements, leaders, supplier links", sum(placed.values()))
        rows = summaries_refresh()
        clock.step(
            "summaries counting disbursements (lead summary, enterprise funnel, chain coverage)",
            rows,
        )
    elif info.get("version") in (3, 4, 5):  # the ecosystem counters (before 5 the chain's)
        built = ecosystem_tables_rebuild()
        clock.step(
            "enterprise funnel, chain and ecosystem counters (ecosystem_tables_rebuild)",
            built["ecosystem_member_rows"],
        )
    if info.get("version") in (2, 3):  # version 4 has the chains' lead summaries
        built = chain_tables_rebuild()
        clock.step("the chains' lead summaries (chain_tables_rebuild)", built["chain_summary_rows"])
    elif info.get("version") in (4, 5):  # the histograms summed per breakdown did not exist
        rows = rollup_rebuild()
        clock.step("the duration histograms summed per breakdown (rollup_rebuild)", rows)
    # the review backlog per zone and waiting day: the claims' before version 7, the
    # years' before version 9 (every upgrade)
    backlogs = waiting.BACKLOGS if info.get("version") < 7 else (waiting.YEARS,)
    built = waiting.rebuild(backlogs)
    clock.step(
        "claims and years waiting per zone and day (waiting.rebuild)",
        sum(built[f"{b.name}_waiting_zone_rows"] for b in backlogs),
    )
    if info.get("version") < 8:  # the verified firms per program, the match totals
        built = verified_programs.rebuild()
        clock.step(
            "verified enterprises per zone and program (verified_programs.rebuild)",
            built["verified_program_zone_rows"],
        )
        built = match_totals.rebuild()
        clock.step("the products' match totals (match_totals.rebuild)", built["match_total_rows"])
    # the zone kept on each lead: filled by the migration to financing 0029 (every upgrade)
    rows = leads_refresh_zones()
    clock.step("the leads' zones, where not their firms' (leads_refresh_zones)", rows)
    with connection.cursor() as cursor:
        for table in TOUCHED:
            cursor.execute(f"VACUUM ANALYZE {table}")
    clock.step("VACUUM ANALYZE of the tables written")
    return {
        **info,
        **size,
        "counts": count(),
        "upgraded_from": info.get("version"),
        "upgraded_to": VERSION,
        "upgrade_seconds": round(clock.total, 1),
        "upgrade_steps": clock.steps,
        "upgraded_at": datetime.now().isoformat(timespec="seconds"),
    }


def summaries_refresh() -> int:
    """The summary columns that count disbursements made equal to a recount, in one
    transaction under the tables' locks (as ``summaries_rebuild``): the lead summary's
    disbursed money and the enterprise funnel's disbursed counts; and the chain view's
    and the ecosystem page's counters rebuilt with the enterprise funnel
    (``summary_recount.ecosystem_tables_rebuild``: they count chains and money). Returns
    the rows updated; raises when a row to update is missing (rebuild the summaries then)."""
    from django.db import connection, transaction

    from ecosystem.financing.summary_recount import ecosystem_tables_rebuild

    steps = (
        ("financing_leadsummary", "disbursed_amount", LEAD_SUMMARY_DISBURSED),
        ("financing_enterprisefinancing", "disbursed", ENTERPRISE_DISBURSED),
        ("financing_zonefinancing", "disbursed", ZONE_DISBURSED),
    )
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {', '.join(table for table, _c, _u in steps)}")
        for table, column, update in steps:
            cursor.execute(f"UPDATE {table} SET {column} = 0 WHERE {column} <> 0")  # noqa: S608
            cursor.execute(update)
            updated = cursor.rowcount
            groups = update.split("FROM (", 1)[1].rsplit(") x WHERE", 1)[0]
            cursor.execute(f"SELECT count(*) FROM ({groups}) g")  # noqa: S608 - our SQL
            wanted = cursor.fetchone()[0]
            if updated != wanted:
                raise RuntimeError(f"{table}: {wanted - updated} rows missing; rebuild them")
            rows += updated
    return rows + ecosystem_tables_rebuild()["coverage_counter_rows"]

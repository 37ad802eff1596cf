"""A world recorded by an older version brought to this one in place, instead of being
dropped and built again (16 minutes at national size).

Version 2 worlds have every table but disbursements and chains. The upgrade inserts what
is missing (``disbursements.disbursements_add``, ``chains.chains_add``: both idempotent,
deterministic in the rows' ids, so an upgraded world holds what a new one would), then
recounts the summary tables without recomputing the leads' stored facts (furthest stage,
working hours: neither depends on disbursements or chains, and recomputing them is most
of the build's summary step). Matches are kept: no product of the world has a chain or
supplier criterion.
"""

from __future__ import annotations

from datetime import datetime

from bench.world import chains, disbursements
from bench.world.build import ADMIN, VERSION, count
from bench.world.db import Clock

#: Recorded versions upgraded in place.
UPGRADABLE = (2,)
#: The size's keys an upgrade brings (an older record lacks them or differs).
ADDED = ("version", "disbursements", "chain_share_percent")
#: Tables the upgrade writes, analysed after it.
TOUCHED = (
    "financing_offer",
    "financing_disbursement",
    "chains_enterprisenode",
    "chains_chainleader",
    "chains_supplierlink",
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
    from ecosystem.financing.summary import summaries_rebuild

    clock = Clock()
    admin = User.objects.get(email=ADMIN)
    with transaction.atomic(), connection.cursor() as cursor:
        rows = disbursements.disbursements_add(cursor)
        clock.step("disbursements (INSERT … SELECT)", rows)
        placed = chains.chains_add(cursor, admin_id=admin.pk)
        clock.step("chain placements, leaders, supplier links", sum(placed.values()))
    built = summaries_rebuild(refresh_facts=False)
    clock.step("summary tables (summaries_rebuild, stored facts kept)", built["summary_rows"])
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

"""The chain pages' counters recounted from the facts, compared and rebuilt
(``manage.py rebuild_summaries``; the nightly drift check): the reference the per-firm
upkeep in ``financing.coverage_summary`` is held to."""

from __future__ import annotations

from django.db import connection, transaction

from ecosystem.chains.models import EnterpriseNode
from ecosystem.chains.selectors import covering_nodes
from ecosystem.core.drift import table_drift
from ecosystem.financing.coverage_summary import (
    COUNTERS,
    FIGURES,
    MEMBER_COLUMNS,
    _add,
    _facts,
    _member_of,
    _member_row,
    contribution,
)
from ecosystem.financing.models import ChainCoverage, ChainCoverageMember


def recount() -> tuple[dict, dict]:
    """Both tables as the facts make them: ({enterprise id: Member},
    {(chain id, node id or None, zone id, bank id or None): ``FIGURES``}), rows counting
    nothing left out. Seven queries over the placed enterprises, whatever their number."""
    tree = covering_nodes()
    placements = list(
        EnterpriseNode.objects.order_by()
        .values_list("enterprise_id", "node_id")
        .iterator(chunk_size=50_000)
    )
    placed = EnterpriseNode.objects.values("enterprise_id")
    members = _facts(placements, placed, tree) if placements else {}
    chains = {pk: chain_id for pk, (chain_id, _cover) in tree.items()}
    counters: dict[tuple, list] = {}
    for member in members.values():
        _add(counters, contribution(member, chains), 1)
    return members, {k: tuple(v) for k, v in counters.items() if any(v)}


def stored() -> tuple[dict, dict]:
    """Both tables as they are, counter rows counting nothing left out."""
    members = {
        row[0]: _member_of(row)
        for row in ChainCoverageMember.objects.order_by()
        .values_list(*MEMBER_COLUMNS)
        .iterator(chunk_size=20_000)
    }
    counters = {
        tuple(row[:4]): tuple(row[4:])
        for row in ChainCoverage.objects.values_list(
            "chain_id", "node_id", "zone_id", "bank_id", *FIGURES
        ).iterator(chunk_size=20_000)
        if any(row[4:])
    }
    return members, counters


def drift() -> dict:
    """How the stored tables differ from a recount (as ``summary_recount.summaries_drift``):
    keys ``coverage_members``, ``coverage_counters``."""
    return table_drift(("coverage_members", "coverage_counters"), recount(), stored())


def rebuild() -> dict:
    """Replace both tables by a recount, in one transaction (no sync lands between)."""
    members_table = ChainCoverageMember._meta.db_table
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {members_table}, {COUNTERS}")
        ChainCoverageMember.objects.all().delete()
        ChainCoverage.objects.all().delete()
        members, counters = recount()
        ChainCoverageMember.objects.bulk_create(
            (_member_row(pk, member) for pk, member in members.items()), batch_size=5000
        )
        ChainCoverage.objects.bulk_create(
            (
                ChainCoverage(
                    chain_id=chain_id,
                    node_id=node_id,
                    zone_id=zone_id,
                    bank_id=bank_id,
                    **dict(zip(FIGURES, figures, strict=True)),
                )
                for (chain_id, node_id, zone_id, bank_id), figures in counters.items()
            ),
            batch_size=5000,
        )
    return {"coverage_member_rows": len(members), "coverage_counter_rows": len(counters)}

"""The ecosystem funnel read from its counters (``coverage.ecosystem_funnel``), a few rows
whatever the number of enterprises:

- :func:`zone_stage_cells`: the cells per (zone, stored lifecycle stage) that
  ``financing.ecosystem_summary`` keeps exact, with the members whose stage changed with
  the date since they were written (``stage_until`` reached, the nightly move not yet
  run: an indexed lookup, few rows) moved to their stage on the day read, as the zone
  dashboard's stage counts are corrected (``enterprises.summary.stage_counts``); the
  zone, stage and total tables are sums of these cells;
- :func:`chain_cells`: per chain, the sums over the zones of the chain view's counters
  without a node and a bank (``financing.coverage_summary``: each enterprise once per
  chain it sits on).

Both serve every scope alike: a platform admin's (every zone, no filter) and a zone
official's (a filter on the zone).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Sum

from ecosystem.enterprises.summary import stages_on
from ecosystem.financing.ecosystem_summary import (
    FIGURES,
    MEMBER_COLUMNS,
    Member,
    add,
    contribution,
)
from ecosystem.financing.models import ChainCoverage, EcosystemCell, EcosystemMember

#: The chain counters' columns in the cells' order (``ecosystem_summary.FIGURES``).
CHAIN_FIGURES = (
    "enterprises",
    "verified",
    "matched",
    "leads",
    "offers",
    "disbursed",
    "offered",
    "financed",
)


def _scoped(queryset, zone_ids: list[int] | None):
    return queryset if zone_ids is None else queryset.filter(zone_id__in=zone_ids)


def zone_stage_cells(*, zone_ids: list[int] | None, today: date) -> dict[tuple, tuple]:
    """``{(zone id, stage): (registered, verified, matched, lead, offer, disbursed,
    offered yuan, disbursed yuan)}`` for the enterprises of ``zone_ids`` (every zone when
    None), each in its lifecycle stage on ``today``: two queries (three more when members
    are past their ``stage_until``)."""
    cells: dict[tuple, list] = {
        (zone_id, stage): list(figures)
        for zone_id, stage, *figures in _scoped(EcosystemCell.objects, zone_ids).values_list(
            "zone_id", "stage", *FIGURES
        )
    }
    stale = [
        (pk, Member(*row))
        for pk, *row in _scoped(EcosystemMember.objects, zone_ids)
        .filter(stage_until__lte=today)
        .values_list("pk", *MEMBER_COLUMNS)
    ]
    if stale:
        now = stages_on([pk for pk, _member in stale], on=today)
        for pk, member in stale:
            if now[pk] != member.stage:
                add(cells, contribution(member), -1)
                add(cells, contribution(member._replace(stage=now[pk])), 1)
    return {key: tuple(figures) for key, figures in cells.items() if any(figures)}


def chain_cells(*, zone_ids: list[int] | None) -> dict[tuple, tuple]:
    """``{(chain id,): figures as in zone_stage_cells}``: the enterprises of ``zone_ids``
    on each chain, an enterprise once per chain however many of its nodes it sits on
    (one query)."""
    rows = _scoped(ChainCoverage.objects.filter(node__isnull=True, bank__isnull=True), zone_ids)
    sums = {name: Sum(name) for name in CHAIN_FIGURES}
    return {
        (row["chain_id"],): tuple(row[name] or 0 for name in CHAIN_FIGURES)
        for row in rows.order_by().values("chain_id").annotate(**sums)
    }


def funnel_cells(*, zone_ids: list[int] | None, today: date) -> tuple[dict, dict]:
    """:func:`zone_stage_cells` and :func:`chain_cells`."""
    return zone_stage_cells(zone_ids=zone_ids, today=today), chain_cells(zone_ids=zone_ids)

"""The chain view's figures read the fast way, equal to ``coverage.chain_coverage_recount``
(the reference, kept as the tests' oracle).

- Every bank (platform admins, zone officials): the counters of
  ``financing.coverage_summary``, one grouped query over a row per (node, zone).
- One bank's staff (its own matches, leads and money): the same counters, the
  enterprises and verified counts from the every-bank rows, the rest from the bank's.
- Staff of several banks (rare): one grouped statement over the placements of the
  chosen zones, each enterprise's flags read once by index (PostgreSQL; elsewhere the
  reference).

Either way one statement answers every chain at once (``chains_coverage``, the chain
list) or one chain (``chain_coverage``); nothing per enterprise travels to Python.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, Sum

from ecosystem.chains.models import Chain, ChainNode
from ecosystem.insights.coverage import ZERO, NodeCoverage, chain_coverage_recount

FIGURES = ("enterprises", "verified", "matched", "leads", "financed")

#: Per (chain, node) and per chain (node NULL): the distinct enterprises of the zones on
#: or under the node, flags counting ``%(banks)s`` only. ``{zones}``: a zone-id subquery.
BANK_CELLS = """
WITH placed AS (
    SELECT DISTINCT n.chain_id, a.id AS node_id, p.enterprise_id
    FROM chains_enterprisenode p
    JOIN chains_chainnode n ON n.id = p.node_id
    JOIN chains_chainnode a ON a.chain_id = n.chain_id
        AND (a.path = n.path OR starts_with(n.path, a.path || '/'))
    JOIN enterprises_enterprise e ON e.id = p.enterprise_id
    WHERE e.zone_id IN ({zones}) {chain}
), flags AS (
    SELECT x.enterprise_id,
        EXISTS (SELECT 1 FROM enterprises_qualificationclaim c
                WHERE c.enterprise_id = x.enterprise_id AND c.status = 'verified') AS verified,
        EXISTS (SELECT 1 FROM financing_match m JOIN financing_product pr ON pr.id = m.product_id
                WHERE m.enterprise_id = x.enterprise_id AND pr.bank_id = ANY(%s)) AS matched,
        EXISTS (SELECT 1 FROM financing_lead l
                WHERE l.enterprise_id = x.enterprise_id AND l.bank_id = ANY(%s)) AS lead,
        (SELECT sum(d.amount) FROM financing_disbursement d
         JOIN financing_lead l ON l.id = d.lead_id
         WHERE l.enterprise_id = x.enterprise_id AND l.bank_id = ANY(%s)) AS financed
    FROM (SELECT DISTINCT enterprise_id FROM placed) x
), cells AS (
    SELECT chain_id, node_id, enterprise_id FROM placed
    UNION ALL
    SELECT DISTINCT chain_id, NULL::bigint, enterprise_id FROM placed
)
SELECT c.chain_id, c.node_id, count(*), count(*) FILTER (WHERE f.verified),
    count(*) FILTER (WHERE f.matched), count(*) FILTER (WHERE f.lead), sum(f.financed)
FROM cells c JOIN flags f ON f.enterprise_id = c.enterprise_id
GROUP BY c.chain_id, c.node_id
"""


def _cells(*, zones, bank_ids: list[int] | None, chain: Chain | None = None) -> dict:
    """{(chain id, node id or None): [five figures]} for ``chain`` (every chain when
    None): one statement."""
    if bank_ids is None or len(bank_ids) == 1:
        from ecosystem.financing.models import ChainCoverage

        every = Q(bank__isnull=True)
        mine = every if bank_ids is None else Q(bank_id=bank_ids[0])
        rows = ChainCoverage.objects.filter(every | mine, zone_id__in=zones.values("pk"))
        if chain is not None:
            rows = rows.filter(chain=chain)
        sums = {
            f"sum_{name}": Sum(name, filter=every if name in ("enterprises", "verified") else mine)
            for name in FIGURES
        }
        rows = (
            rows.order_by()
            .values("chain_id", "node_id")
            .annotate(**sums)
            .values_list("chain_id", "node_id", *sums)
        )
    else:
        zone_sql, zone_params = zones.order_by().values("pk").query.sql_with_params()
        sql = BANK_CELLS.format(
            zones=zone_sql, chain="AND n.chain_id = %s" if chain is not None else ""
        )
        params = [*zone_params, *([chain.pk] if chain is not None else []), *[bank_ids] * 3]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return {(row[0], row[1]): [*(n or 0 for n in row[2:6]), row[6] or ZERO] for row in rows}


def _fill(row: NodeCoverage, figures) -> NodeCoverage:
    if figures:
        row.enterprises, row.verified, row.matched, row.leads, row.financed = figures
    return row


def _fast(bank_ids) -> bool:
    """The several banks' statement is PostgreSQL's; elsewhere the reference answers."""
    return bank_ids is None or len(bank_ids) == 1 or connection.vendor == "postgresql"


def chain_coverage(
    *, chain: Chain, zones, bank_ids: list[int] | None
) -> tuple[list[NodeCoverage], NodeCoverage]:
    """As ``coverage.chain_coverage_recount``: per node of ``chain`` (tree order) and for
    the whole chain, the enterprises of ``zones`` and how far financing reached them.
    Two queries (the nodes, the figures)."""
    if not _fast(bank_ids):
        return chain_coverage_recount(chain=chain, zones=zones, bank_ids=bank_ids)
    cells = _cells(zones=zones, bank_ids=bank_ids, chain=chain)
    nodes = [
        _fill(NodeCoverage(node, depth=node.path.count("/") - 1), cells.get((chain.pk, node.pk)))
        for node in ChainNode.objects.filter(chain=chain).order_by("path")
    ]
    return nodes, _fill(NodeCoverage(None), cells.get((chain.pk, None)))


def chains_coverage(*, zones, bank_ids: list[int] | None) -> dict[int, tuple[NodeCoverage, int]]:
    """{chain id: (the whole chain's figures, how many of its nodes are gaps)} for every
    chain: one statement."""
    if not _fast(bank_ids):
        out = {}
        for chain in Chain.objects.all():
            nodes, total = chain_coverage_recount(chain=chain, zones=zones, bank_ids=bank_ids)
            out[chain.pk] = (total, sum(1 for n in nodes if n.gap))
        return out
    totals: dict[int, NodeCoverage] = {}
    gaps: dict[int, int] = {}
    for (chain_id, node_id), figures in _cells(zones=zones, bank_ids=bank_ids).items():
        if node_id is None:
            totals[chain_id] = _fill(NodeCoverage(None), figures)
        elif figures[0] > 0 and figures[4] == 0:
            gaps[chain_id] = gaps.get(chain_id, 0) + 1
    return {
        chain_id: (totals.get(chain_id) or NodeCoverage(None), gaps.get(chain_id, 0))
        for chain_id in set(totals) | set(gaps)
    }


def chain_node_enterprises(*, node: ChainNode, zone_ids) -> int:
    """The enterprises of the zones ``zone_ids`` on or under ``node`` (every bank's
    counters): one query."""
    from ecosystem.financing.models import ChainCoverage

    rows = ChainCoverage.objects.filter(node=node, bank__isnull=True, zone_id__in=zone_ids)
    return rows.aggregate(n=Sum("enterprises"))["n"] or 0

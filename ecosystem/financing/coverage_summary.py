"""The chain view's figures for every bank kept as counters (``models.coverage``), so
the chain pages of platform admins and zone officials read a row per node and zone
instead of every placement of a chain and five queries over its enterprises.

What a counter holds is what ``insights.coverage.chain_coverage_recount`` computes with
every bank counted: per node (the node and everything under it) and per zone, the
distinct enterprises placed there, how many have a verified qualification claim, a match,
a lead, and the yuan disbursed on their leads; the row without a node is the whole chain.
Every bank's rows also count the enterprises with an offer and with a disbursement, and
the yuan of their offers made or accepted: the ecosystem page's chain table sums the
whole chain's rows over its zones (``insights.funnel_cells.chain_cells``).

How it stays exact:

- **One home**: :func:`coverage_sync` recomputes what the enterprises it is given add
  now (zone, flags, money, the nodes covering their placements: ``ChainNode.path``
  prefixes) and moves the counters by the difference from what they added last
  (``ChainCoverageMember``), in the caller's transaction, under a lock per bucket of
  ids (``core.bucket_locks``): a few statements per ``CHUNK`` enterprises.
- **Who calls it**: ``enterprise.changed`` (``financing.apps``: placements, claims, the
  profile and its zone all publish it in their transaction); the enterprise funnel's
  moves (``funnel.enterprise_apply``: a lead created, a disbursement; and every rematch's
  ``matched`` flips, ``funnel.matched_changes_apply`` / ``matched_sync``).
- **Bulk writes** past the services (``bench.world`` by COPY, the demo, tests' worlds):
  ``coverage_recount.rebuild`` (``manage.py rebuild_summaries``); ``--check`` and the nightly check
  compare (``coverage_recount.drift``). The admin adds nodes (a new node holds no one) but
  does not move or rename existing ones (``chains.admin.ChainNodeForm``).
- **One firm's rematch** syncs a firm on a chain only when a match of it was written or
  deleted (``eligibility.firm_write``): otherwise its banks with a match are unchanged.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum

from ecosystem.chains.models import EnterpriseNode
from ecosystem.chains.selectors import covering_nodes
from ecosystem.core.bucket_locks import bucket_lock
from ecosystem.core.db import add_row_by_row, add_rows
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.financing.members import members_store
from ecosystem.financing.models import (
    OFFERED_STATUSES,
    ChainCoverage,
    ChainCoverageMember,
    Disbursement,
    Lead,
    Match,
    Offer,
)

FIGURES = (
    "enterprises",
    "verified",
    "matched",
    "leads",
    "financed",
    "offers",
    "disbursed",
    "offered",
)
COUNTERS = ChainCoverage._meta.db_table
#: First key of the PostgreSQL advisory lock a sync holds per enterprise ("KJ" + 3).
SYNC_LOCK_NAMESPACE = 0x4B4A03
#: Enterprises read per query (a statement's parameters stay far below PostgreSQL's limit).
CHUNK = 10_000
#: Counter rows per upsert statement.
BATCH = 500
ZERO = Decimal("0.00")

#: What one placed enterprise adds: its zone, three flags, its money (every bank's), the
#: covering node ids, and per bank it has a match, a lead or money with: ``banks``,
#: ((bank id, matched, lead, financed), ...) in bank order; then whether it has an offer
#: and a disbursement, and the yuan of its offers made or accepted (every bank's).
Member = namedtuple(
    "Member", "zone_id verified matched lead financed nodes banks offer disbursed offered"
)


def _members(placements, zones, verified, matched, leads, financed, offers, tree) -> dict:
    """{enterprise id: Member} from (enterprise id, node id) placements and the facts:
    ``matched`` and ``leads`` are (enterprise id, bank id) pairs, ``financed`` is
    {(enterprise id, bank id): yuan}, ``offers`` {enterprise id: yuan offered} of those
    with an offer."""
    nodes: dict[int, set] = defaultdict(set)
    for enterprise_id, node_id in placements:
        nodes[enterprise_id].update(tree[node_id][1])
    banks: dict[int, dict] = defaultdict(dict)
    for index, pairs in ((0, matched), (1, leads)):
        for enterprise_id, bank_id in pairs:
            banks[enterprise_id].setdefault(bank_id, [False, False, ZERO])[index] = True
    disbursed = set()
    for (enterprise_id, bank_id), total in financed.items():
        banks[enterprise_id].setdefault(bank_id, [False, False, ZERO])[2] = total
        disbursed.add(enterprise_id)
    out = {}
    for pk, covered in nodes.items():
        mine = tuple((bank, *banks[pk][bank]) for bank in sorted(banks.get(pk, ())))
        out[pk] = Member(
            zones[pk],
            pk in verified,
            any(m for _b, m, _l, _f in mine),
            any(lead for _b, _m, lead, _f in mine),
            sum((f for _b, _m, _l, f in mine), ZERO),
            tuple(sorted(covered)),
            mine,
            pk in offers,
            pk in disbursed,
            offers.get(pk, ZERO),
        )
    return out


def _facts(placements, placed, tree) -> dict:
    """Members of the ``placed`` enterprises (ids, or a values query of them), placed as
    ``placements`` say: six queries."""
    zones = dict(Enterprise.objects.filter(pk__in=placed).order_by().values_list("pk", "zone_id"))
    verified = set(
        QualificationClaim.objects.filter(enterprise_id__in=placed, status="verified")
        .order_by()
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    matched = (
        Match.objects.filter(enterprise_id__in=placed)
        .order_by()
        .values_list("enterprise_id", "product__bank_id")
        .distinct()
    )
    leads = (
        Lead.objects.filter(enterprise_id__in=placed)
        .order_by()
        .values_list("enterprise_id", "bank_id")
        .distinct()
    )
    financed = {
        (enterprise_id, bank_id): total
        for enterprise_id, bank_id, total in Disbursement.objects.filter(
            lead__enterprise_id__in=placed
        )
        .order_by()
        .values("lead__enterprise_id", "lead__bank_id")
        .annotate(total=Sum("amount"))
        .values_list("lead__enterprise_id", "lead__bank_id", "total")
    }
    offers: dict = {}
    for enterprise_id, status, amount in (
        Offer.objects.filter(lead__enterprise_id__in=placed)
        .order_by()
        .values_list("lead__enterprise_id", "status", "amount")
    ):
        standing = amount if status in OFFERED_STATUSES else ZERO
        offers[enterprise_id] = offers.get(enterprise_id, ZERO) + standing
    return _members(placements, zones, verified, matched, leads, financed, offers, tree)


def members_now(enterprise_ids, *, tree=None) -> dict[int, Member]:
    """What ``enterprise_ids`` add now (those without a placement left out): one query,
    six more when some are placed."""
    tree = covering_nodes() if tree is None else tree
    placements = list(
        EnterpriseNode.objects.filter(enterprise_id__in=list(enterprise_ids))
        .order_by()
        .values_list("enterprise_id", "node_id")
    )
    if not placements:
        return {}
    placed = sorted({pk for pk, _node in placements})
    return _facts(placements, placed, tree)


def contribution(member: Member | None, tree_chains: dict[int, int]) -> dict[tuple, list]:
    """What one member adds: {(chain id, node id or None, zone id, bank id or None): the
    ``FIGURES``}; a bank's rows carry its matched, leads and financed only."""
    if member is None:
        return {}
    every = [
        1,
        int(member.verified),
        int(member.matched),
        int(member.lead),
        member.financed,
        int(member.offer),
        int(member.disbursed),
        member.offered,
    ]
    places = [(tree_chains[n], n) for n in member.nodes]
    places += [(chain_id, None) for chain_id in sorted({c for c, _n in places})]
    out = {}
    for chain_id, node_id in places:
        out[(chain_id, node_id, member.zone_id, None)] = every
        for bank_id, matched, lead, financed in member.banks:
            out[(chain_id, node_id, member.zone_id, bank_id)] = [
                0,
                0,
                int(matched),
                int(lead),
                financed,
                0,
                0,
                ZERO,
            ]
    return out


def _member_of(row) -> Member:
    """A ``ChainCoverageMember`` row (``MEMBER_COLUMNS``) as a Member."""
    banks = tuple((b, m, lead, Decimal(f)) for b, m, lead, f in row[7])
    return Member(*row[1:6], tuple(row[6]), banks, *row[8:])


MEMBER_COLUMNS = (
    "pk",
    "zone_id",
    "verified",
    "matched",
    "lead",
    "financed",
    "nodes",
    "banks",
    "offer",
    "disbursed",
    "offered",
)


def _stored(ids) -> dict[int, Member]:
    return {
        row[0]: _member_of(row)
        for row in ChainCoverageMember.objects.filter(pk__in=list(ids))
        .order_by()
        .values_list(*MEMBER_COLUMNS)
    }


def coverage_sync(*, enterprise_ids) -> int:
    """Recompute what ``enterprise_ids`` add to the counters and move the counters by the
    difference from what they added last, in the caller's transaction. Returns the
    enterprises whose contribution changed."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return 0
    changed = 0
    with transaction.atomic():
        bucket_lock(ids, namespace=SYNC_LOCK_NAMESPACE)
        tree = None
        changes: dict[tuple, list] = {}
        upsert, gone = [], []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            old = _stored(chunk)
            placed = EnterpriseNode.objects.filter(enterprise_id__in=chunk).exists()
            if not old and not placed:
                continue
            tree = covering_nodes() if tree is None else tree
            new = members_now(chunk, tree=tree) if placed else {}
            chains = {pk: chain_id for pk, (chain_id, _cover) in tree.items()}
            for pk in chunk:
                before, after = old.get(pk), new.get(pk)
                if before == after:
                    continue
                changed += 1
                _add(changes, contribution(before, chains), -1)
                _add(changes, contribution(after, chains), 1)
                if after is None:
                    gone.append(pk)
                else:
                    upsert.append(_member_row(pk, after))
        members_store(
            ChainCoverageMember,
            gone=gone,
            upsert=upsert,
            update_fields=[c for c in MEMBER_COLUMNS[1:] if c != "zone_id"] + ["zone"],
        )
        counters_apply(changes)
    return changed


def _add(changes: dict, contribution_: dict, sign: int) -> None:
    for key, figures in contribution_.items():
        row = changes.setdefault(key, [0, 0, 0, 0, ZERO, 0, 0, ZERO])
        for i, value in enumerate(figures):
            row[i] += sign * value


def _member_row(pk: int, member: Member) -> ChainCoverageMember:
    return ChainCoverageMember(
        enterprise_id=pk,
        zone_id=member.zone_id,
        verified=member.verified,
        matched=member.matched,
        lead=member.lead,
        financed=member.financed,
        nodes=list(member.nodes),
        banks=[[b, m, lead, str(f)] for b, m, lead, f in member.banks],
        offer=member.offer,
        disbursed=member.disbursed,
        offered=member.offered,
    )


def counters_apply(changes: dict[tuple, list]) -> None:
    """Add ``{(chain id, node id or None, zone id, bank id or None): ``FIGURES``}`` to
    the counters, in key order (one lock order everywhere), ``BATCH`` rows a statement."""
    rows = sorted(
        ((key, change) for key, change in changes.items() if any(change)),
        key=lambda item: tuple(k or 0 for k in item[0]),
    )
    keys = ("chain_id", "node_id", "zone_id", "bank_id")
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":  # SQLite: the key's NULLs are distinct there
            add_row_by_row(cursor, COUNTERS, keys, tuple(FIGURES), rows)
        else:
            add_rows(cursor, COUNTERS, keys, tuple(FIGURES), rows, batch=BATCH)


def coverage_placed(enterprise_ids) -> tuple[str, list]:
    """A statement returning those of ``enterprise_ids`` that are on a chain or counted
    (to be sent with others: a firm's rematch asks it in its write's message)."""
    ids = list(enterprise_ids) or [None]
    marks = ", ".join(["%s"] * len(ids))
    return (
        f"SELECT enterprise_id FROM {EnterpriseNode._meta.db_table} "  # noqa: S608 - our names
        f"WHERE enterprise_id IN ({marks}) UNION "
        f"SELECT enterprise_id FROM {ChainCoverageMember._meta.db_table} "
        f"WHERE enterprise_id IN ({marks})",
        [*ids, *ids],
    )


def coverage_sync_scope(*, enterprise_ids=None, id_range=None) -> int:
    """After a rematch of a scope (every enterprise when both are None; ``id_range`` is
    [low, high)): sync the enterprises of it on a chain or counted, ``CHUNK`` at a time
    (their matches per bank may have changed without the funnel's flag)."""
    placed = EnterpriseNode.objects.order_by().values_list("enterprise_id", flat=True)
    members = ChainCoverageMember.objects.order_by().values_list("pk", flat=True)
    if enterprise_ids is not None:
        enterprise_ids = list(enterprise_ids)
        placed = placed.filter(enterprise_id__in=enterprise_ids)
        members = members.filter(pk__in=enterprise_ids)
    if id_range is not None:
        low, high = id_range
        placed = placed.filter(enterprise_id__gte=low, enterprise_id__lt=high)
        members = members.filter(pk__gte=low, pk__lt=high)
    return coverage_sync(enterprise_ids=set(placed.distinct()) | set(members))


def coverage_sync_rematched(*, enterprise_ids=None, id_range=None) -> int:
    """After a rematch of a scope: sync only the enterprises of it whose banks with a
    match differ from what their member row holds (a rematch changes nothing else a
    counter reads), and placed ones without a member row. One statement finds them (an
    index probe of each member's matches) where :func:`coverage_sync_scope` recomputes
    every placed firm of the scope (a full rematch: 300,000 firms, 100 s nationally).
    Other databases sync the whole scope."""
    if connection.vendor != "postgresql":
        return coverage_sync_scope(enterprise_ids=enterprise_ids, id_range=id_range)
    where, params = [], []
    if enterprise_ids is not None:
        where.append("{col} = ANY(%s::int[])")
        params.append(list(enterprise_ids))
    if id_range is not None:
        where.append("{col} >= %s AND {col} < %s")
        params.extend(id_range)
    scope = " AND ".join(where) or "TRUE"
    member, placements = ChainCoverageMember._meta.db_table, EnterpriseNode._meta.db_table
    match, product = Match._meta.db_table, Match.product.field.related_model._meta.db_table
    sql = (
        f"SELECT m.enterprise_id FROM {member} m "  # noqa: S608 - our names
        f"WHERE {scope.format(col='m.enterprise_id')} AND "
        f"COALESCE((SELECT array_agg(DISTINCT p.bank_id ORDER BY p.bank_id) FROM {match} x "
        f"JOIN {product} p ON p.id = x.product_id WHERE x.enterprise_id = m.enterprise_id), "
        "'{}'::bigint[]) IS DISTINCT FROM "
        "COALESCE((SELECT array_agg((b->>0)::bigint ORDER BY (b->>0)::bigint) "
        "FROM jsonb_array_elements(m.banks) b WHERE (b->>1)::boolean), '{}'::bigint[]) "
        f"UNION SELECT DISTINCT e.enterprise_id FROM {placements} e "
        f"WHERE {scope.format(col='e.enterprise_id')} AND NOT EXISTS "
        f"(SELECT 1 FROM {member} y WHERE y.enterprise_id = e.enterprise_id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        changed = [row[0] for row in cursor.fetchall()]
    return coverage_sync(enterprise_ids=changed)


def enterprise_changed(*, enterprise_id: int) -> None:
    """``enterprise.changed``: its placements, claims or zone may have moved."""
    coverage_sync(enterprise_ids=[enterprise_id])

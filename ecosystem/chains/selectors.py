"""Chain reads, scoped to the user: chains and nodes are reference data every signed-in
user reads; coverage figures and the enterprises on a node follow the user's zones and
bank; links are seen by their two enterprises and the officials of their zones."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Lookup, Q, QuerySet

from ecosystem.accounts.scope import scope_of
from ecosystem.chains import permissions as policy
from ecosystem.chains.models import (
    PATH_SEPARATOR,
    Chain,
    ChainLeader,
    ChainNode,
    EnterpriseNode,
    SupplierLink,
)


def chains_all() -> QuerySet[Chain]:
    return Chain.objects.all()


def nodes_of(*, chain: Chain) -> QuerySet[ChainNode]:
    return ChainNode.objects.filter(chain=chain).select_related("parent").order_by("path")


def node_labels(paths) -> str:
    """Node names for paths, as a product's criterion or an enterprise's placement reads."""
    paths = list(paths)
    if not paths:
        return ""
    names = {
        n.path: f"{n.chain.name} · {n.name}"
        for n in ChainNode.objects.filter(path__in=paths).select_related("chain")
    }
    names.update({c.code: c.name for c in Chain.objects.filter(code__in=paths)})
    return ", ".join(names.get(p, p) for p in paths)


def node_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every chain with its nodes (indented by depth), for grouped select widgets; a
    chain's own code stands for the whole chain."""
    groups = []
    for chain in Chain.objects.prefetch_related("nodes"):
        options = [(chain.code, f"{chain.name} ({chain.code})")]
        for node in sorted(chain.nodes.all(), key=lambda n: n.path):
            depth = node.path.count("/") - 1
            options.append((node.path, f"{'— ' * (depth + 1)}{node.name}"))
        groups.append((chain.name, options))
    return groups


def node_pk_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    groups = []
    for chain in Chain.objects.prefetch_related("nodes"):
        options = []
        for node in sorted(chain.nodes.all(), key=lambda n: n.path):
            depth = node.path.count("/") - 1
            label = f"{'— ' * depth}{node.name} · {node.get_segment_display()}"
            options.append((node.pk, label))
        groups.append((chain.name, options))
    return groups


def leader_choices() -> list[tuple[str, str]]:
    """Credit codes of enterprises leading a chain, for a product's supplier criterion."""
    seen: dict[str, str] = {}
    for leader in ChainLeader.objects.filter(ended_at__isnull=True).select_related(
        "enterprise", "chain"
    ):
        label = seen.get(leader.enterprise.uscc, f"{leader.enterprise.name} ·")
        seen[leader.enterprise.uscc] = f"{label} {leader.chain.name}"
    return sorted(seen.items(), key=lambda kv: kv[1])


def placements_of(*, enterprise) -> QuerySet[EnterpriseNode]:
    return EnterpriseNode.objects.filter(enterprise=enterprise).select_related(
        "node", "node__chain", "set_by"
    )


# --- leaders and links -------------------------------------------------------------


def leaders_active() -> QuerySet[ChainLeader]:
    """Designated leaders are public to signed-in users: suppliers need to find them."""
    return ChainLeader.objects.filter(ended_at__isnull=True).select_related(
        "chain", "enterprise", "enterprise__zone"
    )


def leaders_managed_by(*, user) -> QuerySet[ChainLeader]:
    """Leaders of enterprises in the official's zones (all for platform admins)."""
    leaders = ChainLeader.objects.select_related("chain", "enterprise", "enterprise__zone")
    return leaders.filter(policy.leaders_q(scope_of(user)))


def leaderships_of(*, enterprise) -> QuerySet[ChainLeader]:
    return leaders_active().filter(enterprise=enterprise)


def links_visible_to(*, user) -> QuerySet[SupplierLink]:
    """Links of the user's enterprises (either side), of enterprises in an official's
    zones, and all for platform admins."""
    # Each side's zone too: the API shows it (``EnterpriseRefSerializer``), one query a
    # link without it (108 queries for a page at national size).
    links = SupplierLink.objects.select_related(
        "leader", "leader__chain", "leader__enterprise__zone", "supplier__zone"
    )
    return links.filter(policy.links_q(scope_of(user)))


def links_of(*, enterprise) -> QuerySet[SupplierLink]:
    return SupplierLink.objects.filter(
        Q(supplier=enterprise) | Q(leader__enterprise=enterprise)
    ).select_related("leader", "leader__chain", "leader__enterprise__zone", "supplier__zone")


# --- who sees coverage --------------------------------------------------------------


def coverage_zones(*, user):
    """The zones whose figures the user sees: all for platform admins, the official's
    zones, the zones a bank's branches serve. Empty for anyone else."""
    from ecosystem.zones.models import Zone

    return Zone.objects.filter(policy.coverage_zones_q(scope_of(user))).distinct()


def coverage_banks(*, user) -> list[int] | None:
    """Whose leads and money the user's figures count: every bank (None) for platform
    admins and zone officials; a bank's staff only their own bank's."""
    scope = scope_of(user)
    if scope.admin_may("view_all") or scope.zone_ids:
        return None
    return sorted(scope.bank_ids)


def ecosystem_zones(*, user):
    """The platform ecosystem page: platform admins (all zones) and zone officials (theirs)."""
    from ecosystem.zones.models import Zone

    return Zone.objects.filter(policy.ecosystem_zones_q(scope_of(user)))


def sees_every_enterprise_of(*, user, zone_ids) -> bool:
    """Whether ``user`` sees every enterprise of the zones ``zone_ids`` (platform admins;
    officials of those zones): then the coverage counters count what the node's list
    shows, and the list needs no visibility rule."""
    from ecosystem.enterprises.permissions import sees_whole_zones

    scope = scope_of(user)
    if scope.admin_may("view_all"):
        return True
    return sees_whole_zones(scope, zone_ids)


@dataclass(frozen=True)
class NodeReach:
    """Where a node's enterprises are read: the ids of the node and of every node under it
    (a placement is then one index probe, no join), and the zones (ids) of the list, or
    ``None`` when they are every zone (every enterprise has a zone: no zone filter; a bank
    manager's coverage nationally walked every zone's firms, 112 ms)."""

    node_ids: tuple[int, ...]
    zone_ids: tuple[int, ...] | None


def node_reach(*, node: ChainNode, zone_ids) -> NodeReach:
    """The reach of ``node`` in the zones ``zone_ids``: two small reads (the subtree, the
    zone table), made once for a page's list and its counts."""
    from ecosystem.zones.models import Zone

    subtree = ChainNode.objects.filter(Q(path=node.path) | Q(path__startswith=node.path + "/"))
    zone_ids = tuple(zone_ids)
    every = set(zone_ids).issuperset(Zone.objects.values_list("pk", flat=True))
    return NodeReach(
        node_ids=tuple(subtree.order_by().values_list("pk", flat=True)),
        zone_ids=None if every else zone_ids,
    )


def _placed(reach: NodeReach) -> QuerySet[EnterpriseNode]:
    return EnterpriseNode.objects.filter(node_id__in=reach.node_ids).order_by()


def enterprises_on_node(*, reach: NodeReach):
    """The enterprises of the reach's zones placed on its node or under it."""
    from ecosystem.enterprises.models import Enterprise

    on_node = Enterprise.objects.filter(pk__in=_placed(reach).values("enterprise_id"))
    if reach.zone_ids is not None:
        on_node = on_node.filter(zone_id__in=reach.zone_ids)
    return on_node.select_related("zone")


class _AnyOf(Lookup):
    """``lhs = ANY(rhs)``, ``rhs`` an array (``ArraySubquery``)."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def _probed_on_node(reach: NodeReach):
    """``enterprises_on_node`` for counting, on PostgreSQL each firm found by its key from
    the placements (``id = ANY(ARRAY(…))``): as ``id IN (…)`` a count hashed all
    1,000,000 enterprise keys (a sequential scan) to find the node's 25,000, and a bank's
    visibility rule with it hashed all 284,000 of its consents; the array is read first
    and the planner, expecting few firms, probes the key, the zone and the visibility
    rule firm by firm."""
    from ecosystem.enterprises.models import Enterprise

    if connection.vendor != "postgresql":
        return enterprises_on_node(reach=reach).select_related(None)
    from django.contrib.postgres.expressions import ArraySubquery

    placed = ArraySubquery(_placed(reach).values("enterprise_id"))
    on_node = Enterprise.objects.filter(_AnyOf(F("pk"), placed))
    if reach.zone_ids is not None:
        on_node = on_node.filter(zone_id__in=reach.zone_ids)
    return on_node.order_by()


@dataclass(frozen=True)
class NodeCounts:
    on_node: int  # ``enterprises_on_node(reach=…).count()``
    visible: int  # of them, those in ``visible`` (all of them without it)


def enterprises_on_node_counts(*, reach: NodeReach, visible=None, probe=False) -> NodeCounts:
    """How many enterprises ``enterprises_on_node`` lists, and how many of them are in the
    queryset ``visible`` (a user's ``enterprises_visible_to``, in the same WHERE); a firm
    on two nodes of the subtree counts once. In every zone the firms are counted from the
    placements alone (no enterprise row read). ``probe``: the visible ones are found by
    key from the placements (``_probed_on_node``), for a rule that reaches most firms (a
    bank manager's: every firm that consented to the bank), which PostgreSQL otherwise
    answers by hashing the whole enterprise table; a narrow rule (a relationship
    manager's branch) is cheaper joined than probed 25,000 times."""
    if reach.zone_ids is None:
        on_node = _placed(reach).aggregate(n=Count("enterprise_id", distinct=True))["n"]
    else:
        on_node = enterprises_on_node(reach=reach).count()
    if visible is None:
        return NodeCounts(on_node=on_node, visible=on_node)
    firms = _probed_on_node(reach) if probe else enterprises_on_node(reach=reach)
    return NodeCounts(on_node=on_node, visible=(firms & visible).count())


def sees_by_bank_consent(*, user) -> bool:
    """Whether what ``user`` sees includes every firm that consented to a bank (a bank
    manager's: 284,000 firms of 1,000,000 nationally): then a node's visible firms are
    counted by probing its placements (``enterprises_on_node_counts(probe=True)``)."""
    return bool(scope_of(user).managed_bank_ids)


def covering_nodes() -> dict[int, tuple[int, tuple[int, ...]]]:
    """{node id: (chain id, ids of the node and its ancestors)}: a placement on the node
    counts on each of those (one query; a chain has a few hundred nodes at most)."""
    nodes = list(ChainNode.objects.order_by().values_list("pk", "chain_id", "path"))
    by_path = {path: pk for pk, _chain, path in nodes}
    out = {}
    for pk, chain_id, path in nodes:
        parts = path.split(PATH_SEPARATOR)
        prefixes = (PATH_SEPARATOR.join(parts[:i]) for i in range(2, len(parts) + 1))
        out[pk] = (chain_id, tuple(sorted(by_path[p] for p in prefixes if p in by_path)))
    return out

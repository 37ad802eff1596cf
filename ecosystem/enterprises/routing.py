"""Which branch of a bank takes an enterprise's leads: the branch serving the enterprise's
zone, else the bank's head office (DESIGN.md flow 6). The one home of that rule.

``routes_of`` reads a bank's branches and the zones they serve once, as a table
(:class:`BankRoutes`). Lead routing asks it for one enterprise's branch
(``financing.services.leads.create.route_branch``); the financing policy asks it which
zones' enterprises route to a relationship manager's branches (``routed_zones``), so the
matches an RM sees are those whose leads would reach them
(``financing.permissions.routed_matches_q``); the enterprises policy asks which of those
zones their branches do not serve (``routed_beyond_served``), so the RM may open the
records of the firms their match list shows (``enterprises.permissions.bank_sees_q``).

It lives in ``enterprises``, below ``financing``, as both apps' policies read it; the
branches are reached through the zones' relation to them, not by importing ``financing``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BankRoutes:
    """A bank's routing table: {zone id: the branch its enterprises' leads go to} for each
    zone some branch serves, and the head office that takes every other zone."""

    bank_id: int
    by_zone: dict[int, int] = field(default_factory=dict)
    head_office: int | None = None

    def branch_for(self, zone_id: int) -> int | None:
        """The branch an enterprise of ``zone_id`` routes to (None: the bank has none)."""
        return self.by_zone.get(zone_id, self.head_office)

    def zones_routed_to(self, branch_ids: Iterable[int], every_zone: Iterable[int]) -> list[int]:
        """The zones of ``every_zone`` whose enterprises route to one of ``branch_ids``,
        in id order: ``branch_for`` asked of each zone."""
        branch_ids = set(branch_ids)
        return sorted(z for z in set(every_zone) if self.branch_for(z) in branch_ids)

    def routed_unserved(self, branch_ids: Iterable[int], every_zone: Iterable[int]) -> list[int]:
        """The zones of ``zones_routed_to`` that none of ``branch_ids`` serves: those no
        branch of the bank serves (a zone some branch serves routes to a branch serving it),
        routed to the head office when it is one of ``branch_ids``."""
        return [z for z in self.zones_routed_to(branch_ids, every_zone) if z not in self.by_zone]


def routes_of(bank_ids: Iterable[int]) -> dict[int, BankRoutes]:
    """{bank id: its routing table} of ``bank_ids``, read in one query: a zone served by
    several branches of a bank routes to the first by (head office first, code), as the
    head office is the first by code among several."""
    from ecosystem.zones.models import Zone

    branch = Zone._meta.get_field("branches").related_model  # financing.Branch
    bank_ids = sorted(set(bank_ids))
    rows = (
        branch.objects.filter(bank_id__in=bank_ids)
        .order_by("bank_id", "-is_head_office", "code", "pk")
        .values_list("bank_id", "pk", "is_head_office", "zones")
    )
    by_zone: dict[int, dict[int, int]] = {bank_id: {} for bank_id in bank_ids}
    head_office: dict[int, int] = {}
    for bank_id, branch_id, is_head_office, zone_id in rows:
        if is_head_office:
            head_office.setdefault(bank_id, branch_id)
        if zone_id is not None:
            by_zone[bank_id].setdefault(zone_id, branch_id)
    return {
        bank_id: BankRoutes(bank_id, by_zone[bank_id], head_office.get(bank_id))
        for bank_id in bank_ids
    }


def routed_zones(branches: Mapping[int, Iterable[int]]) -> dict[int, list[int]]:
    """{bank id: the zones whose enterprises' leads route to one of its branches named in
    ``branches`` ({bank id: branch ids})}. Every zone is read (fifty nationally) only when
    one of the branches is a head office, which takes the zones no branch serves."""
    from ecosystem.zones.models import Zone

    branches = {bank_id: set(ids) for bank_id, ids in branches.items()}
    routes = routes_of(branches)
    if any(routes[bank].head_office in ids for bank, ids in branches.items()):
        every_zone = set(Zone.objects.values_list("pk", flat=True))
    else:  # no head office: only zones some branch serves route to these branches
        every_zone = {z for table in routes.values() for z in table.by_zone}
    return {
        bank_id: routes[bank_id].zones_routed_to(ids, every_zone)
        for bank_id, ids in sorted(branches.items())
    }


def routed_beyond_served(
    branches: Mapping[int, Iterable[int]], *, head_offices: Iterable[int]
) -> dict[int, list[int]]:
    """{bank id: the zones routed to its branches named in ``branches`` ({bank id: branch
    ids}) that none of them serves}, banks with none left out. Only a head office is routed
    zones it does not serve (those no branch of its bank serves): a bank none of whose
    ``branches`` is among ``head_offices`` (the caller's knowledge, e.g. ``Scope``) is left
    out unread, so for every other branch nothing is queried."""
    from ecosystem.zones.models import Zone

    head_offices = set(head_offices)
    branches = {bank: set(ids) for bank, ids in branches.items() if set(ids) & head_offices}
    if not branches:
        return {}
    routes = routes_of(branches)
    every_zone = set(Zone.objects.values_list("pk", flat=True))
    beyond = {
        bank_id: routes[bank_id].routed_unserved(ids, every_zone)
        for bank_id, ids in sorted(branches.items())
    }
    return {bank_id: zones for bank_id, zones in beyond.items() if zones}

"""Which branch of a bank takes an enterprise's leads: the branch serving the enterprise's
zone, else the bank's head office (DESIGN.md flow 6). The one home of that rule.

``routes_of`` reads a bank's branches and the zones they serve once, as a table
(:class:`BankRoutes`). Lead routing asks it for one enterprise's branch
(``services.leads.create.route_branch``); the financing policy asks it which enterprises
route to a relationship manager's branches (``routed_q``), so the matches an RM sees are
those whose leads would reach them (``permissions.matches_q``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from ecosystem.accounts.scope import EVERYTHING, NOTHING


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

    def routed_q(self, branch_ids: Iterable[int], *, bank_field: str, zone_field: str) -> Q:
        """Rows (of this bank: ``bank_field``) whose enterprise's zone (``zone_field``)
        routes to one of ``branch_ids``: the zones those branches take, and when the head
        office is one of them, every zone no branch of the bank serves."""
        branch_ids = set(branch_ids)
        parts = []
        if zones := sorted(z for z, branch in self.by_zone.items() if branch in branch_ids):
            parts.append(Q(**{f"{zone_field}__in": zones}))
        if self.head_office in branch_ids:
            served = sorted(self.by_zone)
            parts.append(~Q(**{f"{zone_field}__in": served}) if served else EVERYTHING)
        if not parts:
            return NOTHING
        return Q(**{bank_field: self.bank_id}) & reduce(or_, parts)


def routes_of(bank_ids: Iterable[int]) -> dict[int, BankRoutes]:
    """{bank id: its routing table} of ``bank_ids``, read in one query: a zone served by
    several branches of a bank routes to the first by (head office first, code), as the
    head office is the first by code among several."""
    from ecosystem.financing.models import Branch

    bank_ids = sorted(set(bank_ids))
    rows = (
        Branch.objects.filter(bank_id__in=bank_ids)
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


def routed_q(rm_branches: dict[int, Iterable[int]], *, bank_field: str, zone_field: str) -> Q:
    """Rows whose enterprise routes to one of the branches of ``rm_branches`` ({bank id:
    branch ids}), over every bank named: ``BankRoutes.routed_q`` of each."""
    routes = routes_of(rm_branches)
    parts = [
        routes[bank_id].routed_q(branch_ids, bank_field=bank_field, zone_field=zone_field)
        for bank_id, branch_ids in sorted(rm_branches.items())
    ]
    return reduce(or_, parts) if parts else NOTHING

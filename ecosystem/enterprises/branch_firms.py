"""A relationship manager's enterprise list, read a page at a time (issue #19).

An RM sees their branch's firms that consented to the bank (``permissions.bank_sees_q``):
firms in a zone the branch serves (for a head office, also the zones no branch serves,
routed to it), and firms with a lead in the branch. As one ``WHERE``
over the enterprise table that rule is a union of both id sets (27,000 ids for a branch
nationally), each joined back to its enterprise row and probed for consent before the
name sort: 350 ms for the API's first page and its count, most of it reading rows of
firms that turn out not to have consented.

Here the same set is read as two disjoint parts:

- **the served zones' firms**: for each zone, its firms in name order from the index
  ``enterprise_zone_name_order`` (zone, name, id), the consent probed as rows come, at
  most ``offset + page`` rows a zone; counted on the zone index, probed, without reading
  a row;
- **the branch's other firms**: those with a lead in the branch outside the served zones
  (the zone read from the index ``enterprise_id_zone``), with consent; a handful.

A page merges both by ``(name, id)``, the order of ``api.access.visible_enterprises``;
``tests/unit/test_branch_firm_list.py`` holds it equal to the rule's queryset page by page.
Only the list of a user whose whole view is one bank's branch rule
(``permissions.branch_only_reach``), unfiltered or searched by name or code (the search's
condition in both parts; "科技" in a branch's 20,000 firms took 470-730 ms as the
queryset), is read this way, and only on PostgreSQL (LATERAL); every other list is the
queryset.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from ecosystem.accounts.scope import scope_of
from ecosystem.core.paging import IdPages
from ecosystem.enterprises import permissions as policy
from ecosystem.enterprises.models import Consent, Enterprise
from ecosystem.enterprises.search import name_or_code_q

#: The served zones' part reads the enterprise table unaliased, so a search's condition
#: compiled by the ORM (``"enterprises_enterprise"."name" ...``) applies as it is.
_ZONE_PAGE = """
SELECT id FROM (
    SELECT f.id, f.name FROM unnest(%s::bigint[]) AS z(zone_id)
    CROSS JOIN LATERAL (
        SELECT {enterprise}.id, {enterprise}.name FROM {enterprise}
        WHERE {enterprise}.zone_id = z.zone_id AND {search} AND (
            SELECT c.enterprise_id FROM {consent} AS c
            WHERE c.enterprise_id = {enterprise}.id AND c.bank_id = %s
            AND c.revoked_at IS NULL
            LIMIT 1
        ) IS NOT NULL
        ORDER BY {enterprise}.name, {enterprise}.id
        LIMIT %s
    ) AS f
    UNION ALL
    SELECT e.id, e.name FROM {enterprise} AS e WHERE e.id = ANY(%s::bigint[])
) AS page
ORDER BY name, id
LIMIT %s OFFSET %s
"""


def _condition(q: Q) -> tuple[str, list]:
    """``q`` over the enterprise table's own columns as SQL, compiled by the ORM."""
    if not q:
        return "TRUE", []
    query = Enterprise.objects.filter(q).query
    compiler = query.get_compiler(connection=connection)
    sql, params = query.where.as_sql(compiler, connection)
    return sql, list(params)


class BranchFirmList(IdPages):
    """The firms an RM of ``bank_id`` sees through ``branch_ids``, in ``(name, id)`` order:
    ``count()`` and bounded slices of enterprise rows (what a ``Paginator`` takes)."""

    def __init__(
        self,
        bank_id: int,
        branch_ids,
        *,
        routed_zone_ids=(),
        cap: int | None = None,
        search: str = "",
    ):
        from ecosystem.zones.models import Zone

        self.bank_id = bank_id
        self.cap = cap
        #: The firms a search keeps (``search.name_or_code_q``), every one without.
        self.match = name_or_code_q(search) if search else Q()
        served = Zone.objects.filter(branches__in=branch_ids).values_list("pk", flat=True)
        # The zones served and those routed beyond them (``policy.rm_routed_zones``).
        self.zone_ids = sorted(set(served) | set(routed_zone_ids))
        # The leads' own enterprise column, not a join back to the enterprise table.
        lead_model = Enterprise._meta.get_field("leads").related_model
        with_lead = lead_model.objects.filter(branch_id__in=branch_ids).values("enterprise_id")
        self.other_ids = sorted(
            Enterprise.objects.filter(pk__in=with_lead)
            .exclude(zone_id__in=self.zone_ids)
            .filter(policy.consent_probe(bank_id))
            .filter(self.match)
            .values_list("pk", flat=True)
        )
        self._count: int | None = None

    def count(self) -> int:
        """The firms, exactly; at most ``cap + 1`` when a cap is set (the API's count)."""
        if self._count is None:
            in_zones = (
                Enterprise.objects.filter(zone_id__in=self.zone_ids)
                .filter(self.match)
                .filter(policy.consent_probe(self.bank_id))
            )
            if self.cap is not None:
                in_zones = in_zones.order_by()[: self.cap + 1]
            self._count = in_zones.count() + len(self.other_ids)
        return self._count

    __len__ = count

    def ids(self, offset: int, limit: int) -> list[int]:
        """Ids of the firms at ``offset``, in ``(name, id)`` order."""
        search, search_params = _condition(self.match)
        sql = _ZONE_PAGE.format(
            enterprise=connection.ops.quote_name(Enterprise._meta.db_table),
            consent=Consent._meta.db_table,
            search=search,
        )
        params = [self.zone_ids, *search_params, self.bank_id, offset + limit, self.other_ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def rows(self, ids: list[int]) -> dict:
        return Enterprise.objects.select_related("zone", "industry__section").in_bulk(ids)


def branch_firm_list(*, user, cap: int | None = None, search: str = "") -> BranchFirmList | None:
    """The RM's list read by parts, with ``search`` (a part of the name or code) the firms
    it finds, when the user's whole view of enterprises is one bank's branch rule and the
    database is PostgreSQL; ``None`` for everyone else (the caller lists
    ``enterprises_visible_to``)."""
    if connection.vendor != "postgresql":
        return None
    scope = scope_of(user)
    reach = policy.branch_only_reach(scope)
    if reach is None:
        return None
    bank_id, branch_ids = reach
    routed = policy.rm_routed_zones(scope).get(bank_id, ())
    return BranchFirmList(bank_id, branch_ids, routed_zone_ids=routed, cap=cap, search=search)

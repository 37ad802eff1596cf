"""A bank's matches page, read a page at a time (issue #19).

The page lists the matches of the products of the user's banks (every bank for a platform
admin: 1.5 million matches nationally) by product code, then indicative limit (highest
first), then id. Sorting the whole scope for each page took 2 s nationally. Each product's
matches are read in that order from the index ``match_product_limit_cover`` (product,
limit descending, id), at most ``offset + page`` rows a product, and only those rows are
sorted: the page costs what its position costs, not what the scope holds. Products of
several banks share codes, so the rows of one code are merged across products by the
outer sort, exactly as the whole-scope ``ORDER BY`` did.

The count and the total exposure the page shows are the products' match totals summed
(``match_totals``: a row per product, kept by every rematch), not an aggregate over the
scope's matches (an index-only scan of 1.5 million entries, ~200 ms a view nationally).

A relationship manager sees of a bank they do not manage only the matches whose leads
would route to their branches (``policy.routed_reach``): a few zones' firms of each of
the bank's products, which no per-product total counts. That part's count and exposure
are an aggregate over its matches; its page is read per product in the page's order with
a zone probe per match read, or, deep enough that the probes would cost more, from its
matches joined once and sorted (``BankMatchList._routed_ids``; docs/slow-pages.md,
session 18).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from ecosystem.accounts.scope import scope_of
from ecosystem.core.paging import IdPages
from ecosystem.financing import permissions as policy
from ecosystem.financing.match_totals import CENT, totals_of
from ecosystem.financing.models import Match, Product
from ecosystem.financing.selectors.matches import match_base

#: The page's order, as ``matches_for_bank`` states it.
ORDER = ("product__code", "-indicative_limit", "pk")

_PAGE_IDS = """
SELECT m.id FROM financing_product AS p
CROSS JOIN LATERAL (
    SELECT id, indicative_limit FROM financing_match
    WHERE product_id = p.id
    ORDER BY indicative_limit DESC, id
    LIMIT %s
) AS m
WHERE p.id IN ({products})
ORDER BY p.code, m.indicative_limit DESC, m.id
LIMIT %s OFFSET %s
"""


#: The same page where some products are seen in part (a relationship manager's: the
#: matches of the enterprises of the zones ``zones`` names; NULL: the product whole).
#: Each product's matches are read in the page's order and kept when their firm is in
#: the zones (a probe of ``enterprise_id_zone`` per match read), up to ``offset + page``.
_ROUTED_PAGE_IDS = """
SELECT m.id FROM (VALUES {values}) AS s (product_id, zones)
JOIN financing_product AS p ON p.id = s.product_id
CROSS JOIN LATERAL (
    SELECT x.id, x.indicative_limit FROM financing_match AS x
    WHERE x.product_id = s.product_id AND (s.zones IS NULL OR EXISTS (
        SELECT 1 FROM enterprises_enterprise AS e
        WHERE e.id = x.enterprise_id AND e.zone_id = ANY (s.zones)
    ))
    ORDER BY x.indicative_limit DESC, x.id
    LIMIT %s
) AS m
ORDER BY p.code, m.indicative_limit DESC, m.id
LIMIT %s OFFSET %s
"""

#: A deep page of the routed part: every routed match found at once (one hash join of
#: the products' matches with the zones' firms, fenced from the sort by ``MATERIALIZED``:
#: flattened, the planner walked the products by code and re-read the join for each),
#: then sorted. Used where the probes of ``_ROUTED_PAGE_IDS`` would cost more.
_DEEP_PAGE_IDS = """
WITH x AS MATERIALIZED ({matches})
SELECT x.id FROM x JOIN financing_product AS p ON p.id = x.product_id
ORDER BY p.code, x.indicative_limit DESC, x.id
LIMIT %s OFFSET %s
"""

#: How much dearer a probe per match read is than a match read by an index-only scan
#: (measured nationally: 540 probes 0.8 ms, 154,437 entries scanned 26 ms).
PROBE_COST = 3


class BankMatchList(IdPages):
    """The matches of ``products`` (seen whole) and those of ``routed`` (a relationship
    manager's part of banks, ``policy.routed_reach``: {bank: (product ids, zone ids)}) in
    the page's order: ``count()``, ``total_exposure`` and slices (what ``Paginator``
    takes) of ``match_base()`` rows."""

    def __init__(self, products: QuerySet[Product], routed: dict | None = None):
        self.products = products.order_by().values("pk")
        self.routed = routed or {}
        self._figures: tuple[int, Decimal] | None = None
        self._routed_n = 0

    def _totals(self) -> tuple[int, Decimal]:
        if self._figures is None:
            n, total = totals_of(self.products)
            if self.routed:
                routed = Match.objects.filter(policy.reach_q(self.routed)).aggregate(
                    n=Count("pk"), total=Sum("indicative_limit")
                )
                self._routed_n = routed["n"]
                n += routed["n"]
                total = (total + Decimal(routed["total"] or 0)).quantize(CENT)
            self._figures = n, total
        return self._figures

    def count(self) -> int:
        return self._totals()[0]

    __len__ = count

    @property
    def total_exposure(self) -> Decimal:
        return self._totals()[1]

    def ids(self, offset: int, limit: int) -> list[int]:
        """Ids of the matches at ``offset``, in the page's order."""
        if connection.vendor != "postgresql":  # SQLite (``make run``) has no LATERAL
            scope = Q(product__in=self.products) | policy.reach_q(self.routed)
            matches = Match.objects.filter(scope).order_by(*ORDER)
            return list(matches.values_list("pk", flat=True)[offset : offset + limit])
        if self.routed:
            return self._routed_ids(offset, limit)
        try:
            sql, params = self.products.query.sql_with_params()
        except EmptyResultSet:
            return []
        with connection.cursor() as cursor:
            cursor.execute(_PAGE_IDS.format(products=sql), [offset + limit, *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _routed_ids(self, offset: int, limit: int) -> list[int]:
        """The page's ids where some products are seen in part. A routed match is one in
        ``share`` of its product's (the routed count over the products' matches): reading
        each product up to ``offset + limit`` routed matches probes ``(offset + limit) /
        share`` of its matches, while ``_DEEP_PAGE_IDS`` scans them all once, at a
        ``PROBE_COST``-th of the price each; the cheaper is taken, which comes to
        comparing ``PROBE_COST`` × products × ``(offset + limit)`` with the routed count."""
        routed_products = [pk for products, _zones in self.routed.values() for pk in products]
        self._totals()
        if PROBE_COST * len(routed_products) * (offset + limit) > self._routed_n:
            return self._deep_ids(offset, limit)
        whole = list(self.products.values_list("pk", flat=True))
        rows = [(pk, None) for pk in whole]
        rows += [(pk, zones) for products, zones in self.routed.values() for pk in products]
        values = ", ".join(["(%s::bigint, %s::bigint[])"] * len(rows))
        params = [value for row in rows for value in row]
        with connection.cursor() as cursor:
            cursor.execute(
                _ROUTED_PAGE_IDS.format(values=values), [*params, offset + limit, limit, offset]
            )
            return [row[0] for row in cursor.fetchall()]

    def _deep_ids(self, offset: int, limit: int) -> list[int]:
        scope = Q(product__in=self.products) | policy.reach_q(self.routed)
        matches = Match.objects.filter(scope).order_by()
        matches = matches.values("id", "product_id", "indicative_limit")
        sql, params = matches.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(_DEEP_PAGE_IDS.format(matches=sql), [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def rows(self, ids: list[int]) -> dict:
        return match_base().order_by().in_bulk(ids)


def bank_match_list(*, user, product: Product | None = None) -> BankMatchList:
    """The page's list of ``matches_for_bank(user=user, product=product)``: the banks the
    user sees whole by their products' totals, the routed part by its matches."""
    scope = scope_of(user)
    products = Product.objects.filter(policy.whole_banks_q(scope, field="bank_id"))
    routed = policy.routed_reach(scope)
    if product is not None:
        products = products.filter(pk=product.pk)
        routed = {
            bank_id: ([product.pk], zones)
            for bank_id, (ids, zones) in routed.items()
            if product.pk in ids
        }
    return BankMatchList(products, routed)

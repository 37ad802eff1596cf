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
would route to their branches (``policy.routed_matches_q``): a few zones' firms, not a
whole product. That part is read by its firms' zones, counted and sorted whole (a
branch's share of a bank; nationally one zone of fifty).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from ecosystem.accounts.scope import NOTHING, scope_of
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


class BankMatchList(IdPages):
    """The matches of ``products`` (seen whole) and those ``routed`` names (a relationship
    manager's part of a bank, ``policy.routed_matches_q``) in the page's order:
    ``count()``, ``total_exposure`` and slices (what ``Paginator`` takes) of
    ``match_base()`` rows."""

    def __init__(self, products: QuerySet[Product], routed: Q | None = None):
        self.products = products.order_by().values("pk")
        self.routed = routed
        self._figures: tuple[int, Decimal] | None = None

    def _totals(self) -> tuple[int, Decimal]:
        if self._figures is None:
            n, total = totals_of(self.products)
            if self.routed is not None:
                routed = Match.objects.filter(self.routed).aggregate(
                    n=Count("pk"), total=Sum("indicative_limit")
                )
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
        if self.routed is not None or connection.vendor != "postgresql":
            # A relationship manager's part is a few zones of a bank (a branch's: 1/50 of
            # the bank's matches nationally), found by its firms' zones and sorted whole;
            # SQLite (``make run``) has no LATERAL.
            scope = Q(product__in=self.products)
            if self.routed is not None:
                scope |= self.routed
            matches = Match.objects.filter(scope).order_by(*ORDER)
            return list(matches.values_list("pk", flat=True)[offset : offset + limit])
        try:
            sql, params = self.products.query.sql_with_params()
        except EmptyResultSet:
            return []
        with connection.cursor() as cursor:
            cursor.execute(_PAGE_IDS.format(products=sql), [offset + limit, *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def rows(self, ids: list[int]) -> dict:
        return match_base().order_by().in_bulk(ids)


def bank_match_list(*, user, product: Product | None = None) -> BankMatchList:
    """The page's list of ``matches_for_bank(user=user, product=product)``: the banks the
    user sees whole by their products' totals, the routed part by its matches."""
    scope = scope_of(user)
    products = Product.objects.filter(policy.whole_banks_q(scope, field="bank_id"))
    routed = policy.routed_matches_q(scope)
    if product is not None:
        products = products.filter(pk=product.pk)
    if routed is NOTHING:
        return BankMatchList(products)
    return BankMatchList(products, routed & Q(product=product) if product else routed)

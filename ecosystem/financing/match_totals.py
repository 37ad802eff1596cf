"""The bank's matches page's figures kept per product (``ProductMatchTotal``): how many
matches a product has and the sum of their indicative limits, so the page's count and
total exposure add up a row per product of the user's banks (60 for the platform admin)
instead of aggregating every match of them (1,538,320 nationally, about 200 ms a view).

How it stays exact (``docs/summary-tables.md``):

- **One home**: every match is written by ``eligibility.matcher.rematch`` (one firm's
  rematch: ``firm_write.upsert_all``; a range, a product, many firms:
  ``matcher._write_found``). On PostgreSQL each of its writing statements returns what it
  changed per product (:func:`inserted`, :func:`updated`, :func:`deleted`): the rows it
  inserted (``ON CONFLICT DO NOTHING``: a row a concurrent rematch inserted first is that
  rematch's to count, and the update that follows sees it), the rows it updated with their
  limit before, read under the row's lock (``FOR UPDATE`` re-reads the version the update
  replaces, even one a concurrent rematch committed after the statement's snapshot), and
  the rows it deleted with their limit. The changes are those of the rows actually
  written, whatever runs beside. Elsewhere (SQLite for ``make run``: one writer at a time)
  the scope's totals are read before and after its writes (:func:`scope_totals`).
- :func:`totals_apply` adds a rematch's changes to the rows in product order, in one
  statement, as the rematch's **last** statement: the rows' locks are taken after every
  other lock the rematch takes (the chain and ecosystem counters' bucket locks, the
  funnel's rows) and held only until its commit, so parallel ``rematch_range`` workers, a
  firm's rematch and a product's queue briefly on a product's row and never deadlock.
- **Writes past the rematch** (tests' ``bulk_create``, a world loaded in bulk, an
  enterprise or a product version deleted, whose matches go by cascade; a product deleted
  takes its row along): :func:`rebuild` (``manage.py rebuild_summaries``,
  ``--match-totals`` alone; ``bench.world``'s upgrade of a version 7 world);
  ``--check`` and the nightly check compare with a recount (:func:`drift`,
  ``match_totals``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum

from ecosystem.core.db import add_rows
from ecosystem.core.drift import table_drift
from ecosystem.financing.models import Match, ProductMatchTotal

TOTALS = ProductMatchTotal._meta.db_table
MATCHES = Match._meta.db_table
CENT = Decimal("0.01")

#: What a counted statement returns, per product: (product id, change of the number of
#: matches, change of their limits' sum, rows written).
_PER_PRODUCT = "SELECT product_id, {matches}, {exposure}, count(*) FROM w GROUP BY product_id"


def inserted(insert_sql: str) -> str:
    """``insert_sql`` (an ``INSERT`` of matches, ``ON CONFLICT … DO NOTHING``) returning its
    changes per product (PostgreSQL)."""
    per_product = _PER_PRODUCT.format(matches="count(*)", exposure="sum(indicative_limit)")
    return f"WITH w AS ({insert_sql} RETURNING product_id, indicative_limit) {per_product}"


def deleted(delete_sql: str) -> str:
    """``delete_sql`` (a ``DELETE`` of matches) returning its changes per product
    (PostgreSQL)."""
    per_product = _PER_PRODUCT.format(matches="-count(*)", exposure="-sum(indicative_limit)")
    return f"WITH w AS ({delete_sql} RETURNING product_id, indicative_limit) {per_product}"


def updated(source: str, computed_at: str = "%s") -> str:
    """The ``UPDATE`` of the stored matches whose figures differ from ``source``'s (a
    relation of ``enterprise_id, version_id, m_limit, m_score, declared``), returning its
    changes per product (PostgreSQL). Each row's limit before is read under its lock:
    the version this update replaces, and a row a concurrent rematch made equal since the
    snapshot is left alone (the lock re-checks the difference)."""
    per_product = _PER_PRODUCT.format(matches="0", exposure="sum(indicative_limit - was)")
    return (
        f"WITH w AS (UPDATE {MATCHES} m SET indicative_limit = c.m_limit, "  # noqa: S608 - ours
        f"score = c.m_score, figures_declared = c.declared, computed_at = {computed_at} "
        "FROM (SELECT x.enterprise_id, x.product_version_id, x.indicative_limit AS was, "
        "s.m_limit, s.m_score, s.declared "
        f"FROM {source} JOIN {MATCHES} x ON x.enterprise_id = s.enterprise_id "
        "AND x.product_version_id = s.version_id "
        "WHERE x.indicative_limit <> s.m_limit OR x.score <> s.m_score "
        "OR x.figures_declared <> s.declared "
        # locked in the order every rematch writes matches in (the inserts' order too)
        "ORDER BY x.enterprise_id, x.product_version_id FOR UPDATE OF x) c "
        # the match's key (never updated), as the subquery's join: its unique index, whatever
        # the statistics say (the id took a full scan of another index per row when the
        # table was analysed empty)
        "WHERE m.enterprise_id = c.enterprise_id AND m.product_version_id = c.product_version_id "
        f"RETURNING m.product_id, m.indicative_limit, c.was) {per_product}"
    )


class Changes:
    """A rematch's changes to the totals: {product id: [matches, exposure]}, and the rows
    it inserted or updated (``written``) and deleted."""

    def __init__(self) -> None:
        self.by_product: dict[int, list] = defaultdict(lambda: [0, Decimal(0)])
        self.written = 0
        self.deleted = 0

    def add(self, rows, *, deleting: bool = False) -> None:
        """Add a counted statement's rows (``_PER_PRODUCT``)."""
        for product_id, matches, exposure, n in rows:
            change = self.by_product[product_id]
            change[0] += matches
            change[1] += Decimal(exposure or 0)
            if deleting:
                self.deleted += n
            else:
                self.written += n

    def difference(self, before: dict, after: dict) -> None:
        """Add ``after`` less ``before`` ({product id: (matches, exposure)}: a scope's
        totals read around its writes, where one writer runs at a time)."""
        for product_id in set(before) | set(after):
            was, now = before.get(product_id, (0, 0)), after.get(product_id, (0, 0))
            change = self.by_product[product_id]
            change[0] += now[0] - was[0]
            change[1] += Decimal(now[1]) - Decimal(was[1])


def scope_totals(scope: QuerySet[Match]) -> dict[int, tuple[int, Decimal]]:
    """{product id: (matches, sum of limits)} of ``scope`` (a ``Match`` queryset)."""
    rows = (
        scope.order_by()
        .values_list("product_id")
        .annotate(n=Count("pk"), total=Sum("indicative_limit"))
    )
    return {pk: (n, Decimal(total or 0).quantize(CENT)) for pk, n, total in rows}


def totals_apply(changes: Changes) -> None:
    """Add ``changes`` to the products' rows, in product order, in one statement (the
    rematch's last: see the module's docstring)."""
    rows = [
        (pk, matches, Decimal(exposure).quantize(CENT))
        for pk, (matches, exposure) in sorted(changes.by_product.items())
        if matches or exposure
    ]
    if not rows:  # the usual firm's rematch: nothing moved, no cursor opened
        return
    with connection.cursor() as cursor:
        add_rows(
            cursor,
            TOTALS,
            ("product_id",),
            ("matches", "exposure"),
            [((pk,), (matches, exposure)) for pk, matches, exposure in rows],
        )


# ---- what the page reads ---------------------------------------------------------------------


def totals_of(products) -> tuple[int, Decimal]:
    """The number of matches of ``products`` (a ``Product`` values query of pks, or ids)
    and the sum of their indicative limits: a row per product."""
    figures = ProductMatchTotal.objects.filter(product__in=products).aggregate(
        n=Sum("matches"), total=Sum("exposure")
    )
    return figures["n"] or 0, Decimal(figures["total"] or 0).quantize(CENT)


# ---- recount, drift, rebuild -------------------------------------------------------------------


def recount() -> dict[int, tuple[int, Decimal]]:
    """The rows as the matches make them: {product id: (matches, sum of limits)}."""
    return scope_totals(Match.objects.all())


def stored() -> dict[int, tuple[int, Decimal]]:
    """The rows as they are, rows counting nothing left out."""
    return {
        pk: (n, Decimal(total).quantize(CENT))
        for pk, n, total in ProductMatchTotal.objects.values_list("pk", "matches", "exposure")
        if n or total
    }


def drift() -> dict:
    """How the stored rows differ from a recount (``summary_recount.summaries_drift``):
    key ``match_totals``."""
    return table_drift(("match_totals",), [recount()], [stored()])


def rebuild() -> dict:
    """Replace the rows by a recount, in one transaction, under the table's lock (readers
    pass). A rematch adds its changes as its last statement before its commit: one that
    added them before the lock has committed before the recount reads (the lock waits for
    it); one that adds them after waits for the rebuild's commit and adds them to a
    recount that did not see its matches."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {TOTALS} IN EXCLUSIVE MODE")
        ProductMatchTotal.objects.all().delete()
        totals = recount()
        ProductMatchTotal.objects.bulk_create(
            ProductMatchTotal(product_id=pk, matches=n, exposure=total)
            for pk, (n, total) in totals.items()
        )
    return {"match_total_rows": len(totals)}

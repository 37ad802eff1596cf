"""The summary reads that are written in SQL of their own (PostgreSQL): a scope's
breakdowns labelled after the grouping, and several breakdowns with the totals from one
statement (``GROUPING SETS``). ``insights.summary`` decides when to use them; each
returns what the plain ORM query it replaces returns (``test_summary_read_together``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import DecimalField

from ecosystem.financing.models import ChainLeadSummary, LeadSummary
from ecosystem.insights.ahead import CHAIN_LEAD_KEY

if TYPE_CHECKING:
    from ecosystem.insights.scope import SummaryScope

#: Dimension → (summary column, lead column, label lookups on the summary row).
DIMENSIONS = {
    "product": ("product_id", "product_id", ("product__name_zh", "product__name_en")),
    "zone": ("zone_id", "zone_id", ("zone__name_zh", "zone__name_en")),
    "branch": ("branch_id", "branch_id", ("branch__name_zh", "branch__name_en")),
    "bank": ("bank_id", "bank_id", ("bank__name_zh", "bank__name_en")),
    # Read from the chain tables (``ChainLeadSummary``); a lead counts once per chain
    # its enterprise sits on.
    "chain": (
        "chain_id",
        CHAIN_LEAD_KEY,
        ("chain__name_zh", "chain__name_en"),
    ),
}
#: The chains' rows come in the chains' own order, not by label.
CHAIN_ORDER = ("chain__position", "chain__code")


def together_here() -> bool:
    return connection.vendor == "postgresql"  # GROUPING SETS


def labelled_after(scope: SummaryScope, dimension: str, sums: dict) -> list[dict]:
    """The rows of ``summary.group_rows``' query (``values(key, labels).annotate(sums)``, ordered
    by label and key or the chains' order) with the rows grouped by the key alone and
    the labels joined to the groups: the query hashed every summary row by its key and
    labels (the chains' 50,338 rows nationally, by five columns, two of them text).
    The same inner join (a key naming no row of the label table has no group), sums,
    order and types."""
    key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
    chains = dimension == "chain"
    order = CHAIN_ORDER if chains else ()
    names = list(sums)
    grouped, params = (
        scope.summary(chains=chains)
        .values(key)
        .annotate(**sums)
        .values_list(key, *names)
        .order_by()
        .query.sql_with_params()
    )
    model = ChainLeadSummary if chains else LeadSummary
    table = model._meta.get_field(label_zh.split("__")[0]).related_model._meta.db_table
    labels = [name.split("__")[1] for name in (label_zh, label_en, *order)]
    columns = ", ".join(["k", *(f"s{i}" for i in range(len(names)))])
    ordering = [f"j.{name.split('__')[1]}" for name in order] or ["j." + labels[0], "t.k"]
    query = (
        f"SELECT t.*, {', '.join('j.' + name for name in labels)} "  # noqa: S608 - our names, Django's SQL
        f"FROM ({grouped}) AS t ({columns}) JOIN {table} j ON j.id = t.k "
        f"ORDER BY {', '.join(ordering)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        found = cursor.fetchall()
    out = []
    for row in found:
        figures = dict(zip(names, row[1 : 1 + len(names)], strict=True))
        labelled = dict(zip((label_zh, label_en, *order), row[1 + len(names) :], strict=True))
        out.append({key: row[0], **labelled, **figures})
    return out


def read_together(scope: SummaryScope, sums: dict) -> None:
    """``summary.group_rows`` of every breakdown of ``scope.together`` (not the chains) and
    ``summary._totals``, from one statement: the scope's summary rows added up per cell of
    those keys, then the cells per breakdown and in all (``GROUPING SETS``), each
    breakdown's labels joined to its groups. The same rows, sums and order as the
    queries it replaces (a group whose key names no row of its label table left out, as
    their inner join does; the totals over every row)."""
    dimensions = scope.together
    keys = [DIMENSIONS[d][0] for d in dimensions]
    names = list(sums)
    cells, params = (
        scope.summary()
        .values(*keys)
        .annotate(**sums)
        .values_list(*keys, *names)
        .order_by()
        .query.sql_with_params()
    )
    columns = [f"k{i}" for i in range(len(keys))] + [f"s{i}" for i in range(len(names))]

    def added(i: int, name: str) -> str:
        source = sums[name].get_source_expressions()[0].name
        decimal = isinstance(LeadSummary._meta.get_field(source), DecimalField)
        return f"SUM(s{i})" if decimal else f"CAST(SUM(s{i}) AS BIGINT)"

    every = (1 << len(keys)) - 1
    sets = [every & ~(1 << (len(keys) - 1 - i)) for i in range(len(keys))]
    joins, found, labels_zh, labels_en = [], [], [], []
    for i, dimension in enumerate(dimensions):
        _key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
        field = LeadSummary._meta.get_field(label_zh.split("__")[0])
        table = field.related_model._meta.db_table
        zh, en = label_zh.split("__")[1], label_en.split("__")[1]
        joins.append(f"LEFT JOIN {table} j{i} ON t.g = {sets[i]} AND j{i}.id = t.k{i}")
        found.append(f"j{i}.id IS NOT NULL")
        labels_zh.append(f"j{i}.{zh}")
        labels_en.append(f"j{i}.{en}")
    grouped = ", ".join(f"(k{i})" for i in range(len(keys)))
    query = (
        f"SELECT t.*, COALESCE({', '.join(labels_zh)}), COALESCE({', '.join(labels_en)}) "  # noqa: S608 - our names, Django's SQL
        f"FROM (SELECT GROUPING({', '.join(columns[: len(keys)])}) AS g, "
        f"{', '.join(columns[: len(keys)])}, "
        f"{', '.join(added(i, name) for i, name in enumerate(names))} "
        f"FROM ({cells}) AS c ({', '.join(columns)}) "
        f"GROUP BY GROUPING SETS ({grouped}, ())) AS t {' '.join(joins)} "
        f"WHERE t.g = {every} OR {' OR '.join(found)} "
        f"ORDER BY t.g, {len(keys) + len(names) + 2}, COALESCE({', '.join(columns[: len(keys)])})"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        found_rows = cursor.fetchall()
    groups: dict = {d: [] for d in dimensions}
    for row in found_rows:
        g, ids, figures = row[0], row[1 : 1 + len(keys)], row[1 + len(keys) : -2]
        values = dict(zip(names, figures, strict=True))
        if g == every:
            scope._groups["totals"] = values
            continue
        i = sets.index(g)
        key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimensions[i]]
        groups[dimensions[i]].append({key: ids[i], label_zh: row[-2], label_en: row[-1], **values})
    scope._groups.setdefault("totals", {name: None for name in names})
    for dimension, rows in groups.items():
        scope._groups[("rows", dimension)] = rows

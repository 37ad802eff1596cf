"""The duration histograms summed per breakdown (``LeadDurationRollup``): what a dashboard's
"by product", "by zone", "by branch", "by bank", "by chain" and overall medians read,
instead of grouping the whole (bank, branch, product, zone) histogram per request.

One definition, :func:`rollup_changes`, turns changes of the histograms
(``LeadDuration``, ``ChainLeadDuration``) into changes of the rollup: the lead moves add
it in the same transaction (``summary.summary_apply``), the recount applies it to the
recounted histograms (so the rollup is held to a recount of the leads by
``rebuild_summaries --check``), and :func:`rollup_rebuild` to the stored ones (a world
built before the table existed gets it without a recount of every lead).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection, transaction

from ecosystem.core.db import add_row_by_row, add_rows
from ecosystem.financing.models import ChainLeadDuration, LeadDuration, LeadDurationRollup

D = LeadDurationRollup.Dimension
K = LeadDuration.Kind
#: Every bank (``LeadDurationRollup.within_bank``).
EVERY_BANK = 0
#: The kinds kept per product, branch, zone and chain (response seconds: overall only).
HOURS = (K.CONTACT_HOURS, K.DECISION_HOURS)
COLUMNS = ("dimension", "within_bank", "group_key", "kind", "value")


def rollup_changes(durations, chain_durations) -> Counter:
    """{(dimension, within_bank, group_key, kind, value): change} from changes of the
    histograms: ``durations`` {(kind, bank, branch, product, zone, value): change},
    ``chain_durations`` {(kind, chain, bank, branch, product, zone, value): change}."""
    out: Counter = Counter()
    for (kind, bank, branch, product, zone, value), change in durations.items():
        if not change:
            continue
        for level in (EVERY_BANK, bank):
            out[(D.OVERALL, level, 0, kind, value)] += change
            if kind in HOURS:
                out[(D.PRODUCT, level, product, kind, value)] += change
                out[(D.BRANCH, level, branch, kind, value)] += change
                out[(D.ZONE, level, zone, kind, value)] += change
    for (kind, chain, bank, *_rest, value), change in chain_durations.items():
        if change and kind in HOURS:
            for level in (EVERY_BANK, bank):
                out[(D.CHAIN, level, chain, kind, value)] += change
    return out


def rollup_of(durations: dict, chain_durations: dict) -> dict:
    """The rollup of whole histograms, rows that count nothing left out."""
    return {key: n for key, n in rollup_changes(durations, chain_durations).items() if n}


def rollup_apply(cursor, changes: Counter) -> None:
    """Add ``changes`` (:func:`rollup_changes`) to the table, in key order."""
    table = LeadDurationRollup._meta.db_table
    rows = [(key, (changes[key],)) for key in sorted(changes) if changes[key]]
    if connection.vendor != "postgresql":  # SQLite: the covering unique key is not made there
        add_row_by_row(cursor, table, COLUMNS, ("leads",), rows)
    else:
        add_rows(cursor, table, COLUMNS, ("leads",), rows)


def rollup_stored() -> dict:
    """The table as it is, rows that count nothing left out."""
    from ecosystem.financing.summary import MICRO  # (``summary`` imports this module)

    rows = LeadDurationRollup.objects.exclude(leads=0).values_list(*COLUMNS, "leads")
    return {(d, b, g, k, v.quantize(MICRO)): n for d, b, g, k, v, n in rows.iterator()}


def rollup_write(rollup: dict) -> None:
    """Write a computed rollup into the (empty) table."""
    LeadDurationRollup.objects.bulk_create(
        (
            LeadDurationRollup(**dict(zip(COLUMNS, key, strict=True)), leads=n)
            for key, n in rollup.items()
        ),
        batch_size=5000,
    )


def stored_histograms() -> tuple[dict, dict]:
    """The histogram tables as they are, keyed as :func:`rollup_changes` takes them."""
    dims = ("bank_id", "branch_id", "product_id", "zone_id")
    plain = LeadDuration.objects.exclude(leads=0).values_list("kind", *dims, "value", "leads")
    chain = ChainLeadDuration.objects.exclude(leads=0).values_list(
        "kind", "chain_id", *dims, "value", "leads"
    )
    return (
        {tuple(row[:-1]): row[-1] for row in plain.iterator(chunk_size=20000)},
        {tuple(row[:-1]): row[-1] for row in chain.iterator(chunk_size=20000)},
    )


def rollup_rebuild() -> int:
    """The rollup replaced by the sums of the stored histograms, under the histograms'
    locks (no lead move lands in between); the rows written."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE financing_leadduration, financing_chainleadduration, "
                    "financing_leaddurationrollup"
                )
        LeadDurationRollup.objects.all().delete()
        rollup = rollup_of(*stored_histograms())
        rollup_write(rollup)
    return len(rollup)

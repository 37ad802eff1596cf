"""The medians and 90th percentiles read from the duration rollup
(``insights.histograms.rollup_histograms``) equal ``statistics`` over every lead's value,
for groups of every size from one lead up, values shared by several leads, rows counting
nothing (left at 0 by the lead moves), rows stored out of the value order, one bank,
every bank, several banks summed, and the "by bank" and overall breakdowns."""

from __future__ import annotations

import random
import statistics
from decimal import Decimal

import pytest
from django.db import connection

from ecosystem.financing.models import LeadDuration, LeadDurationRollup
from ecosystem.insights.decision import median_and_p90
from ecosystem.insights.histograms import (
    EVERY_BANK,
    hours_median_and_p90,
    micro_of,
    rollup_histograms,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the rollup's reads"),
]
D = LeadDurationRollup.Dimension
K = LeadDuration.Kind
KINDS = (K.CONTACT_HOURS, K.DECISION_HOURS)
BANKS = (7, 8, 9)


def _value(rng: random.Random) -> Decimal:
    # few distinct values, so several leads share one; six decimals as the column keeps
    return Decimal(rng.randrange(0, 4000)).scaleb(-2) + Decimal(rng.randrange(0, 999999)).scaleb(
        -6
    ) * (rng.random() < 0.3)


def _world(rng: random.Random) -> dict:
    """Rollup rows written in random order; {(dimension, bank, group, kind): [value per
    lead]} as the leads would give them."""
    leads: dict = {}
    rows: dict = {}
    for bank in BANKS:
        for group in range(1, 31):  # group g of a bank: g - 1 leads or so
            for kind in KINDS:
                size = (group - 1) if kind == K.CONTACT_HOURS else rng.randrange(0, 12)
                values = [_value(rng) for _ in range(size)]
                if values and rng.random() < 0.3:
                    values += [values[0]] * rng.randrange(1, 4)  # a value shared
                for dimension, key in ((D.BRANCH, group), (D.OVERALL, 0)):
                    for level in (EVERY_BANK, bank):
                        leads.setdefault((dimension, level, key, kind), []).extend(values)
                        for value in values:
                            row = (dimension, level, key, kind, value)
                            rows[row] = rows.get(row, 0) + 1
                if rng.random() < 0.4:  # a row whose leads all moved on
                    rows.setdefault((D.BRANCH, bank, group, kind, _value(rng)), 0)
                    rows.setdefault((D.BRANCH, EVERY_BANK, group, kind, _value(rng)), 0)
    shuffled = list(rows.items())
    rng.shuffle(shuffled)  # stored out of the index's order
    LeadDurationRollup.objects.bulk_create(
        LeadDurationRollup(dimension=d, within_bank=b, group_key=g, kind=k, value=v, leads=n)
        for (d, b, g, k, v), n in shuffled
    )
    return leads


def _expected(values: list[Decimal]):
    """What the lead-by-lead figures compute: ``statistics`` over the sorted values."""
    ordered = sorted(values)
    median = statistics.median(ordered)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[-1] if len(ordered) > 1 else None
    return median, p90


def _check(found: dict, expected: dict) -> int:
    """Every group with a lead is found with the figures of its leads; no other."""
    wanted = {key: values for key, values in expected.items() if values}
    assert set(found) == set(wanted)
    for key, values in wanted.items():
        histogram = found[key]
        assert histogram.n == len(values), key
        median, p90 = _expected(values)
        assert histogram.median() == median, key
        if p90 is not None:
            assert histogram.p90() == p90, key
        assert hours_median_and_p90(histogram) == median_and_p90(values), key
    return len(wanted)


@pytest.mark.parametrize(
    ("seed", "plan"),
    [(1, ""), (2, ""), (3, "no index")],
)
def test_order_statistics_equal_statistics_over_every_lead(seed, plan):
    leads = _world(random.Random(seed))
    if plan == "no index":
        # The values' order is the query's, not the plan's: read without the unique
        # index's order (the rows hashed into groups as they lie in the table).
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; "
                "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"
            )

    def summed(dimension, banks, key_of):
        out: dict = {}
        for (d, level, group, kind), values in leads.items():
            if d == dimension and level in banks:
                out.setdefault((key_of(level, group), kind), []).extend(values)
        return out

    # every bank, by branch: the admin's dashboard
    found = rollup_histograms((EVERY_BANK,), "branch", KINDS)
    # 30 branches × 2 kinds but branch 1's contact: no lead, no figures
    assert _check(found, summed(D.BRANCH, (EVERY_BANK,), lambda b, g: g)) == 59
    # one bank; several banks summed (a manager of two banks); a few branches only
    assert _check(rollup_histograms((8,), "branch", KINDS), summed(D.BRANCH, (8,), lambda b, g: g))
    assert _check(
        rollup_histograms((7, 9), "branch", KINDS), summed(D.BRANCH, (7, 9), lambda b, g: g)
    )
    only = {key: v for key, v in summed(D.BRANCH, (8,), lambda b, g: g).items() if key[0] < 5}
    assert _check(rollup_histograms((8,), "branch", KINDS, groups=[1, 2, 3, 4]), only)
    # by bank: the overall rows within each bank; and overall, one group (None)
    assert _check(
        rollup_histograms((EVERY_BANK,), "bank", KINDS), summed(D.OVERALL, BANKS, lambda b, g: b)
    )
    assert _check(
        rollup_histograms((EVERY_BANK,), None, KINDS),
        summed(D.OVERALL, (EVERY_BANK,), lambda b, g: None),
    )


def test_a_group_of_one_two_and_three_leads_and_one_of_none():
    def write(values_counts) -> dict:
        LeadDurationRollup.objects.all().delete()
        LeadDurationRollup.objects.bulk_create(
            LeadDurationRollup(
                dimension=D.BRANCH,
                within_bank=EVERY_BANK,
                group_key=1,
                kind=K.DECISION_HOURS,
                value=Decimal(value),
                leads=n,
            )
            for value, n in values_counts
        )
        return rollup_histograms((EVERY_BANK,), "branch", KINDS)

    one = write([("2.5", 0), ("3.25", 1), ("4", 0)])[(1, K.DECISION_HOURS)]
    assert (one.n, one.median()) == (1, Decimal("3.25"))
    assert hours_median_and_p90(one) == (Decimal("3.2"), Decimal("3.2"))
    two = write([("1", 1), ("2", 0), ("4", 1)])[(1, K.DECISION_HOURS)]
    assert (two.median(), two.p90()) == (Decimal("2.5"), Decimal("3.7"))
    three = write([("1", 2), ("10.000001", 1)])[(1, K.DECISION_HOURS)]
    assert (three.median(), three.p90()) == (Decimal("1"), Decimal("8.2000008"))
    assert write([("1", 0), ("2", 0)]) == {}  # every lead moved on: no figures


def test_values_are_read_as_exact_micro_units_whatever_their_decimals():
    for text in ("3.250000", "-12.5", "17", "0.000001", "123456789012.999999"):
        assert micro_of(text) == int(Decimal(text).scaleb(6)), text

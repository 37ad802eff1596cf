"""The products' match totals under concurrent rematches, on PostgreSQL (committed
transactions, a connection per thread).

- The full rematch's workers (``rematch_range`` over disjoint ranges) run at once with
  firms' rematches and a product's rematch over the same firms: none fails (no deadlock
  on a product's row: each rematch adds its totals last, in product order) and the totals
  equal a recount after every round.
- The worst interleaving on one match, forced: a firm's rematch has written the match
  and holds it uncommitted while a range's rematch, on newer figures, writes the same
  match (updated, inserted, deleted by the first). The second must count the change from
  the version the first committed, not from the one its snapshot saw; the later figures
  stand, as before the totals existed. A count from the rows read before the write (or an
  upsert without the lock) is off by the first's change: this test fails then."""

from __future__ import annotations

import random
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.financing import match_totals, services, tasks
from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.models import Match
from tests.factories import (
    BankManagerFactory,
    EnterpriseFactory,
    FinancialYearFactory,
    ProgramFactory,
    QualificationClaimFactory,
    ZoneFactory,
)
from tests.worlds.concurrency import _backend_pid, _waits_on_a_lock, run_together
from tests.worlds.financing import TERMS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
#: A limit of 15 % of revenue plus 500,000 per qualification: revenue 10 M gives 2 M.
SHARE = {
    "limit_basis": "revenue_share",
    "limit_factor": Decimal("0.1500"),
    "min_rd_intensity": None,
    "programs_any": ["hte"],
}


def _world(firms: int, products: int):
    zone, hte = ZoneFactory(), ProgramFactory(code="hte")
    manager = BankManagerFactory()
    bank = manager.memberships.first().bank
    saved = [
        services.product_save(
            bank=bank,
            actor=manager,
            code=f"p{i}",
            name_zh=f"产品{i}",
            kind="unsecured",
            **{**TERMS, **SHARE, "limit_factor": Decimal("0.1500") + Decimal("0.0500") * i},
        ).product
        for i in range(products)
    ]
    enterprises = []
    for i in range(firms):
        firm = EnterpriseFactory(zone=zone, founded_on=date(2015, 3, 1))
        FinancialYearFactory(
            enterprise=firm,
            year=2025,
            revenue=Decimal(10_000_000 + 100_000 * i),
            total_costs=Decimal(90_000_000),
            verification_status="verified",
        )
        QualificationClaimFactory(
            enterprise=firm, program=hte, certificate_number="GR1", year=2025, status="verified"
        )
        enterprises.append(firm)
    rematch()
    return saved, enterprises


def _revenue(firm_ids, revenue) -> None:
    FinancialYear.objects.filter(enterprise_id__in=firm_ids).update(revenue=revenue)


def _assert_equal_to_a_recount() -> None:
    assert match_totals.stored() == match_totals.recount()


def test_parallel_range_workers_firms_and_a_product_rematched_at_once(require_postgres):
    products, firms = _world(firms=48, products=4)
    ids = [f.pk for f in firms]
    rng = random.Random(19)
    for _round in range(4):
        for firm_id in rng.sample(ids, 30):  # new limits, some firms out of every product
            _revenue([firm_id], Decimal(rng.choice([0, 5_000_000, 20_000_000, 60_000_000])))
        QualificationClaim.objects.filter(enterprise_id__in=rng.sample(ids, 4)).update(
            status=rng.choice(["verified", "revoked"])
        )
        low, step = ids[0], 12
        calls = [
            (lambda lo=lo: tasks.rematch_range(lo, lo + step))
            for lo in range(low, ids[-1] + 1, step)
        ]
        calls += [
            (lambda pk=pk: services.rematch_enterprise_now(enterprise_id=pk))
            for pk in rng.sample(ids, 3)
        ]
        calls.append(lambda: tasks.rematch_product(rng.choice(products).pk))
        results = run_together(*calls)
        assert all(isinstance(r, int) for r in results), results
        _assert_equal_to_a_recount()
    assert Match.objects.exists()


def _first_holds_second_writes(first, between, second) -> list:
    """Run ``first`` in a transaction held open after it (its writes uncommitted), then
    ``between`` (committed), then ``second`` in another thread until it waits on a lock
    the first holds; then let the first commit and the second finish."""
    wrote, release = threading.Event(), threading.Event()
    results: dict = {}
    pids: dict = {}

    def hold():
        try:
            with transaction.atomic():
                results["first"] = first()
                wrote.set()
                release.wait(30)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results["first"] = exc
            wrote.set()
        finally:
            connection.close()

    def write():
        try:
            pids["second"] = _backend_pid()
            results["second"] = second()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results["second"] = exc
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert wrote.wait(30), results
    between()
    writer = threading.Thread(target=write)
    writer.start()
    deadline = time.monotonic() + 30
    while not _waits_on_a_lock(pids.get("second")):
        assert writer.is_alive(), f"the second finished without waiting: {results}"
        assert time.monotonic() < deadline, "the second never waited on the first's lock"
        time.sleep(0.005)
    release.set()
    holder.join(30)
    writer.join(30)
    return [results.get("first"), results.get("second")]


@pytest.mark.parametrize(
    "before, first, second",
    [
        # limits: 10 M -> 2.0 M stored; the first writes 3.5 M, the second 5.0 M
        ("stored", Decimal(20_000_000), Decimal(30_000_000)),
        # none stored (out: no qualification); the first inserts it, the second updates it
        ("none", Decimal(20_000_000), Decimal(30_000_000)),
        # stored; the first deletes it (out), the second inserts it again
        ("stored", None, Decimal(30_000_000)),
    ],
)
def test_a_match_written_by_two_rematches_at_once_is_counted_once(
    require_postgres, before, first, second
):
    (product,), firms = _world(firms=3, products=1)
    firm = firms[0]  # revenue 10 M
    claim = QualificationClaim.objects.filter(enterprise=firm)
    if before == "none":
        claim.update(status="revoked")
        services.rematch_enterprise_now(enterprise_id=firm.pk)

    def stored():
        return list(
            Match.objects.filter(enterprise=firm).values_list("indicative_limit", flat=True)
        )

    assert stored() == ([] if before == "none" else [Decimal("2000000.00")])
    _assert_equal_to_a_recount()
    if first is None:
        claim.update(status="revoked")
    else:
        claim.update(status="verified")
        _revenue([firm.pk], first)

    def newer_figures():
        claim.update(status="verified")
        _revenue([firm.pk], second)

    results = _first_holds_second_writes(
        lambda: services.rematch_enterprise_now(enterprise_id=firm.pk),
        newer_figures,
        lambda: tasks.rematch_range(firms[0].pk, firms[-1].pk + 1),
    )
    assert all(isinstance(r, int) for r in results), results
    assert stored() == [Decimal("5000000.00")]  # the later figures stand
    _assert_equal_to_a_recount()
    assert match_totals.stored()[product.pk][0] == 3


def test_a_match_changed_between_a_range_s_insert_and_its_update_counts_from_the_commit(
    require_postgres, monkeypatch
):
    """The range's rematch has inserted its new matches (none here) when a firm's
    rematch updates the firm's match and holds it; the range's update, on figures read
    before, then waits for that row: its change is counted from the version the firm's
    rematch commits (the lock re-reads it), not the one its snapshot saw."""
    (product,), firms = _world(firms=3, products=1)
    firm = firms[0]  # revenue 10 M: 2.0 M stored
    _revenue([firm.pk], Decimal(30_000_000))  # what the range's rematch reads: 5.0 M
    inserted, go, wrote, release = (threading.Event() for _ in range(4))
    add = match_totals.Changes.add
    results: dict = {}
    pids: dict = {}

    def pausing_add(self, rows, **kwargs):
        add(self, rows, **kwargs)
        if threading.current_thread().name == "range" and not inserted.is_set():
            inserted.set()  # its insert done, its update next
            go.wait(30)

    monkeypatch.setattr(match_totals.Changes, "add", pausing_add)

    def run(name, call, hold=False):
        def target():
            try:
                pids[name] = _backend_pid()
                with transaction.atomic():
                    results[name] = call()
                    if hold:
                        wrote.set()
                        release.wait(30)
            except Exception as exc:  # noqa: BLE001 - reported to the test
                results[name] = exc
                wrote.set()
            finally:
                connection.close()

        thread = threading.Thread(target=target, name=name)
        thread.start()
        return thread

    ranged = run("range", lambda: tasks.rematch_range(firms[0].pk, firms[-1].pk + 1))
    assert inserted.wait(30), results
    _revenue([firm.pk], Decimal(20_000_000))  # the firm's rematch writes 3.5 M
    held = run("firm", lambda: services.rematch_enterprise_now(enterprise_id=firm.pk), hold=True)
    assert wrote.wait(30), results
    go.set()
    deadline = time.monotonic() + 30
    while not _waits_on_a_lock(pids.get("range")):
        assert ranged.is_alive(), f"the range's rematch finished without waiting: {results}"
        assert time.monotonic() < deadline, "the range's rematch never waited on the firm's"
        time.sleep(0.005)
    release.set()
    held.join(30)
    ranged.join(30)
    assert results == {"firm": 1, "range": 1}, results
    limits = Match.objects.filter(enterprise=firm).values_list("indicative_limit", flat=True)
    assert list(limits) == [Decimal("5000000.00")]
    _assert_equal_to_a_recount()

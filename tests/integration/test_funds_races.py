"""Races on PostgreSQL for the pool's money: two filings for the last of the headroom, two
claims' approvals for the last of the fund, two approvals of one claim — exactly one wins
each time, and neither the headroom nor the fund goes below zero.

Each race is forced into its worst interleaving (``race_in_window``): the first call is
held at the service's pause point — its reads done, its write not yet — while the second
call tries the same move. Without the lock on the scheme row (and the claim row) the
second would read the same headroom or fund and both would win; these tests fail then
(checked by removing the ``select_for_update`` calls)."""

from decimal import Decimal

import pytest

from ecosystem.core import races
from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.funds import services as funds
from ecosystem.funds.models import CompensationClaim, Filing
from ecosystem.funds.selectors import scheme_figures
from tests.worlds.concurrency import race_in_window
from tests.worlds.fund_pool import PoolWorld, fund_manager

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _split(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, ApplicationError)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


def test_two_filings_racing_for_the_last_headroom_one_wins(require_postgres, monkeypatch):
    # room: 1.5 × ¥1,000,000; the first loan takes ¥1,000,000, ¥500,000 is left. The two
    # loans are of two firms: filing locks the loan and its firm, so one firm's loans
    # would be serialised on the firm's row; only the scheme's lock protects the pool.
    world = PoolWorld(pool_terms={"leverage_cap": Decimal("1.5")})
    world.file()
    a = world.another_loan("LN-A", amount=Decimal("400000"), enterprise=world.another_firm())
    b = world.another_loan("LN-B", amount=Decimal("400000"), enterprise=world.another_firm())
    results, held = race_in_window(
        monkeypatch, races, "filing", lambda: world.file(a), lambda: world.file(b)
    )
    won, lost = _split(results, Filing)
    assert (won.loan_id, lost.code, held) == (a.pk, "no_headroom", "lock")
    assert Filing.objects.count() == 2
    assert scheme_figures(world.pool)["headroom"] == Decimal("100000.00")


def _reviewed_claim(world, loan=None):
    filing = world.confirmed(loan)
    world.default(loan)
    claim = funds.claim_submit(filing=filing, actor=world.rm, recovery_actions="诉讼")
    return funds.claim_transition(claim=claim, to="reviewed", actor=world.fm)


def test_two_claims_racing_for_the_last_of_the_fund_one_wins(require_postgres, monkeypatch):
    # fund ¥500,000; each claim asks 50 % of ¥800,000 = ¥400,000
    world = PoolWorld(
        pool_terms={
            "fund_size": Decimal("500000"),
            "leverage_cap": Decimal("20"),
            "cumulative_cap": Decimal("10000000"),
        }
    )
    first = _reviewed_claim(world)
    second = _reviewed_claim(world, world.another_loan("LN-B"))
    funds.claim_transition(claim=first, to="approved", actor=world.fm2)  # ¥100,000 left
    third = _reviewed_claim(world, world.another_loan("LN-C"))
    results, held = race_in_window(
        monkeypatch,
        races,
        "claim_approval",
        lambda: funds.claim_transition(claim=second, to="approved", actor=world.fm2),
        lambda: funds.claim_transition(claim=third, to="approved", actor=world.fm2),
    )
    won, lost = _split(results, CompensationClaim)
    assert (won.pk, lost.code, held) == (second.pk, "fund_exhausted", "lock")
    assert won.amount == Decimal("100000.00")  # what was left, not the ¥400,000 asked
    third.refresh_from_db()
    assert (third.status, third.amount) == ("reviewed", None)
    figures = scheme_figures(world.pool)
    assert figures["committed"] == Decimal("500000.00") and figures["fund_left"] == 0


def test_two_approvals_of_the_same_claim_one_wins_and_money_moves_once(
    require_postgres, monkeypatch
):
    world = PoolWorld()
    claim = _reviewed_claim(world)
    fm3 = fund_manager(world.pool)
    results, held = race_in_window(
        monkeypatch,
        races,
        "claim_approval",
        lambda: funds.claim_transition(claim=claim, to="approved", actor=world.fm2),
        lambda: funds.claim_transition(claim=claim, to="approved", actor=fm3),
    )
    _won, lost = _split(results, CompensationClaim)
    assert (lost.code, held) == ("invalid_transition", "lock")
    claim.refresh_from_db()
    assert (claim.status, claim.approved_by_id) == ("approved", world.fm2.pk)
    assert AuditEvent.objects.filter(verb="compensation_claim.approved").count() == 1
    assert scheme_figures(world.pool)["committed"] == Decimal("400000.00")

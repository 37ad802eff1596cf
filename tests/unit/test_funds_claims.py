"""Compensation claims: only on a confirmed filing whose loan is non-performing; reviewed by
one fund manager and approved by another (four eyes) within a working-day target; the
amount is the share of the principal within the bank's cumulative cap and the fund's
remaining money; payment recorded once; recoveries refund the pool's share."""

from decimal import Decimal

import pytest
from django.utils import timezone

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.core.worktime import add_working_days
from ecosystem.funds import services as funds
from ecosystem.funds.models import CompensationClaim, Recovery
from ecosystem.funds.selectors import scheme_figures
from ecosystem.funds.services.claims import CLAIM_REVIEW_DAYS
from tests.worlds.fund_pool import PoolWorld

pytestmark = pytest.mark.django_db


def _refused(call, code):
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.code == code, caught.value.code


def _claim(world, loan=None):
    filing = world.confirmed(loan)
    world.default(loan)
    return funds.claim_submit(filing=filing, actor=world.rm, recovery_actions="催收函、诉讼保全")


def _state(claim):
    claim.refresh_from_db()
    return (claim.status, claim.amount, claim.reviewed_by_id, claim.approved_by_id)


def test_a_claim_needs_a_confirmed_filing_of_a_non_performing_loan():
    world = PoolWorld()
    filing = world.file()
    _refused(
        lambda: funds.claim_submit(filing=filing, actor=world.rm, recovery_actions="x"),
        "filing_not_confirmed",
    )
    filing = funds.filing_transition(filing=filing, to="confirmed", actor=world.fm)
    _refused(
        lambda: funds.claim_submit(filing=filing, actor=world.rm, recovery_actions="x"),
        "loan_performing",
    )
    world.default(days=89)  # not yet non-performing
    _refused(
        lambda: funds.claim_submit(filing=filing, actor=world.rm, recovery_actions="x"),
        "loan_performing",
    )
    _refused(
        lambda: funds.claim_submit(filing=filing, actor=world.fm, recovery_actions="x"),
        "not_found",
    )
    assert CompensationClaim.objects.count() == 0


def test_the_claim_asks_the_share_of_the_outstanding_principal_with_a_review_due_date():
    world = PoolWorld()
    before = timezone.now()
    claim = _claim(world)
    # 50 % × ¥800,000 outstanding
    assert (claim.principal, claim.requested, claim.status) == (
        Decimal("800000.00"),
        Decimal("400000.00"),
        "submitted",
    )
    assert add_working_days(before, CLAIM_REVIEW_DAYS) <= claim.review_due_at
    assert claim.review_due_at <= add_working_days(timezone.now(), CLAIM_REVIEW_DAYS)
    _refused(
        lambda: funds.claim_submit(filing=claim.filing, actor=world.rm, recovery_actions="x"),
        "claim_exists",
    )


def test_four_eyes_the_reviewer_cannot_approve_or_refuse_and_nothing_changes():
    world = PoolWorld()
    claim = _claim(world)
    _refused(
        lambda: funds.claim_transition(claim=claim, to="approved", actor=world.fm),
        "invalid_transition",
    )
    funds.claim_transition(claim=claim, to="reviewed", actor=world.fm)
    audits = AuditEvent.objects.count()
    _refused(
        lambda: funds.claim_transition(claim=claim, to="approved", actor=world.fm), "four_eyes"
    )
    _refused(
        lambda: funds.claim_transition(claim=claim, to="refused", actor=world.fm, reason="x"),
        "four_eyes",
    )
    _refused(
        lambda: funds.claim_transition(claim=claim, to="approved", actor=world.rm), "not_your_move"
    )
    _refused(
        lambda: funds.claim_transition(claim=claim, to="refused", actor=world.fm2),
        "reason_required",
    )
    assert _state(claim) == ("reviewed", None, world.fm.pk, None)
    assert AuditEvent.objects.count() == audits
    funds.claim_transition(claim=claim, to="approved", actor=world.fm2)
    assert _state(claim) == ("approved", Decimal("400000.00"), world.fm.pk, world.fm2.pk)


def test_the_amount_stays_within_the_banks_cumulative_cap_and_the_funds_money():
    # the bank's cap ¥400,000 is used by the first claim; the second gets nothing → refused
    world = PoolWorld()
    first = _claim(world)
    funds.claim_transition(claim=first, to="reviewed", actor=world.fm)
    funds.claim_transition(claim=first, to="approved", actor=world.fm2)
    second = _claim(world, world.another_loan("LN-B"))
    funds.claim_transition(claim=second, to="reviewed", actor=world.fm)
    _refused(
        lambda: funds.claim_transition(claim=second, to="approved", actor=world.fm2),
        "fund_exhausted",
    )
    assert _state(second)[:2] == ("reviewed", None)
    # a fund of ¥1,000,000 with a cap of ¥700,000: ¥400,000 then ¥300,000 (the cap's rest)
    world.pool_version.cumulative_cap = Decimal("700000")
    world.pool_version.save()
    funds.claim_transition(claim=second, to="approved", actor=world.fm2)
    assert _state(second)[1] == Decimal("300000.00")
    assert scheme_figures(world.pool)["fund_left"] == Decimal("300000.00")


def test_payment_is_recorded_once_with_its_reference():
    world = PoolWorld()
    claim = _claim(world)
    funds.claim_transition(claim=claim, to="reviewed", actor=world.fm)
    funds.claim_transition(claim=claim, to="approved", actor=world.fm2)
    _refused(
        lambda: funds.claim_transition(claim=claim, to="paid", actor=world.fm),
        "no_payment_reference",
    )
    funds.claim_transition(claim=claim, to="paid", actor=world.fm, payment_reference="PAY-9")
    _refused(
        lambda: funds.claim_transition(
            claim=claim, to="paid", actor=world.fm, payment_reference="PAY-10"
        ),
        "invalid_transition",
    )
    claim.refresh_from_db()
    assert (claim.status, claim.payment_reference) == ("paid", "PAY-9")
    assert AuditEvent.objects.filter(verb="compensation_claim.paid").count() == 1


def test_recoveries_refund_the_pools_share_at_most_what_was_paid_and_once_per_reference():
    world = PoolWorld()
    claim = _claim(world)
    funds.claim_transition(claim=claim, to="reviewed", actor=world.fm)
    funds.claim_transition(claim=claim, to="approved", actor=world.fm2)
    _refused(
        lambda: funds.recovery_record(
            claim=claim, actor=world.rm, recovered=Decimal("1"), reference="R0"
        ),
        "claim_not_paid",
    )
    funds.claim_transition(claim=claim, to="paid", actor=world.fm, payment_reference="PAY-1")
    recovery, made = funds.recovery_record(
        claim=claim, actor=world.rm, recovered=Decimal("300000"), reference="R1"
    )
    assert (recovery.refund, made) == (Decimal("150000.00"), True)  # 50 % of ¥300,000
    again, made = funds.recovery_record(
        claim=claim, actor=world.rm, recovered=Decimal("300000"), reference="R1"
    )
    assert (again.pk, made) == (recovery.pk, False)
    _refused(
        lambda: funds.recovery_record(
            claim=claim, actor=world.rm, recovered=Decimal("5"), reference="R1"
        ),
        "recovery_reference_taken",
    )
    # ¥800,000 more would refund ¥400,000, but only ¥250,000 of the claim is unrefunded
    last, _made = funds.recovery_record(
        claim=claim, actor=world.rm, recovered=Decimal("800000"), reference="R2"
    )
    assert last.refund == Decimal("250000.00")
    assert Recovery.objects.count() == 2
    assert scheme_figures(world.pool)["committed"] == Decimal("0.00")
    _refused(
        lambda: funds.recovery_record(
            claim=claim, actor=world.fm, recovered=Decimal("1"), reference="R3"
        ),
        "not_found",
    )

"""Interest subsidies: the firm applies for a period; the bank confirms the interest paid
(by default the loan book's interest-paid events); a fund manager approves rate × interest
within the firm's annual cap, and records the payment. Refused moves change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.funds import services as funds
from ecosystem.funds.models import SubsidyApplication
from tests.worlds.fund_pool import PoolWorld

pytestmark = pytest.mark.django_db


def _refused(call, code):
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.code == code, caught.value.code


def _interest(world, amount, days_ago, reference, loan=None):
    funds.loan_event_record(
        loan=loan or world.loan,
        actor=world.rm,
        kind="interest",
        amount=Decimal(amount),
        paid_on=world.today - timedelta(days=days_ago),
        reference=reference,
    )


def _apply(world, loan=None, *, start_days=30, end_days=0):
    loan = loan or world.loan
    return funds.subsidy_apply(
        loan=loan,
        scheme=world.subsidy,
        actor=world.member,
        period_start=world.today - timedelta(days=start_days),
        period_end=world.today - timedelta(days=end_days),
    )


def test_the_application_takes_the_interest_paid_in_the_period_from_the_loan_book():
    world = PoolWorld()
    _interest(world, "3000.00", 20, "I-1")
    _interest(world, "3333.33", 5, "I-2")
    application = _apply(world, start_days=10)
    assert (application.status, application.interest_paid) == ("applied", Decimal("3333.33"))
    _refused(lambda: _apply(world, start_days=10), "subsidy_exists")
    for outsider in (world.rm, world.other_member, world.subsidy_fm):
        _refused(
            lambda outsider=outsider: funds.subsidy_apply(
                loan=world.loan,
                scheme=world.subsidy,
                actor=outsider,
                period_start=world.loan.disbursed_on,
                period_end=world.today,
            ),
            "not_found",
        )
    _refused(
        lambda: funds.subsidy_apply(
            loan=world.loan,
            scheme=world.pool,
            actor=world.member,
            period_start=world.loan.disbursed_on,
            period_end=world.today,
        ),
        "not_a_subsidy",
    )


def test_an_ineligible_firm_cannot_apply_unless_its_loan_is_filed_and_confirmed():
    world = PoolWorld()
    world.claim.decided_at = world.claim.decided_at + timedelta(days=55)  # after disbursement
    world.claim.save()
    _refused(lambda: _apply(world), "not_qualified")
    world.claim.decided_at = world.claim.decided_at - timedelta(days=55)
    world.claim.save()
    world.confirmed()  # a filed and confirmed loan qualifies as it is
    world.claim.decided_at = world.claim.decided_at + timedelta(days=55)
    world.claim.save()
    assert _apply(world).status == "applied"


def test_bank_confirms_fund_manager_approves_rate_times_interest_and_pays():
    world = PoolWorld()
    _interest(world, "10000.00", 5, "I-1")
    application = _apply(world)
    _refused(
        lambda: funds.subsidy_transition(
            application=application, to="confirmed", actor=world.member
        ),
        "not_your_move",
    )
    _refused(
        lambda: funds.subsidy_transition(
            application=application, to="approved", actor=world.subsidy_fm
        ),
        "invalid_transition",
    )
    funds.subsidy_transition(
        application=application, to="confirmed", actor=world.rm, interest_paid=Decimal("9000")
    )
    application.refresh_from_db()
    assert (application.status, application.interest_paid) == ("confirmed", Decimal("9000.00"))
    # the bank's figure is the verification: 30 % × ¥9,000 = ¥2,700
    funds.subsidy_transition(application=application, to="approved", actor=world.subsidy_fm)
    application.refresh_from_db()
    assert (application.amount, application.approved_by) == (Decimal("2700.00"), world.subsidy_fm)
    _refused(
        lambda: funds.subsidy_transition(application=application, to="paid", actor=world.fm),
        "not_found",  # a fund manager of another scheme does not see it
    )
    funds.subsidy_transition(application=application, to="paid", actor=world.subsidy_fm)
    application.refresh_from_db()
    assert application.status == "paid" and application.paid_at is not None


def test_the_firms_annual_cap_limits_the_second_subsidy_and_a_used_cap_refuses():
    world = PoolWorld()  # cap ¥10,000 a year, 30 %
    _interest(world, "30000.00", 20, "I-1")
    _interest(world, "10000.00", 5, "I-2")
    first = _apply(world, start_days=25, end_days=15)
    funds.subsidy_transition(application=first, to="confirmed", actor=world.rm)
    funds.subsidy_transition(application=first, to="approved", actor=world.subsidy_fm)
    first.refresh_from_db()
    assert first.amount == Decimal("9000.00")  # 30 % × ¥30,000
    second = _apply(world, start_days=10)
    funds.subsidy_transition(application=second, to="confirmed", actor=world.rm)
    funds.subsidy_transition(application=second, to="approved", actor=world.subsidy_fm)
    second.refresh_from_db()
    assert second.amount == Decimal("1000.00")  # ¥3,000 asked, ¥1,000 left under the cap
    third_loan = world.another_loan("LN-S3")
    _interest(world, "500.00", 1, "I-3", loan=third_loan)
    third = _apply(world, third_loan, start_days=2)
    funds.subsidy_transition(application=third, to="confirmed", actor=world.rm)
    audits = AuditEvent.objects.count()
    _refused(
        lambda: funds.subsidy_transition(application=third, to="approved", actor=world.subsidy_fm),
        "subsidy_cap_used",
    )
    third.refresh_from_db()
    assert (third.status, third.amount) == ("confirmed", None)
    assert AuditEvent.objects.count() == audits


def test_refusals_need_a_reason_and_refused_moves_change_nothing():
    world = PoolWorld()
    application = _apply(world)
    _refused(
        lambda: funds.subsidy_transition(application=application, to="confirmed", actor=world.rm),
        "no_interest_paid",  # no interest in the book, none typed
    )
    _refused(
        lambda: funds.subsidy_transition(application=application, to="refused", actor=world.rm),
        "reason_required",
    )
    application.refresh_from_db()
    assert (application.status, application.confirmed_by) == ("applied", None)
    funds.subsidy_transition(application=application, to="refused", actor=world.rm, reason="未付息")
    assert SubsidyApplication.objects.get().reason == "未付息"
    assert _apply(world).status == "applied"  # a refused application frees the period

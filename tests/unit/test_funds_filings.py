"""Filing a disbursed loan into a risk pool: eligibility at the disbursement date with the
provenance of each qualification, the per-firm annual cap, the term, the live headroom;
the fund manager confirms or refuses within a working-day target; refused moves change
nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.core.worktime import add_working_days
from ecosystem.funds import services as funds
from ecosystem.funds.models import Filing
from ecosystem.funds.services.filings import FILING_DECISION_DAYS
from ecosystem.funds.services.schemes import scheme_headroom
from tests.factories import ProgramFactory
from tests.worlds.fund_pool import PoolWorld, verified_claim

pytestmark = pytest.mark.django_db


def _refused(call, code):
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.code == code, caught.value.code
    return caught.value


def test_a_filing_records_each_qualification_with_its_provenance_and_a_decision_due_date():
    world = PoolWorld()
    official = verified_claim(world.enterprise, ProgramFactory(), days_ago=45, registry=False)
    world.pool_version.programs.add(official.program)
    before = timezone.now()
    filing = world.file()
    assert (filing.status, filing.amount, filing.version) == (
        "filed",
        Decimal("1000000.00"),
        world.pool_version,
    )
    quals = {q["claim"]: q for q in filing.eligibility["qualifications"]}
    assert quals[world.claim.pk]["source"] == "registry"
    assert quals[world.claim.pk]["registry_entry"] == world.claim.registry_entry_id
    assert quals[official.pk]["source"] == "official"
    assert quals[official.pk]["decided_by"] == official.decided_by_id
    assert filing.eligibility["checked_on"] == world.loan.disbursed_on.isoformat()
    assert filing.review_due_at >= add_working_days(before, FILING_DECISION_DAYS)
    assert filing.review_due_at <= add_working_days(timezone.now(), FILING_DECISION_DAYS)
    assert AuditEvent.objects.filter(verb="filing.filed").count() == 1
    assert Notification.objects.filter(kind="funds.filing_filed").count() == 2  # fm and fm2


def test_a_qualification_verified_after_the_disbursement_does_not_make_the_firm_eligible():
    world = PoolWorld()
    world.claim.decided_at = timezone.now() - timedelta(days=10)  # disbursed 30 days ago
    world.claim.save()
    _refused(world.file, "not_qualified")
    world.claim.decided_at = timezone.now() - timedelta(days=40)
    world.claim.valid_until = world.loan.disbursed_on - timedelta(days=1)  # lapsed by then
    world.claim.save()
    _refused(world.file, "not_qualified")
    assert Filing.objects.count() == 0


def test_zone_term_cooperation_and_a_non_performing_loan_are_refused():
    world = PoolWorld(pool_terms={"max_term_months": 6})
    _refused(world.file, "term_too_long")
    world.pool_version.max_term_months = 36
    world.pool_version.save()
    world.pool_version.zones.set([world.other.enterprise.zone])
    _refused(world.file, "zone_not_eligible")
    world.pool_version.zones.set([])
    world.pool.banks.all().delete()
    _refused(world.file, "bank_not_cooperating")
    assert Filing.objects.count() == 0


def test_the_per_firm_annual_cap_counts_the_firms_filed_loans_of_the_same_year():
    world = PoolWorld(pool_terms={"per_firm_annual_cap": Decimal("1500000")})
    world.file()
    second = world.another_loan("LN-POOL-2", amount=Decimal("600000"))
    error = _refused(lambda: world.file(second), "firm_cap_exceeded")
    assert "500,000.00" in str(error.message)
    third = world.another_loan("LN-POOL-3", amount=Decimal("500000"))
    assert world.file(third).amount == Decimal("500000.00")


def test_the_pools_headroom_must_cover_the_loan_and_a_filing_uses_it():
    world = PoolWorld(pool_terms={"leverage_cap": Decimal("1.5")})  # room ¥1,500,000
    world.file()
    assert scheme_headroom(world.pool) == Decimal("500000.00")
    second = world.another_loan("LN-POOL-2", amount=Decimal("600000"))
    error = _refused(lambda: world.file(second), "no_headroom")
    assert "500,000.00" in str(error.message)
    assert Filing.objects.count() == 1


def test_the_fund_manager_confirms_or_refuses_with_a_reason_and_the_bank_hears():
    world = PoolWorld()
    filing = world.file()
    _refused(
        lambda: funds.filing_transition(filing=filing, to="confirmed", actor=world.rm),
        "not_your_move",
    )
    _refused(
        lambda: funds.filing_transition(filing=filing, to="refused", actor=world.fm),
        "reason_required",
    )
    filing.refresh_from_db()
    assert (filing.status, filing.decided_by) == ("filed", None)
    funds.filing_transition(filing=filing, to="refused", actor=world.fm, reason="名单不符")
    filing.refresh_from_db()
    assert (filing.status, filing.decided_by, filing.reason) == ("refused", world.fm, "名单不符")
    assert Notification.objects.filter(recipient=world.rm, kind="funds.filing_refused").exists()
    assert scheme_headroom(world.pool) == Decimal("5000000.00")  # a refused filing holds none
    confirmed = world.confirmed()  # filed anew after a refusal
    assert confirmed.status == "confirmed"


def test_refused_moves_change_nothing():
    world = PoolWorld()
    filing = world.confirmed()
    audits = AuditEvent.objects.count()
    for to, actor in (("refused", world.fm), ("withdrawn", world.rm), ("filed", world.fm)):
        with pytest.raises(ApplicationError):
            funds.filing_transition(filing=filing, to=to, actor=actor, reason="x")
    with pytest.raises(ApplicationError):  # someone outside the scheme and the bank
        funds.filing_transition(filing=filing, to="closed", actor=world.other.rm)
    filing.refresh_from_db()
    assert filing.status == "confirmed" and AuditEvent.objects.count() == audits
    _refused(world.file, "already_filed")


def test_only_the_loans_bank_side_files_it():
    world = PoolWorld()
    for outsider in (world.other.rm, world.member, world.fm):
        _refused(
            lambda outsider=outsider: funds.filing_submit(
                loan=world.loan, scheme=world.pool, actor=outsider
            ),
            "not_found",
        )
    _refused(
        lambda: funds.filing_submit(loan=world.loan, scheme=world.subsidy, actor=world.rm),
        "not_a_pool",
    )
    assert Filing.objects.count() == 0

"""Schemes: versioned terms by their fund manager, fund managers appointed by a platform
admin (a role scoped to the scheme), banks joining with the acceptance recorded, and the
pool's live headroom from the filed loans' outstanding principal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ecosystem.accounts.scope import fund_managers_of_scheme, scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.funds.models import CooperatingBank, Filing, SchemeVersion
from ecosystem.funds.services.schemes import (
    bank_join,
    fund_manager_appoint,
    scheme_headroom,
    scheme_version_create,
    version_at,
)
from tests.factories import (
    BankManagerFactory,
    FilingFactory,
    LoanFactory,
    PlatformAdminFactory,
    SchemeVersionFactory,
    UserFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db


def _manager(scheme):
    user = ZoneOfficialFactory()  # a zone official may be a fund manager too
    fund_manager_appoint(scheme=scheme, user=user, actor=PlatformAdminFactory())
    return user


def test_a_fund_manager_is_scoped_to_the_scheme_and_appointed_only_by_a_platform_admin():
    version = SchemeVersionFactory()
    manager = _manager(version.scheme)
    assert scope_of(manager, fresh=True).manages_scheme(version.scheme.pk)
    assert list(fund_managers_of_scheme(version.scheme.pk)) == [manager]
    with pytest.raises(ApplicationError):
        fund_manager_appoint(scheme=version.scheme, user=UserFactory(), actor=manager)
    assert fund_managers_of_scheme(version.scheme.pk).count() == 1


def test_new_terms_make_a_version_and_the_old_terms_stay_for_earlier_dates():
    version = SchemeVersionFactory()
    scheme, manager = version.scheme, _manager(version.scheme)
    start = timezone.localdate() + timedelta(days=1)
    new = scheme_version_create(
        scheme=scheme, actor=manager, effective_from=start, compensation_share=Decimal("0.4")
    )
    assert (new.number, new.compensation_share, new.fund_size) == (
        2,
        Decimal("0.4"),
        version.fund_size,
    )
    assert version_at(scheme, timezone.localdate()) == version
    assert version_at(scheme, start) == new
    with pytest.raises(ApplicationError):
        scheme_version_create(scheme=scheme, actor=UserFactory(), effective_from=start)
    with pytest.raises(ApplicationError):  # a share above 100 % is refused, nothing saved
        scheme_version_create(
            scheme=scheme, actor=manager, effective_from=start, compensation_share=Decimal("1.5")
        )
    assert SchemeVersion.objects.filter(scheme=scheme).count() == 2


def test_a_bank_manager_accepts_the_terms_in_force_and_the_acceptance_is_recorded():
    version = SchemeVersionFactory()
    manager = BankManagerFactory()
    bank = scope_of(manager, fresh=True).managed_bank_ids
    from ecosystem.financing.models import Bank

    bank = Bank.objects.get(pk=next(iter(bank)))
    joined = bank_join(scheme=version.scheme, bank=bank, actor=manager)
    assert (joined.version, joined.accepted_by) == (version, manager)
    assert AuditEvent.objects.filter(verb="scheme.bank_joined").count() == 1
    with pytest.raises(ApplicationError):
        bank_join(scheme=version.scheme, bank=bank, actor=BankManagerFactory())
    assert CooperatingBank.objects.count() == 1


def test_headroom_is_leverage_times_fund_less_the_outstanding_of_live_filings():
    version = SchemeVersionFactory(fund_size=Decimal("1000000"), leverage_cap=Decimal("5"))
    FilingFactory(version=version, loan=LoanFactory(outstanding_principal=Decimal("1200000")))
    FilingFactory(
        version=version,
        status=Filing.Status.CONFIRMED,
        loan=LoanFactory(outstanding_principal=Decimal("800000.50")),
    )
    FilingFactory(
        version=version,
        status=Filing.Status.REFUSED,
        loan=LoanFactory(outstanding_principal=Decimal("999999")),
    )
    # 5 × 1,000,000 − (1,200,000 + 800,000.50) = 2,999,999.50
    assert scheme_headroom(version.scheme) == Decimal("2999999.50")

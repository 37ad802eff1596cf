"""Yearly figures: Decimal yuan, non-negative, R&D within costs, staff within headcount."""

from decimal import Decimal

import pytest
from django.utils import timezone

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.enterprises import services
from ecosystem.enterprises.models import FinancialYear
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    UserFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db

GOOD = {
    "revenue": Decimal("12000000.00"),
    "total_costs": Decimal("9000000.00"),
    "total_assets": Decimal("15000000.00"),
    "rd_expense": Decimal("1500000.00"),
    "net_profit": Decimal("-250000.00"),
    "employees": 40,
    "rd_staff": 12,
    "ip_invention_patents": 2,
    "ip_software_copyrights": 5,
}


@pytest.fixture
def member():
    return EnterpriseMemberFactory()


@pytest.fixture
def enterprise(member):
    return member.memberships.get().enterprise


def save(enterprise, member, year=2024, **changes):
    return services.financial_year_save(
        enterprise=enterprise, actor=member, year=year, **{**GOOD, **changes}
    )


def test_a_year_is_saved_with_exact_decimals_and_ip_classes(enterprise, member):
    fy = save(enterprise, member)
    fy.refresh_from_db()
    assert fy.revenue == Decimal("12000000.00")
    assert fy.net_profit == Decimal("-250000.00")  # a loss is allowed
    assert (fy.class_i_ip, fy.class_ii_ip) == (2, 5)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"revenue": Decimal("-1")}, "revenue"),
        ({"rd_expense": Decimal("9000000.01")}, "rd_expense"),
        ({"rd_staff": 41}, "rd_staff"),
        ({"employees": -3}, "employees"),
        ({"total_assets": Decimal("99999999999999999")}, "total_assets"),
        ({"revenue": 1.5}, "revenue"),
    ],
)
def test_bad_figures_are_refused_with_the_field_and_nothing_saved(
    enterprise, member, changes, field
):
    with pytest.raises(ApplicationError) as excinfo:
        save(enterprise, member, **changes)
    assert field in excinfo.value.extra["errors"]
    assert not FinancialYear.objects.exists()


def test_a_future_year_is_refused(enterprise, member):
    with pytest.raises(ApplicationError) as excinfo:
        save(enterprise, member, year=timezone.localdate().year + 1)
    assert "year" in excinfo.value.extra["errors"]
    assert not FinancialYear.objects.exists()


def test_changing_a_verified_year_sends_it_back_for_verification(enterprise, member):
    official = ZoneOfficialFactory(zone=enterprise.zone)
    fy = save(enterprise, member)
    services.financial_year_set_verification(financial_year=fy, actor=official, status="verified")
    fy = save(enterprise, member, revenue=Decimal("13000000.00"))
    assert fy.verification_status == "unverified"
    assert fy.verified_by is None


def test_stale_edit_of_a_year_is_refused(enterprise, member):
    fy = save(enterprise, member)
    save(enterprise, member, revenue=Decimal("1.00"))
    with pytest.raises(ConflictError):
        services.financial_year_save(
            enterprise=enterprise,
            actor=member,
            year=2024,
            expected_version=fy.version,
            revenue=Decimal("2.00"),
        )
    assert FinancialYear.objects.get().revenue == Decimal("1.00")


def test_only_the_zone_official_of_the_zone_verifies_figures(enterprise, member):
    fy = save(enterprise, member)
    for outsider in (ZoneOfficialFactory(), member, UserFactory()):
        with pytest.raises(ApplicationError):
            services.financial_year_set_verification(
                financial_year=fy, actor=outsider, status="verified"
            )
    assert FinancialYear.objects.get().verification_status == "unverified"


def test_a_discrepancy_needs_a_note(enterprise, member):
    fy = save(enterprise, member)
    official = ZoneOfficialFactory(zone=enterprise.zone)
    with pytest.raises(ApplicationError):
        services.financial_year_set_verification(
            financial_year=fy, actor=official, status="discrepancy"
        )
    services.financial_year_set_verification(
        financial_year=fy, actor=official, status="discrepancy", note="营收与税表不符"
    )
    assert FinancialYear.objects.get().verification_note == "营收与税表不符"


def test_outsiders_cannot_write_figures():
    enterprise = EnterpriseFactory()
    with pytest.raises(ApplicationError):
        services.financial_year_save(enterprise=enterprise, actor=UserFactory(), year=2024, **GOOD)
    assert not FinancialYear.objects.exists()


def test_financing_need_amount_and_term_are_checked(enterprise, member):
    need = services.financing_need_create(
        enterprise=enterprise, actor=member, amount=Decimal("5000000"), term_months=24, purpose="rd"
    )
    assert need.status == "open"
    for amount, term in [(Decimal("-1"), 12), (Decimal("5000000"), 0), (Decimal("5000000"), 999)]:
        with pytest.raises(ApplicationError):
            services.financing_need_create(
                enterprise=enterprise, actor=member, amount=amount, term_months=term, purpose="rd"
            )
    services.financing_need_close(need=need, actor=member)
    need.refresh_from_db()
    assert need.status == "closed"

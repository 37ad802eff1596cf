"""A zone's review queue filled in bulk: claims awaiting a decision and unverified years,
their waiting times interleaved (the queue's page and query-count tests)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ecosystem.enterprises import waiting
from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import EnterpriseFactory, ProgramFactory

STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.UNDER_REVIEW, ClaimStatus.RESUBMITTED)


def fill(zone, n: int) -> None:
    """``n`` claims awaiting a decision and ``n // 2`` unverified years, their waiting
    times interleaved over the last 60 days (some past the zone's target)."""
    now, program = timezone.now(), ProgramFactory()
    firms = [EnterpriseFactory(zone=zone) for _ in range(3)]
    QualificationClaim.objects.bulk_create(
        QualificationClaim(
            enterprise=firms[i % 3],
            program=program,
            certificate_number=f"Q{i}",
            year=2025,
            status=STATUSES[i % 3],
            submitted_at=now - timedelta(hours=(i * 7919) % 1440),
        )
        for i in range(n)
    )
    years = FinancialYear.objects.bulk_create(
        FinancialYear(
            enterprise=EnterpriseFactory(zone=zone),
            year=2025,
            revenue=1,
            total_costs=1,
            total_assets=1,
            rd_expense=0,
            net_profit=0,
            employees=1,
            rd_staff=0,
        )
        for _ in range(n // 2)
    )
    for i, year in enumerate(years):  # auto_now: set afterwards
        FinancialYear.objects.filter(pk=year.pk).update(
            updated_at=now - timedelta(hours=(i * 6007) % 1440 + 1)
        )
    # the claims and years were written past the services: the review backlog's counters
    # follow (what the queue's unfiltered counts read)
    firm_ids = [firm.pk for firm in firms] + [year.enterprise_id for year in years]
    waiting.waiting_sync(enterprise_ids=firm_ids)

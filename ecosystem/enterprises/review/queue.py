"""The zone official's review queue: claims and yearly figures awaiting a human in the
official's zones, with their ageing in working days against each zone's target."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from ecosystem.core.workdays import working_days_between
from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.enterprises.workflow import AWAITING_DECISION
from ecosystem.zones.selectors import zones_of_official


@dataclass(frozen=True)
class QueueItem:
    kind: str  # "claim" or "financial_year"
    obj: object
    waiting_since: object
    age_working_days: int
    target_days: int

    @property
    def overdue(self) -> bool:
        return self.age_working_days > self.target_days


def claims_awaiting_review(*, user, program=None, status=None, q: str = ""):
    claims = QualificationClaim.objects.filter(
        enterprise__zone__in=zones_of_official(user=user), status__in=AWAITING_DECISION
    ).select_related("enterprise", "enterprise__zone", "program")
    if program:
        claims = claims.filter(program=program)
    if status:
        claims = claims.filter(status=status)
    if q:
        claims = claims.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return claims.order_by("submitted_at", "pk")


def years_awaiting_review(*, user, q: str = ""):
    years = FinancialYear.objects.filter(
        enterprise__zone__in=zones_of_official(user=user), verification_status="unverified"
    ).select_related("enterprise", "enterprise__zone")
    if q:
        years = years.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return years.order_by("updated_at", "pk")


def review_queue(
    *,
    user,
    program=None,
    status=None,
    kind: str = "",
    q: str = "",
    min_age: int | None = None,
    today=None,
) -> list[QueueItem]:
    """Claims and years awaiting a human in the official's zones, oldest first, with ageing
    in working days against each zone's target."""
    today = today or timezone.localdate()
    items: list[QueueItem] = []
    if kind in ("", "claim"):
        for claim in claims_awaiting_review(user=user, program=program, status=status, q=q):
            since = claim.submitted_at or claim.created_at
            items.append(
                QueueItem(
                    "claim",
                    claim,
                    since,
                    working_days_between(timezone.localtime(since).date(), today),
                    claim.enterprise.zone.review_target_days,
                )
            )
    if kind in ("", "financial_year") and not program and not status:
        for year in years_awaiting_review(user=user, q=q):
            items.append(
                QueueItem(
                    "financial_year",
                    year,
                    year.updated_at,
                    working_days_between(timezone.localtime(year.updated_at).date(), today),
                    year.enterprise.zone.review_target_days,
                )
            )
    if min_age is not None:
        items = [i for i in items if i.age_working_days >= min_age]
    return sorted(items, key=lambda i: i.waiting_since)

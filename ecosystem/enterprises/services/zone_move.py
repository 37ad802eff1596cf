"""A firm that moves to another zone takes its open reviews along.

Reviews follow the firm's zone (the queue of ``enterprises.review.queue`` is the claims and
yearly figures of the official's zones awaiting a decision), so after the move the new
zone's officials decide them and the old zone's can no longer. What this adds: both zones'
officials are told, each in their own language, and the audit trail records what moved.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_noop

from ecosystem.accounts.scope import officials_of_zone
from ecosystem.core.notices import bilingual, msg
from ecosystem.core.services import audit_record, notify
from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
from ecosystem.enterprises.workflow import AWAITING_DECISION


def open_reviews(enterprise: Enterprise) -> tuple[list[int], list[int]]:
    """The firm's claims and yearly figures awaiting a zone's decision (their ids)."""
    claims = QualificationClaim.objects.filter(
        enterprise=enterprise, status__in=AWAITING_DECISION
    ).order_by("pk")
    years = FinancialYear.objects.filter(
        enterprise=enterprise, verification_status="unverified"
    ).order_by("pk")
    return list(claims.values_list("pk", flat=True)), list(years.values_list("pk", flat=True))


def reviews_follow_zone_move(*, enterprise: Enterprise, old_zone, actor) -> int:
    """After ``enterprise`` moved from ``old_zone`` to its zone now: record and announce
    its open reviews' new home. Returns how many reviews moved (none: nobody is told)."""
    new_zone = enterprise.zone
    if old_zone is None or new_zone is None or old_zone.pk == new_zone.pk:
        return 0
    claims, years = open_reviews(enterprise)
    moved = len(claims) + len(years)
    if not moved:
        return 0
    audit_record(
        actor=actor,
        verb="enterprise.reviews_moved",
        target=enterprise,
        before={"zone": old_zone.code},
        after={"zone": new_zone.code, "claims": claims, "financial_years": years},
    )
    queue = reverse("zone_queue")
    params = {
        "enterprise": enterprise.name,
        "count": moved,
        "old_zone": bilingual(old_zone),
        "new_zone": bilingual(new_zone),
    }
    notify(
        officials_of_zone(new_zone.pk),
        "zone_move",
        title=msg(
            gettext_noop("%(enterprise)s moved here from %(old_zone)s: %(count)s reviews to do"),
            **params,
        ),
        body=msg(
            gettext_noop(
                "Its open reviews (claims and yearly figures) are now in your queue; "
                "the %(old_zone)s officials no longer decide them."
            ),
            **params,
        ),
        url=f"{queue}?{urlencode({'q': enterprise.uscc})}",
    )
    notify(
        officials_of_zone(old_zone.pk),
        "zone_move",
        title=msg(
            gettext_noop(
                "%(enterprise)s moved to %(new_zone)s: %(count)s open reviews went with it"
            ),
            **params,
        ),
        body=msg(
            gettext_noop("The %(new_zone)s officials decide them now; nothing is left to do."),
            **params,
        ),
        url=queue,
    )
    return moved

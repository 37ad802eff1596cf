"""Financing reads, scoped to the user: what a user may not see does not exist.

Banks see matched enterprises through :func:`match_rows`, which leaves out name, credit
code, contact and figures unless the enterprise gave that bank consent.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from ecosystem.accounts.scope import scope_of
from ecosystem.financing import permissions as policy
from ecosystem.financing import workflow
from ecosystem.financing.models import (
    Campaign,
    CampaignInvitation,
    Lead,
    Match,
    ProductVersion,
)
from ecosystem.financing.selectors.matches import match_base


def campaign_candidates(*, product_version: ProductVersion) -> QuerySet[Match]:
    """Matches of the version that a campaign would invite: not those already working an
    open lead for the product, nor those holding an unanswered invitation for it."""
    now = timezone.now()
    open_lead = Lead.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        product_id=product_version.product_id,
        status__in=workflow.OPEN,
    )
    open_invitation = CampaignInvitation.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        campaign__product_version__product_id=product_version.product_id,
        status=CampaignInvitation.Status.SENT,
        expires_at__gt=now,
    )
    return (
        match_base()
        .filter(product_version=product_version)
        .exclude(Exists(open_lead))
        .exclude(Exists(open_invitation))
        .order_by("-indicative_limit", "pk")
    )


def total_exposure(matches: QuerySet[Match]) -> Decimal:
    total = matches.order_by().aggregate(total=Sum("indicative_limit"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def campaigns_visible_to(*, user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(policy.campaigns_q(scope_of(user))).select_related(
        "bank", "product_version__product", "created_by"
    )


def invitations_of_campaign(*, campaign: Campaign) -> QuerySet[CampaignInvitation]:
    return campaign.invitations.select_related("enterprise__zone", "enterprise__industry")


def invitations_of(*, enterprise) -> QuerySet[CampaignInvitation]:
    return CampaignInvitation.objects.filter(enterprise=enterprise).select_related(
        "campaign__bank", "campaign__product_version__product", "responded_by"
    )


def invitations_visible_to(*, user) -> QuerySet[CampaignInvitation]:
    """Invitations of the enterprises the user belongs to."""
    return CampaignInvitation.objects.filter(policy.invitations_q(scope_of(user))).select_related(
        "campaign__bank", "campaign__product_version__product", "enterprise"
    )

"""Reaching out: an enterprise applies for a match, a bank runs a pre-approval campaign,
an enterprise answers its invitation. Each write is keyword-only, checks the actor's
right, runs in one transaction and records an audit event; notifications go after commit.

Applying and accepting grant the bank consent for "financing" and create a ``Lead``
routed to the branch serving the enterprise's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ecosystem.accounts.scope import members_by_enterprise
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import bilingual, money, msg
from ecosystem.core.services import audit_record, notify
from ecosystem.financing import selectors
from ecosystem.financing.models import (
    Campaign,
    CampaignInvitation,
    Lead,
    Match,
    ProductVersion,
)
from ecosystem.financing.services.leads.checks import require_manager, require_member
from ecosystem.financing.services.leads.create import grant_financing_consent, lead_open_or_create

#: How long an enterprise has to answer a campaign invitation.
INVITATION_VALID_DAYS = 30


@dataclass(frozen=True)
class CampaignPreview:
    """What a manager sees before sending: masked rows and the total indicative exposure."""

    product_version: ProductVersion
    rows: list[selectors.MatchRow]
    count: int
    total_exposure: Decimal


def campaign_create(*, product, actor) -> Campaign:
    """A draft campaign for the product's current version."""
    require_manager(actor, product.bank)
    if not product.is_active:
        raise ConflictError(_("Only active products can be offered."), code="inactive")
    version = product.current_version
    if version is None:
        raise ApplicationError(_("The product has no terms yet."), code="no_version")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            bank=product.bank, product_version=version, created_by=actor
        )
        audit_record(
            actor=actor,
            verb="campaign.created",
            target=campaign,
            after={"product": product.pk, "version": version.number},
        )
    return campaign


def campaign_preview(*, product_version: ProductVersion, actor, limit: int | None = None):
    """Masked rows (stage, zone, industry, indicative limit) of the enterprises a campaign
    would invite now, and the total indicative exposure over all of them."""
    require_manager(actor, product_version.product.bank)
    candidates = selectors.campaign_candidates(product_version=product_version)
    shown = candidates if limit is None else candidates[:limit]
    return CampaignPreview(
        product_version=product_version,
        rows=selectors.match_rows(shown, masked=True),
        count=candidates.count(),
        total_exposure=selectors.total_exposure(candidates),
    )


def campaign_send(*, campaign: Campaign, actor) -> Campaign:
    """Invite every enterprise the campaign's version matches now (see
    ``selectors.campaign_candidates``) with its indicative limit, and tell its members."""
    require_manager(actor, campaign.bank)
    with transaction.atomic():
        current = (
            Campaign.objects.select_for_update()
            .select_related("product_version__product__bank", "bank")
            .get(pk=campaign.pk)
        )
        if current.status != Campaign.Status.DRAFT:
            raise ConflictError(_("This campaign was already sent."), code="already_sent")
        version = current.product_version
        product = version.product
        if not product.is_active or product.current_version.pk != version.pk:
            raise ConflictError(
                _("The product changed since this campaign was prepared; start a new one."),
                code="version_changed",
            )
        now = timezone.now()
        expires = now + timedelta(days=INVITATION_VALID_DAYS)
        candidates = list(selectors.campaign_candidates(product_version=version))
        invitations = CampaignInvitation.objects.bulk_create(
            CampaignInvitation(
                campaign=current,
                enterprise_id=m.enterprise_id,
                indicative_limit=m.indicative_limit,
                expires_at=expires,
            )
            for m in candidates
        )
        current.status = Campaign.Status.SENT
        current.sent_at = now
        current.invited_count = len(invitations)
        current.total_exposure = sum((m.indicative_limit for m in candidates), Decimal("0"))
        current.save(update_fields=["status", "sent_at", "invited_count", "total_exposure"])
        audit_record(
            actor=actor,
            verb="campaign.sent",
            target=current,
            after={"invited": current.invited_count, "exposure": str(current.total_exposure)},
        )
        members = members_by_enterprise(m.enterprise_id for m in candidates)
        for m in candidates:
            url = reverse("financing_invitations", args=[m.enterprise_id])
            notify(
                members.get(m.enterprise_id, []),
                "campaign_invitation",
                title=msg(
                    gettext_noop("Pre-approved: %(product)s up to %(limit)s"),
                    product=bilingual(product),
                    limit=money(m.indicative_limit),
                ),
                body=msg(
                    gettext_noop(
                        "%(bank)s invites you to %(product)s with an indicative limit. "
                        "Accepting shares your data with the bank and starts a request."
                    ),
                    bank=bilingual(product.bank),
                    product=bilingual(product),
                ),
                url=url,
            )
    return current


def _answerable(invitation: CampaignInvitation, actor) -> CampaignInvitation:
    require_member(actor, invitation.enterprise)
    current = (
        CampaignInvitation.objects.select_for_update()
        .select_related("campaign__product_version__product__bank", "enterprise")
        .get(pk=invitation.pk)
    )
    if current.status != CampaignInvitation.Status.SENT:
        raise ConflictError(
            _("This invitation was already answered: %(status)s.")
            % {"status": current.get_status_display()},
            code="already_answered",
        )
    if current.expires_at <= timezone.now():
        raise ConflictError(_("This invitation has expired."), code="expired")
    return current


def invitation_accept(*, invitation: CampaignInvitation, actor) -> Lead:
    """Accept: the bank gets consent and a lead (source campaign) with the invited limit."""
    with transaction.atomic():
        current = _answerable(invitation, actor)
        version = current.campaign.product_version
        _refuse_on_unverified_figures(current.enterprise, version)
        bank = version.product.bank
        grant_financing_consent(enterprise=current.enterprise, actor=actor, bank=bank)
        lead, _created = lead_open_or_create(
            enterprise=current.enterprise,
            version=version,
            limit=current.indicative_limit,
            source=Lead.Source.CAMPAIGN,
            actor=actor,
            invitation=current,
        )
        _answer(current, actor, CampaignInvitation.Status.ACCEPTED, "accepted_count")
    return lead


def _refuse_on_unverified_figures(enterprise, version) -> None:
    """A version that takes requests only on verified figures refuses an invitation whose
    enterprise's match stands on declared figures (as applying from the match does)."""
    from ecosystem.financing.services.applications import figures_refusal

    match = (
        Match.objects.filter(enterprise=enterprise, product_version=version)
        .select_related("product_version", "product")
        .first()
    )
    if match is not None and (refusal := figures_refusal(match)) is not None:
        raise refusal


def invitation_decline(*, invitation: CampaignInvitation, actor) -> CampaignInvitation:
    """Decline: nothing is shared with the bank."""
    with transaction.atomic():
        current = _answerable(invitation, actor)
        _answer(current, actor, CampaignInvitation.Status.DECLINED, "declined_count")
    return current


def _answer(invitation: CampaignInvitation, actor, status: str, counter: str) -> None:
    invitation.status = status
    invitation.responded_at = timezone.now()
    invitation.responded_by = actor
    invitation.save(update_fields=["status", "responded_at", "responded_by"])
    Campaign.objects.filter(pk=invitation.campaign_id).update(**{counter: F(counter) + 1})
    audit_record(
        actor=actor,
        verb=f"campaign_invitation.{status}",
        target=invitation,
        after={"campaign": invitation.campaign_id, "enterprise": invitation.enterprise_id},
    )

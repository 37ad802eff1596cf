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

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.accounts.scope import members_by_enterprise
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.financing import permissions, selectors
from ecosystem.financing.models import (
    Branch,
    Campaign,
    CampaignInvitation,
    Lead,
    Match,
    ProductVersion,
)
from ecosystem.financing.services_pipeline.common import notify_bank_of_new_lead

#: How long an enterprise has to answer a campaign invitation.
INVITATION_VALID_DAYS = 30


def _not_found() -> ApplicationError:
    return ApplicationError(_("Not found."), code="not_found", status=404)


def _require_member(actor, enterprise) -> None:
    if not permissions.can_answer_for(actor, enterprise):
        raise _not_found()


def _require_manager(actor, bank) -> None:
    if not permissions.can_run_campaigns(actor, bank):
        raise _not_found()


def route_branch(*, bank, enterprise) -> Branch:
    """The bank's branch serving the enterprise's zone, else its head office."""
    branches = Branch.objects.filter(bank=bank)
    branch = (
        branches.filter(zones=enterprise.zone_id).order_by("-is_head_office", "code").first()
        or branches.filter(is_head_office=True).order_by("code").first()
    )
    if branch is None:
        raise ApplicationError(
            _("%(bank)s has no branch to take this request yet.") % {"bank": bank},
            code="no_branch",
            status=409,
        )
    return branch


def _lead_open_or_create(
    *, enterprise, version: ProductVersion, limit: Decimal, source: str, actor, invitation=None
) -> tuple[Lead, bool]:
    """The open lead of the enterprise for the product, or a new one (race-safe)."""
    product = version.product
    existing = selectors.open_leads_of(enterprise=enterprise).filter(product=product).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            lead = Lead.objects.create(
                enterprise=enterprise,
                product=product,
                product_version=version,
                bank=product.bank,
                branch=route_branch(bank=product.bank, enterprise=enterprise),
                source=source,
                invitation=invitation,
                indicative_limit=limit,
                created_by=actor,
            )
            # The response clock starts at creation: the product version's response time.
            lead.due_at = lead.created_at + timedelta(hours=version.sla_hours)
            lead.save(update_fields=["due_at"])
    except IntegrityError:  # another request opened it meanwhile
        return selectors.open_leads_of(enterprise=enterprise).get(product=product), False
    audit_record(
        actor=actor,
        verb="lead.created",
        target=lead,
        after={
            "enterprise": enterprise.pk,
            "product": product.pk,
            "version": version.number,
            "source": source,
            "branch": lead.branch_id,
            "indicative_limit": str(limit),
            "due_at": lead.due_at.isoformat(),
        },
    )
    notify_bank_of_new_lead(lead)
    return lead, True


def _grant_financing_consent(*, enterprise, actor, bank) -> None:
    from ecosystem.enterprises.models import Consent
    from ecosystem.enterprises.services import consent_grant

    consent_grant(enterprise=enterprise, actor=actor, bank=bank, purpose=Consent.Purpose.FINANCING)


def match_apply(*, enterprise, actor, match: Match) -> Lead:
    """Ask for a matched product: the bank gets consent and a new lead. Applying again
    while the lead is open returns that lead."""
    _require_member(actor, enterprise)
    if match.enterprise_id != enterprise.pk:
        raise _not_found()
    with transaction.atomic():
        match = (
            Match.objects.select_related("product__bank", "product_version")
            .filter(pk=match.pk, enterprise=enterprise)
            .first()
        )
        if match is None:
            raise ApplicationError(
                _("This match no longer holds; the product or your data changed."),
                code="match_gone",
                status=409,
            )
        if not match.product.is_active:
            raise ConflictError(_("This product is no longer offered."), code="inactive")
        bank = match.product.bank
        _grant_financing_consent(enterprise=enterprise, actor=actor, bank=bank)
        lead, _created = _lead_open_or_create(
            enterprise=enterprise,
            version=match.product_version,
            limit=match.indicative_limit,
            source=Lead.Source.APPLY,
            actor=actor,
        )
    return lead


@dataclass(frozen=True)
class CampaignPreview:
    """What a manager sees before sending: masked rows and the total indicative exposure."""

    product_version: ProductVersion
    rows: list[selectors.MatchRow]
    count: int
    total_exposure: Decimal


def campaign_create(*, product, actor) -> Campaign:
    """A draft campaign for the product's current version."""
    _require_manager(actor, product.bank)
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
    _require_manager(actor, product_version.product.bank)
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
    _require_manager(actor, campaign.bank)
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
            limit = f"{m.indicative_limit:,.0f}"
            notify(
                members.get(m.enterprise_id, []),
                "campaign_invitation",
                title=lambda limit=limit: (
                    _("Pre-approved: %(product)s up to ¥%(limit)s")
                    % {"product": product.name, "limit": limit}
                ),
                body=lambda: (
                    _(
                        "%(bank)s invites you to %(product)s with an indicative limit. "
                        "Accepting shares your data with the bank and starts a request."
                    )
                    % {"bank": product.bank.name, "product": product.name}
                ),
                url=url,
            )
    return current


def _answerable(invitation: CampaignInvitation, actor) -> CampaignInvitation:
    _require_member(actor, invitation.enterprise)
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
        bank = version.product.bank
        _grant_financing_consent(enterprise=current.enterprise, actor=actor, bank=bank)
        lead, _created = _lead_open_or_create(
            enterprise=current.enterprise,
            version=version,
            limit=current.indicative_limit,
            source=Lead.Source.CAMPAIGN,
            actor=actor,
            invitation=current,
        )
        _answer(current, actor, CampaignInvitation.Status.ACCEPTED, "accepted_count")
    return lead


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

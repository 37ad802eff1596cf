"""Opening a lead: routed to the branch serving the enterprise's zone, with the bank's
consent for "financing" granted, or the open lead of the same product returned."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.core.services import audit_record
from ecosystem.enterprises.routing import routes_of
from ecosystem.financing import selectors
from ecosystem.financing.models import (
    Branch,
    Lead,
    ProductVersion,
)
from ecosystem.financing.services.leads.common import notify_bank_of_new_lead
from ecosystem.financing.summary import summary_sync


def route_branch(*, bank, enterprise) -> Branch:
    """The bank's branch serving the enterprise's zone, else its head office
    (``routing.BankRoutes``: the rule the matches a relationship manager sees follow)."""
    branch_id = routes_of([bank.pk])[bank.pk].branch_for(enterprise.zone_id)
    branch = Branch.objects.filter(pk=branch_id).first() if branch_id is not None else None
    if branch is None:
        raise ApplicationError(
            _("%(bank)s has no branch to take this request yet.") % {"bank": bank},
            code="no_branch",
            status=409,
        )
    return branch


def need_terms(need) -> dict:
    """The need's terms as the lead keeps them (empty when the lead serves no need)."""
    if need is None:
        return {}
    return {
        "need": need,
        "need_amount": need.amount,
        "need_term_months": need.term_months,
        "need_purpose": need.purpose,
        "need_collateral": need.collateral,
    }


def lead_open_or_create(
    *,
    enterprise,
    version: ProductVersion,
    limit: Decimal,
    source: str,
    actor,
    invitation=None,
    need=None,
) -> tuple[Lead, bool]:
    """The open lead of the enterprise for the product, or a new one (race-safe) carrying
    ``need``, the financing need it serves, when one is given."""
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
                zone_id=enterprise.zone_id,  # the zone it was routed by
                source=source,
                invitation=invitation,
                indicative_limit=limit,
                created_by=actor,
                **need_terms(need),
            )
            # Both clocks start at creation, in working time (a lead opened out of hours
            # runs from the next working start); ``due_at`` is the first-contact clock.
            lead.first_contact_due_at = version.first_contact_due(lead.created_at)
            lead.decision_due_at = version.decision_due(lead.created_at)
            lead.due_at = lead.first_contact_due_at
            lead.save(update_fields=["due_at", "first_contact_due_at", "decision_due_at"])
            summary_sync(lead, created=True)
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
            "decision_due_at": lead.decision_due_at.isoformat(),
            "need": need.pk if need is not None else None,
            "need_amount": str(need.amount) if need is not None else None,
        },
    )
    notify_bank_of_new_lead(lead)
    return lead, True


def grant_financing_consent(*, enterprise, actor, bank) -> None:
    from ecosystem.enterprises.models import Consent
    from ecosystem.enterprises.services import consent_grant

    consent_grant(enterprise=enterprise, actor=actor, bank=bank, purpose=Consent.Purpose.FINANCING)

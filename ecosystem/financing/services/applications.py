"""An enterprise applies for a match: that grants the bank consent for "financing" and
opens a lead routed to the branch serving the enterprise's zone (``leads.create``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.financing.models import (
    Lead,
    Match,
)
from ecosystem.financing.services.leads.checks import not_found, require_member
from ecosystem.financing.services.leads.create import grant_financing_consent, lead_open_or_create


def match_apply(*, enterprise, actor, match: Match) -> Lead:
    """Ask for a matched product: the bank gets consent and a new lead. Applying again
    while the lead is open returns that lead."""
    require_member(actor, enterprise)
    if match.enterprise_id != enterprise.pk:
        raise not_found()
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
        grant_financing_consent(enterprise=enterprise, actor=actor, bank=bank)
        lead, _created = lead_open_or_create(
            enterprise=enterprise,
            version=match.product_version,
            limit=match.indicative_limit,
            source=Lead.Source.APPLY,
            actor=actor,
        )
    return lead

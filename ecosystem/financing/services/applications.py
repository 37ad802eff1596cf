"""An enterprise applies for a match: that grants the bank consent for "financing" and
opens a lead routed to the branch serving the enterprise's zone (``leads.create``).

The application names the financing need it serves: one of the enterprise's open needs,
or a new one written in the same form (recorded as a need of the enterprise first). The
lead copies the need's terms as they are at that moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.financing import selectors
from ecosystem.financing.models import (
    Lead,
    Match,
)
from ecosystem.financing.services.leads.checks import not_found, require_member
from ecosystem.financing.services.leads.create import grant_financing_consent, lead_open_or_create


@dataclass(frozen=True)
class NewNeed:
    """A need written on the application form (the same fields as the needs page)."""

    amount: Decimal
    term_months: int
    purpose: str
    collateral: str = "none"
    note: str = ""


def figures_refusal(match: Match) -> ApplicationError | None:
    """Why no lead may be made from ``match`` yet: its version asks for verified yearly
    figures and the match stands on declared ones. None when a lead may be made."""
    if match.figures_declared and match.product_version.requires_verified_figures:
        return ApplicationError(
            _(
                "%(product)s takes requests only on yearly figures verified by your zone. "
                "Your figures are declared and not yet verified: ask your zone to verify "
                "them, then apply."
            )
            % {"product": match.product.name},
            code="figures_unverified",
            status=409,
        )
    return None


def _chosen_need(*, enterprise, actor, need, new_need: NewNeed | None):
    from ecosystem.enterprises.models import FinancingNeed
    from ecosystem.enterprises.services import financing_need_create

    if need is not None:
        # Only an open need of this enterprise; any other is as good as missing.
        need = (
            FinancingNeed.objects.filter(
                pk=getattr(need, "pk", need),
                enterprise=enterprise,
                status=FinancingNeed.Status.OPEN,
            )
            .select_for_update()
            .first()
        )
        if need is None:
            raise ApplicationError(
                _("Choose one of this enterprise's open financing needs."),
                code="need_invalid",
                status=400,
            )
        return need
    if new_need is not None:
        return financing_need_create(
            enterprise=enterprise,
            actor=actor,
            amount=new_need.amount,
            term_months=new_need.term_months,
            purpose=new_need.purpose,
            collateral=new_need.collateral,
            note=new_need.note,
        )
    return None


def match_apply(
    *, enterprise, actor, match: Match, need=None, new_need: NewNeed | None = None
) -> Lead:
    """Ask for a matched product: the bank gets consent and a new lead carrying the need
    it serves (``need``, an open need of the enterprise, or ``new_need`` written now).
    Applying again while the lead is open returns that lead unchanged."""
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
        existing = (
            selectors.open_leads_of(enterprise=enterprise).filter(product=match.product).first()
        )
        if existing is not None:
            return existing
        if (refusal := figures_refusal(match)) is not None:
            raise refusal
        chosen = _chosen_need(enterprise=enterprise, actor=actor, need=need, new_need=new_need)
        bank = match.product.bank
        grant_financing_consent(enterprise=enterprise, actor=actor, bank=bank)
        lead, _created = lead_open_or_create(
            enterprise=enterprise,
            version=match.product_version,
            limit=match.indicative_limit,
            source=Lead.Source.APPLY,
            actor=actor,
            need=chosen,
        )
    return lead


#: Asking again within this time does not notify the zone twice.
ASK_AGAIN_AFTER = timedelta(days=1)
VERIFICATION_ASKED = "financial_year.verification_asked"


def figures_verification_asked_at(*, year):
    """When the enterprise last asked its zone to verify ``year`` (None if never)."""
    from ecosystem.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            verb=VERIFICATION_ASKED,
            target_type=ContentType.objects.get_for_model(year),
            target_id=str(year.pk),
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def figures_verification_ask(*, enterprise, actor):
    """The enterprise asks its zone to verify its latest declared year (the one its
    indicative matches rest on): the zone's officials are notified with a link to the
    year's review. Asking again within a day changes nothing. Returns the year."""
    from ecosystem.accounts.scope import officials_of_zone
    from ecosystem.enterprises.models import FinancialYear

    require_member(actor, enterprise)
    with transaction.atomic():
        year = (
            FinancialYear.objects.select_for_update()
            .filter(enterprise=enterprise, verification_status="unverified")
            .order_by("-year")
            .first()
        )
        if year is None:
            raise ApplicationError(
                _("There are no declared figures awaiting verification."),
                code="nothing_to_verify",
                status=409,
            )
        asked = figures_verification_asked_at(year=year)
        if asked is not None and asked > timezone.now() - ASK_AGAIN_AFTER:
            return year
        audit_record(actor=actor, verb=VERIFICATION_ASKED, target=year, after={"year": year.year})
        notify(
            officials_of_zone(enterprise.zone_id),
            "figures_verification_asked",
            title=lambda: (
                _("%(enterprise)s asks you to verify its %(year)s figures")
                % {"enterprise": enterprise.name, "year": year.year}
            ),
            body=lambda: _("Its financing matches are indicative until the figures are verified."),
            url=reverse("zone_year_review", args=[year.pk]),
        )
    return year

"""Offers, their answers, and disbursement."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import money, msg
from ecosystem.financing import workflow
from ecosystem.financing.models import Disbursement, Lead, Offer
from ecosystem.financing.services.leads.common import (
    S,
    apply_move,
    bank_lead_url,
    bank_managers,
    check_move,
    enterprise_offer_url,
    lead_party,
    lock_lead,
    not_found,
    notify_enterprise,
    tell,
)


def _check_offer_terms(
    lead: Lead,
    *,
    amount: Decimal,
    rate: Decimal,
    term_months: int,
    valid_until: datetime,
    override_reason: str,
) -> None:
    """Every refused term at once: ``extra["errors"]`` names each field and its message
    (the form shows each beside its field); ``code`` is the first refusal's."""
    version = lead.product_version
    refused: list[tuple[str, str, str]] = []
    if not version.amount_min <= amount <= version.amount_max:
        refused.append(
            (
                "amount",
                "amount_out_of_range",
                _("The amount must be between ¥%(low)s and ¥%(high)s for this product.")
                % {"low": f"{version.amount_min:,.0f}", "high": f"{version.amount_max:,.0f}"},
            )
        )
    elif amount > lead.indicative_limit and not override_reason:
        refused.append(
            (
                "override_reason",
                "override_reason_required",
                _(
                    "The amount is above the indicative limit of ¥%(limit)s; "
                    "record the reason for exceeding it."
                )
                % {"limit": f"{lead.indicative_limit:,.0f}"},
            )
        )
    if not version.rate_min <= rate <= version.rate_max:
        refused.append(
            (
                "rate",
                "rate_out_of_range",
                _("The rate must be between %(low)s%% and %(high)s%% for this product.")
                % {"low": version.rate_min, "high": version.rate_max},
            )
        )
    if not version.term_min_months <= term_months <= version.term_max_months:
        refused.append(
            (
                "term_months",
                "term_out_of_range",
                _("The term must be between %(low)d and %(high)d months for this product.")
                % {"low": version.term_min_months, "high": version.term_max_months},
            )
        )
    if valid_until <= timezone.now():
        refused.append(
            ("valid_until", "past_valid", _("The offer must be valid until a future time."))
        )
    if refused:
        errors: dict[str, list[str]] = {}
        for field, _code, message in refused:
            errors.setdefault(field, []).append(message)
        raise ApplicationError(
            " ".join(message for _field, _code, message in refused),
            code=refused[0][1],
            extra={"errors": errors},
        )


def offer_make(
    *,
    lead: Lead,
    actor,
    amount: Decimal,
    rate: Decimal,
    term_months: int,
    valid_until: datetime,
    conditions: str = "",
    override_reason: str = "",
) -> Offer:
    """Offer terms within the product version's ranges; above the lead's indicative
    limit only with a recorded reason. The lead becomes ``offer_made``."""
    party = lead_party(actor, lead)
    if party not in (workflow.RM, workflow.MANAGER):
        raise not_found()
    amount, rate, override_reason = Decimal(amount), Decimal(rate), override_reason.strip()
    with transaction.atomic():
        current = lock_lead(lead)
        check_move(current, S.OFFER_MADE, party, actor)
        _check_offer_terms(
            current,
            amount=amount,
            rate=rate,
            term_months=term_months,
            valid_until=valid_until,
            override_reason=override_reason,
        )
        offer = Offer.objects.create(
            lead=current,
            amount=amount,
            rate=rate,
            term_months=term_months,
            conditions=conditions.strip(),
            valid_until=valid_until,
            override_reason=override_reason,
            created_by=actor,
        )
        apply_move(
            current,
            S.OFFER_MADE,
            actor=actor,
            party=party,
            audit={
                "offer": offer.pk,
                "amount": str(amount),
                "rate": str(rate),
                "term_months": term_months,
                "override_reason": override_reason,
            },
        )
        notify_enterprise(
            current,
            body=msg(
                gettext_noop("Offer: %(amount)s at %(rate)s%% for %(term)s months."),
                amount=money(amount),
                rate=str(rate),
                term=term_months,
            ),
            url=enterprise_offer_url(current, offer),
        )
    return offer


def _answer_offer(*, offer: Offer, actor, accept: bool) -> Offer:
    lead = offer.lead
    if lead_party(actor, lead) != workflow.ENTERPRISE:
        raise not_found()
    with transaction.atomic():
        current_lead = lock_lead(lead)
        current = Offer.objects.select_for_update().get(pk=offer.pk, lead=current_lead)
        if current.status != Offer.Status.MADE:
            raise ConflictError(
                _("This offer was already answered: %(status)s.")
                % {"status": current.get_status_display()},
                code="already_answered",
            )
        to = S.ACCEPTED if accept else S.CONTACTED
        check_move(current_lead, to, workflow.ENTERPRISE, actor)
        if accept and current.valid_until <= timezone.now():
            raise ConflictError(
                _("This offer expired on %(when)s; ask the bank for a new one.")
                % {"when": timezone.localtime(current.valid_until).strftime("%Y-%m-%d %H:%M")},
                code="offer_expired",
            )
        current.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
        current.responded_at = timezone.now()
        current.responded_by = actor
        current.save(update_fields=["status", "responded_at", "responded_by"])
        apply_move(
            current_lead,
            to,
            actor=actor,
            party=workflow.ENTERPRISE,
            audit={"offer": current.pk, "offer_status": current.status},
        )
        name = current_lead.enterprise.name
        recipients = [current_lead.assigned_to] if current_lead.assigned_to else []
        tell(
            recipients or bank_managers(current_lead),
            kind="offer_answer",
            title=msg(
                gettext_noop("%(enterprise)s accepted the offer")
                if accept
                else gettext_noop("%(enterprise)s declined the offer"),
                enterprise=name,
            ),
            url=bank_lead_url(current_lead),
        )
    return current


def offer_accept(*, offer: Offer, actor) -> Offer:
    """The enterprise accepts a valid offer; an expired one is refused."""
    return _answer_offer(offer=offer, actor=actor, accept=True)


def offer_decline(*, offer: Offer, actor) -> Offer:
    """The enterprise declines; the lead goes back to ``contacted`` for a new offer."""
    return _answer_offer(offer=offer, actor=actor, accept=False)


def disbursement_record(*, lead: Lead, actor, amount: Decimal, disbursed_on: date) -> Disbursement:
    """The relationship manager records the money paid out on the accepted offer."""
    party = lead_party(actor, lead)
    if party not in (workflow.RM, workflow.MANAGER):
        raise not_found()
    amount = Decimal(amount)
    with transaction.atomic():
        current = lock_lead(lead)
        check_move(current, S.DISBURSED, party, actor)
        offer = current.offers.filter(status=Offer.Status.ACCEPTED).order_by("-id").first()
        if offer is None:  # the table guarantees an accepted offer; be explicit anyway
            raise ConflictError(_("There is no accepted offer."), code="no_offer")
        if not Decimal(0) < amount <= offer.amount:
            raise ApplicationError(
                _("The amount must be positive and at most the offered ¥%(amount)s.")
                % {"amount": f"{offer.amount:,.0f}"},
                code="amount_out_of_range",
            )
        if disbursed_on > timezone.localdate():
            raise ApplicationError(_("The date cannot be in the future."), code="future_date")
        disbursement = Disbursement.objects.create(
            lead=current, offer=offer, amount=amount, disbursed_on=disbursed_on, recorded_by=actor
        )
        apply_move(
            current,
            S.DISBURSED,
            actor=actor,
            party=party,
            audit={"amount": str(amount), "disbursed_on": disbursed_on.isoformat()},
        )
        notify_enterprise(current)
    return disbursement

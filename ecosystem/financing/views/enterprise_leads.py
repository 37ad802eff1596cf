"""The enterprise's side of its leads: statuses, plain-language reasons, offer answers."""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.views.common import enterprise_context, member_enterprise
from ecosystem.financing import services
from ecosystem.financing.models import Lead, Offer
from ecosystem.financing.views.leads import refused

S = Lead.Status


def _enterprise_leads(enterprise) -> QuerySet[Lead]:
    return Lead.objects.filter(enterprise=enterprise).select_related("product", "bank", "branch")


@verified_email_required
def enterprise_leads(request, pk: int):
    enterprise = member_enterprise(request, pk)
    leads = list(_enterprise_leads(enterprise))
    open_offers = {
        offer.lead_id: offer
        for offer in Offer.objects.filter(lead__in=leads, status=Offer.Status.MADE)
    }
    now = timezone.now()
    rows = [
        {
            "lead": lead,
            "offer": open_offers.get(lead.pk),
            "offer_valid": (
                lead.pk in open_offers
                and open_offers[lead.pk].valid_until > now
                and lead.status == S.OFFER_MADE
            ),
            "reason": lead.reason_text,
        }
        for lead in leads
    ]
    return render(
        request,
        "financing/leads/enterprise_leads.html",
        enterprise_context(request, enterprise, "leads", rows=rows),
    )


def _offer(enterprise, offer_pk: int) -> Offer:
    return get_object_or_404(
        Offer.objects.filter(lead__enterprise=enterprise).select_related(
            "lead__bank", "lead__branch", "lead__product"
        ),
        pk=offer_pk,
    )


@verified_email_required
def enterprise_offer_confirm(request, pk: int, offer_pk: int):
    """The step before accepting: the offer's terms, and a button that confirms them."""
    enterprise = member_enterprise(request, pk)
    offer = _offer(enterprise, offer_pk)
    answerable = (
        offer.status == Offer.Status.MADE
        and offer.lead.status == S.OFFER_MADE
        and offer.valid_until > timezone.now()
    )
    return render(
        request,
        "financing/leads/offer_confirm.html",
        enterprise_context(request, enterprise, "matches", offer=offer, answerable=answerable),
    )


def _answer(request, pk: int, offer_pk: int, *, accept: bool):
    enterprise = member_enterprise(request, pk)
    offer = _offer(enterprise, offer_pk)
    if accept and request.POST.get("confirm") != "yes":
        # Accepting binds the firm: only from the page that shows the terms.
        return redirect("financing_enterprise_offer_confirm", pk=enterprise.pk, offer_pk=offer.pk)
    try:
        if accept:
            services.offer_accept(offer=offer, actor=request.user)
        else:
            services.offer_decline(offer=offer, actor=request.user)
    except ApplicationError as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("Offer accepted. The bank will arrange the disbursement.")
            if accept
            else _("Offer declined. The bank may make you another one."),
        )
    return redirect("financing_enterprise_leads", pk=enterprise.pk)


@verified_email_required
@require_POST
def enterprise_offer_accept(request, pk: int, offer_pk: int):
    return _answer(request, pk, offer_pk, accept=True)


@verified_email_required
@require_POST
def enterprise_offer_decline(request, pk: int, offer_pk: int):
    return _answer(request, pk, offer_pk, accept=False)

"""Bank pages: pre-approval campaigns (pick a product, preview masked, send)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.financing import selectors, services
from ecosystem.financing.forms import CampaignCreateForm
from ecosystem.financing.models import Campaign
from ecosystem.financing.views.common import bank_context, bank_manager_required

PREVIEW_ROWS = 200


def _campaign(request, campaign_pk: int) -> Campaign:
    return get_object_or_404(selectors.campaigns_visible_to(user=request.user), pk=campaign_pk)


@bank_manager_required
def campaign_list(request):
    products = selectors.products_managed_by(user=request.user)
    page = Paginator(selectors.campaigns_visible_to(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "financing/campaigns.html",
        bank_context(request, "campaigns", page=page, form=CampaignCreateForm(products=products)),
    )


@bank_manager_required
@require_POST
def campaign_create(request):
    products = selectors.products_managed_by(user=request.user)
    form = CampaignCreateForm(request.POST, products=products)
    if form.is_valid():
        try:
            campaign = services.campaign_create(
                product=form.cleaned_data["product"], actor=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("financing_campaign_detail", campaign_pk=campaign.pk)
    else:
        messages.error(request, _("Choose an active product of your bank."))
    return redirect("financing_campaigns")


@bank_manager_required
def campaign_detail(request, campaign_pk: int):
    """A draft shows the masked preview and the send button; a sent one its answers."""
    campaign = _campaign(request, campaign_pk)
    context = {"campaign": campaign}
    if campaign.status == Campaign.Status.DRAFT:
        context["preview"] = services.campaign_preview(
            product_version=campaign.product_version, actor=request.user, limit=PREVIEW_ROWS
        )
        current = campaign.product_version.product.current_version
        context["outdated"] = current is None or current.pk != campaign.product_version_id
    else:
        invitations = selectors.invitations_of_campaign(campaign=campaign)
        context["page"] = Paginator(invitations, 50).get_page(request.GET.get("page"))
    return render(
        request, "financing/campaign_detail.html", bank_context(request, "campaigns", **context)
    )


@bank_manager_required
@require_POST
def campaign_send(request, campaign_pk: int):
    campaign = _campaign(request, campaign_pk)
    try:
        campaign = services.campaign_send(campaign=campaign, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", campaign.invited_count)
            % {"n": campaign.invited_count},
        )
    return redirect("financing_campaign_detail", campaign_pk=campaign.pk)

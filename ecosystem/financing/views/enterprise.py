"""The enterprise's side: its matches with explanations and near misses, applying, and
the banks' invitations with their answers. Members only; anyone else gets a 404."""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.views.common import enterprise_context, member_enterprise
from ecosystem.financing import selectors, services
from ecosystem.financing.forms import ApplyForm


def _open_needs(enterprise) -> list:
    from ecosystem.enterprises.models import FinancingNeed

    return list(enterprise.financing_needs.filter(status=FinancingNeed.Status.OPEN))


def _matches_page(request, enterprise, *, bound: ApplyForm | None = None, status: int = 200):
    """The match page; each match that may be applied for carries its application form
    (``bound``, the one just submitted with its errors and what was typed, replaces its
    match's)."""
    result = selectors.explained_matches(enterprise=enterprise)
    open_invitations = [i for i in selectors.invitations_of(enterprise=enterprise) if i.is_open]
    needs = _open_needs(enterprise)
    indicative = any(item.evaluation.figures_declared for item in result.matched)
    asked_at = None
    if indicative:
        year = enterprise.financial_years.filter(verification_status="unverified").first()
        asked_at = year and services.figures_verification_asked_at(year=year)
    for item in result.matched:
        if item.match is not None and (refusal := services.figures_refusal(item.match)):
            item.refusal = refusal.message
        if item.match is not None and item.lead is None and not item.refusal:
            prefix = f"m{item.match.pk}"
            item.apply_form = (
                bound
                if bound is not None and bound.prefix == prefix
                else ApplyForm(needs=needs, prefix=prefix)
            )
    return render(
        request,
        "financing/enterprise_matches.html",
        enterprise_context(
            request,
            enterprise,
            "matches",
            matched=result.matched,
            near_misses=result.near_misses,
            open_invitations=open_invitations,
            needs=needs,
            indicative=indicative,
            verification_asked_at=asked_at,
        ),
        status=status,
    )


@verified_email_required
def enterprise_matches(request, pk: int):
    return _matches_page(request, member_enterprise(request, pk))


@verified_email_required
@require_POST
def match_apply(request, pk: int, match_pk: int):
    enterprise = member_enterprise(request, pk)
    match = get_object_or_404(selectors.matches_of_enterprise(enterprise=enterprise), pk=match_pk)
    form = ApplyForm(request.POST, needs=_open_needs(enterprise), prefix=f"m{match.pk}")
    if not form.is_valid():
        messages.error(request, _("Check the financing need: nothing was sent."))
        return _matches_page(request, enterprise, bound=form, status=400)
    try:
        lead = services.match_apply(
            enterprise=enterprise,
            actor=request.user,
            match=match,
            need=form.cleaned_data["need"],
            new_need=form.cleaned_data["new_need"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Your request for %(product)s was sent to %(branch)s. %(bank)s may now see "
                "this enterprise's data for financing; you can revoke that under Bank consent."
            )
            % {"product": lead.product.name, "branch": lead.branch.name, "bank": lead.bank.name},
        )
    return redirect("financing_enterprise_matches", pk=enterprise.pk)


@verified_email_required
def invitation_list(request, pk: int):
    enterprise = member_enterprise(request, pk)
    return render(
        request,
        "financing/invitations.html",
        enterprise_context(
            request,
            enterprise,
            "matches",
            invitations=selectors.invitations_of(enterprise=enterprise),
        ),
    )


def _invitation(request, pk: int, invitation_pk: int):
    enterprise = member_enterprise(request, pk)
    invitation = get_object_or_404(
        selectors.invitations_of(enterprise=enterprise), pk=invitation_pk
    )
    return enterprise, invitation


@verified_email_required
@require_POST
def invitation_accept(request, pk: int, invitation_pk: int):
    enterprise, invitation = _invitation(request, pk, invitation_pk)
    try:
        lead = services.invitation_accept(invitation=invitation, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Accepted: %(branch)s of %(bank)s will contact you about %(product)s.")
            % {"branch": lead.branch.name, "bank": lead.bank.name, "product": lead.product.name},
        )
    return redirect("financing_invitations", pk=enterprise.pk)


@verified_email_required
@require_POST
def invitation_decline(request, pk: int, invitation_pk: int):
    enterprise, invitation = _invitation(request, pk, invitation_pk)
    try:
        services.invitation_decline(invitation=invitation, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Declined. Nothing was shared with the bank."))
    return redirect("financing_invitations", pk=enterprise.pk)


@verified_email_required
@require_POST
def figures_verification_ask(request, pk: int):
    enterprise = member_enterprise(request, pk)
    try:
        services.figures_verification_ask(enterprise=enterprise, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your zone was asked to verify your figures."))
    return redirect("financing_enterprise_matches", pk=enterprise.pk)

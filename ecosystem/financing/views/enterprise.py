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


@verified_email_required
def enterprise_matches(request, pk: int):
    enterprise = member_enterprise(request, pk)
    result = selectors.explained_matches(enterprise=enterprise)
    open_invitations = [i for i in selectors.invitations_of(enterprise=enterprise) if i.is_open]
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
        ),
    )


@verified_email_required
@require_POST
def match_apply(request, pk: int, match_pk: int):
    enterprise = member_enterprise(request, pk)
    match = get_object_or_404(selectors.matches_of_enterprise(enterprise=enterprise), pk=match_pk)
    try:
        lead = services.match_apply(enterprise=enterprise, actor=request.user, match=match)
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

"""Members of an enterprise: join requests, invitations, removal, ownership, leaving.
Owners manage; every member sees the list and may leave (except the last owner)."""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.accounts import services as account_services
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import selectors, services
from ecosystem.enterprises.forms import InviteForm, TransferForm
from ecosystem.enterprises.views.common import enterprise_context, form_error, member_enterprise


def _others(request, enterprise):
    return [m for m in selectors.members_of(enterprise=enterprise) if m.user_id != request.user.pk]


def _page(request, enterprise, *, invite_form=None, transfer_form=None):
    context = enterprise_context(
        request,
        enterprise,
        "members",
        members=selectors.members_of(enterprise=enterprise),
    )
    if context["is_owner"]:
        context.update(
            join_requests=selectors.pending_join_requests(enterprise=enterprise),
            invite_form=invite_form or InviteForm(),
            transfer_form=transfer_form or TransferForm(memberships=_others(request, enterprise)),
        )
    return render(request, "enterprises/members.html", context)


@verified_email_required
def member_list(request, pk: int):
    return _page(request, member_enterprise(request, pk))


@verified_email_required
@require_POST
def member_invite(request, pk: int):
    enterprise = member_enterprise(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            account_services.enterprise_invitation_create(
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                enterprise=enterprise,
            )
        except ApplicationError as exc:
            form_error(form, exc, field="email")
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("member_list", pk=enterprise.pk)
    return _page(request, enterprise, invite_form=form)


@verified_email_required
@require_POST
def member_remove(request, pk: int, membership_pk: int):
    enterprise = member_enterprise(request, pk)
    membership = get_object_or_404(selectors.members_of(enterprise=enterprise), pk=membership_pk)
    try:
        services.member_remove(enterprise=enterprise, actor=request.user, membership=membership)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(user)s was removed.") % {"user": membership.user})
    return redirect("member_list", pk=enterprise.pk)


@verified_email_required
@require_POST
def ownership_transfer(request, pk: int):
    enterprise = member_enterprise(request, pk)
    others = _others(request, enterprise)
    form = TransferForm(request.POST, memberships=others)
    if form.is_valid():
        target = next(m for m in others if m.pk == form.cleaned_data["membership"])
        try:
            services.ownership_transfer(
                enterprise=enterprise,
                actor=request.user,
                to=target,
                keep_owner=form.cleaned_data["keep_owner"],
            )
        except ApplicationError as exc:
            form_error(form, exc, field="membership")
        else:
            messages.success(request, _("%(user)s is now an owner.") % {"user": target.user})
            return redirect("member_list", pk=enterprise.pk)
    return _page(request, enterprise, transfer_form=form)


@verified_email_required
@require_POST
def member_leave(request, pk: int):
    enterprise = member_enterprise(request, pk)
    try:
        services.member_leave(enterprise=enterprise, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("member_list", pk=enterprise.pk)
    messages.success(request, _("You left %(name)s.") % {"name": enterprise.name})
    return redirect("my_enterprises")


@verified_email_required
@require_POST
def join_request_decide(request, pk: int, request_pk: int):
    enterprise = member_enterprise(request, pk)
    join_request = get_object_or_404(
        selectors.pending_join_requests(enterprise=enterprise), pk=request_pk
    )
    approve = request.POST.get("decision") == "approve"
    try:
        services.join_request_decide(join_request=join_request, actor=request.user, approve=approve)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        text = (
            _("%(user)s joined as a member.")
            if approve
            else _("The request of %(user)s was declined.")
        )
        messages.success(request, text % {"user": join_request.user})
    return redirect("member_list", pk=enterprise.pk)

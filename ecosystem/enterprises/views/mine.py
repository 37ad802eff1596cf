"""The signed-in user's enterprises and their own join requests."""

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.accounts.roles import ENTERPRISE_ROLES
from ecosystem.accounts.scope import active_memberships
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import services
from ecosystem.enterprises.models import JoinRequest
from ecosystem.enterprises.selectors import join_requests_of, onboarding_draft_of


@verified_email_required
def my_enterprises(request):
    """Enterprises the user belongs to with their role, a way to register one, and the
    user's pending requests to join others."""
    memberships = sorted(
        (m for m in active_memberships(request.user) if m.role in ENTERPRISE_ROLES),
        key=lambda m: m.enterprise.name,
    )
    return render(
        request,
        "enterprises/my_enterprises.html",
        {
            "memberships": memberships,
            "join_requests": join_requests_of(user=request.user).filter(
                status=JoinRequest.Status.PENDING
            ),
            "draft": onboarding_draft_of(user=request.user),
        },
    )


@verified_email_required
@require_POST
def join_request_cancel(request, request_pk: int):
    join_request = get_object_or_404(join_requests_of(user=request.user), pk=request_pk)
    try:
        services.join_request_cancel(join_request=join_request, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Your request to join %(name)s was withdrawn.")
            % {"name": join_request.enterprise.name},
        )
    return redirect("my_enterprises")

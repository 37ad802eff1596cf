import time

from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecosystem.accounts import permissions, selectors, services
from ecosystem.accounts.forms import InvitationAcceptForm, StaffTokenForm
from ecosystem.accounts.models import Invitation
from ecosystem.accounts.scope import active_memberships
from ecosystem.core.errors import ApplicationError

BACKEND = "django.contrib.auth.backends.ModelBackend"


def invitation_accept(request, token: str):
    invitation = (
        Invitation.objects.filter(token=token)
        .select_related("zone", "program", "bank", "branch")
        .first()
    )
    if invitation is None:
        raise Http404
    if not invitation.is_open:
        return render(request, "accounts/invitation_closed.html", status=410)
    signed_in = request.user if request.user.is_authenticated else None
    form = InvitationAcceptForm(request.POST or None)
    if signed_in is not None:
        form = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user, _membership = services.invitation_accept(
                token=token,
                user=signed_in,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except ApplicationError as exc:
            if form is not None:
                form.add_error(exc.extra.get("field"), exc.message)
            else:
                messages.error(request, exc.message)
        else:
            if signed_in is None:
                login(request, user, backend=BACKEND)
                # The password was just set here: tell allauth, so that enrolling the
                # second factor does not ask for it again at once.
                record_authentication(request, user, "password", email=user.email)
            if invitation.enterprise_id:
                messages.success(
                    request, _("Welcome to %(name)s.") % {"name": invitation.enterprise.name}
                )
                return redirect(invitation.enterprise.get_absolute_url())
            messages.success(request, _("Welcome. Set up two-factor authentication to continue."))
            return redirect(reverse("mfa_activate_totp"))
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


# --- staff API tokens ------------------------------------------------------------------


def _fresh_second_factor(request) -> bool:
    """A TOTP code was entered in this session within ``STAFF_TOKEN_TOTP_FRESH_SECONDS``
    (at sign-in or at allauth's second-factor reauthentication)."""
    now = time.time()
    return any(
        record.get("method") == "mfa"
        and record.get("type") == Authenticator.Type.TOTP
        and now - record.get("at", 0) < settings.STAFF_TOKEN_TOTP_FRESH_SECONDS
        for record in get_authentication_records(request, request.user)
    )


def _ask_for_second_factor(request):
    """allauth's second-factor reauthentication; the POST is kept and resumed after it."""
    messages.info(request, _("Enter a code from your authenticator app to continue."))
    return suspend_request(request, reverse("mfa_reauthenticate"))


def _token_banks(request) -> list:
    """The banks the user works for, as objects (from their memberships)."""
    allowed = permissions.token_banks(request.user)
    banks = {m.bank_id: m.bank for m in active_memberships(request.user) if m.bank_id in allowed}
    return [banks[pk] for pk in sorted(banks)]


def _tokens_page(request, *, form=None, status=200):
    refusal = permissions.token_refusal(request.user)
    if form is None and not refusal:
        form = StaffTokenForm(banks=_token_banks(request))
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": selectors.tokens_of(user=request.user),
            "form": form,
            "refusal": refusal,
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_GET
def api_tokens(request):
    """The user's API tokens and the form for a new one (or why they may hold none)."""
    return _tokens_page(request)


@login_required
@require_POST
def api_token_create(request):
    """Create a token after a fresh TOTP check; its key is shown on this answer only."""
    if permissions.token_refusal(request.user):
        return _tokens_page(request, status=403)
    if not _fresh_second_factor(request):
        return _ask_for_second_factor(request)
    form = StaffTokenForm(request.POST, banks=_token_banks(request))
    if form.is_valid():
        try:
            token, key = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                bank=form.chosen_bank,
                days=form.cleaned_data["days"],
            )
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            response = render(
                request, "accounts/api_token_created.html", {"token": token, "key": key}
            )
            response["Cache-Control"] = "no-store"
            return response
    return _tokens_page(request, form=form, status=400)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of the user's own tokens after a fresh TOTP check."""
    token = get_object_or_404(selectors.tokens_of(user=request.user), pk=pk)
    if not _fresh_second_factor(request):
        return _ask_for_second_factor(request)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("api_tokens")

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ecosystem.accounts import services
from ecosystem.accounts.forms import InvitationAcceptForm
from ecosystem.accounts.models import Invitation
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

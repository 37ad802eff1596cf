"""Staff must enrol a second factor before any staff page opens."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ecosystem.accounts.permissions import needs_second_factor
from ecosystem.accounts.selectors import is_staff_user

#: Paths a staff user without a second factor may still open: sign-in and MFA set-up,
#: language switch, static files. The API answers 403 itself (see api/permissions.py).
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/api/", "/invitations/")


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            if needs_second_factor(user):
                messages.warning(
                    request,
                    _("Staff accounts need two-factor authentication. Set it up to continue."),
                )
                return redirect(reverse("mfa_activate_totp"))
            if is_staff_user(user=user) and not request.session.get("staff_expiry_set"):
                request.session.set_expiry(settings.STAFF_SESSION_AGE)
                request.session["staff_expiry_set"] = True
        return self.get_response(request)

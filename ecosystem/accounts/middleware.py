"""Staff must enrol a second factor before any staff page opens, and a staff session ends
after a while without activity as well as at its absolute age."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ecosystem.accounts.permissions import needs_second_factor
from ecosystem.accounts.scope import keep_for_request
from ecosystem.accounts.selectors import is_staff_user

#: Paths a staff user without a second factor may still open: sign-in and MFA set-up,
#: language switch, static files. The API answers 403 itself (see api/permissions.py).
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/api/", "/invitations/")

#: Session key holding the time (epoch seconds) of a staff user's last request.
LAST_ACTIVITY_KEY = "staff_last_activity"
#: The stored time is refreshed at most this often, so that not every request writes the session.
ACTIVITY_RESOLUTION = 60


def _clock() -> float:
    return time.time()


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            # The request's memberships are read once, for the gates, pages and navigation.
            keep_for_request(user)
        if self._idle_too_long(request, user):
            logout(request)
            if request.path.startswith("/api/"):
                # The API goes on as anonymous and answers 403 itself.
                return self.get_response(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)d minutes without activity.")
                % {"minutes": settings.STAFF_IDLE_TIMEOUT // 60},
            )
            return redirect_to_login(request.get_full_path())
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

    @staticmethod
    def _idle_too_long(request, user) -> bool:
        """Record a staff user's activity; true once the gap since the last request is too long."""
        if user is None or not user.is_authenticated or request.path.startswith("/static/"):
            return False
        if not is_staff_user(user=user):
            return False
        now = _clock()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > settings.STAFF_IDLE_TIMEOUT:
            return True
        if last is None or now - last >= ACTIVITY_RESOLUTION:
            request.session[LAST_ACTIVITY_KEY] = now
        return False

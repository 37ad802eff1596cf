from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from ecosystem.accounts.permissions import needs_second_factor


class StaffHasSecondFactor(BasePermission):
    """Staff accounts reach the API only once a second factor is enrolled."""

    message = _("Staff accounts must set up two-factor authentication first.")

    def has_permission(self, request, view):
        user = request.user
        return not (user and user.is_authenticated and needs_second_factor(user))


#: URL names an integration token (a bank's lead feed) may reach: the lead endpoints.
LEAD_FEED_URL_PREFIX = "api-financing-lead-"


class TokenScope(BasePermission):
    """What a request authenticated by a staff token may reach: a read-only token every safe
    method (a write is 403); an integration token the lead feed only (anything else, 403).
    Requests signed in by session are not concerned."""

    message = _("This API token may not do that.")

    def has_permission(self, request, view):
        from ecosystem.accounts.models import StaffToken

        token = request.auth
        if not isinstance(token, StaffToken):
            return True
        if token.kind == StaffToken.Kind.READ_ONLY:
            if request.method in SAFE_METHODS:
                return True
            self.message = _("A read-only API token cannot change anything.")
            return False
        match = getattr(request, "resolver_match", None)
        name = getattr(match, "url_name", None) or ""
        if name.startswith(LEAD_FEED_URL_PREFIX):
            return True
        self.message = _("An integration token reaches only its bank's lead feed.")
        return False

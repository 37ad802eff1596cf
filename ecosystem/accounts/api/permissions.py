from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ecosystem.accounts.permissions import needs_second_factor


class StaffHasSecondFactor(BasePermission):
    """Staff accounts reach the API only once a second factor is enrolled."""

    message = _("Staff accounts must set up two-factor authentication first.")

    def has_permission(self, request, view):
        user = request.user
        return not (user and user.is_authenticated and needs_second_factor(user))

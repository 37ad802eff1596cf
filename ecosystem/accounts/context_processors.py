"""Navigation context: the signed-in user's roles."""

from ecosystem.accounts.roles import BANK_ROLES, ENTERPRISE_ROLES, Role
from ecosystem.accounts.selectors import request_memberships
from ecosystem.core.selectors import unread_notification_count


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = request_memberships(user=user)
    held = {m.role for m in memberships}
    return {
        "my_memberships": memberships,
        "nav_enterprise": bool(held & ENTERPRISE_ROLES),
        "nav_zone": Role.ZONE_OFFICIAL in held,
        "nav_registry": Role.REGISTRY_OFFICER in held,
        "nav_bank": bool(held & BANK_ROLES),
        "nav_admin": user.is_superuser,
        "unread_notifications": unread_notification_count(user=user),
    }

"""Navigation context: the signed-in user's roles."""

from ecosystem.accounts.roles import BANK_ROLES, ENTERPRISE_ROLES, Role
from ecosystem.accounts.scope import active_memberships, scope_of
from ecosystem.core.selectors import unread_notification_count


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    held = scope.roles
    memberships = active_memberships(user)
    return {
        "my_memberships": memberships,
        #: The user's enterprises (scope objects already joined): each one's applications
        #: and offers page is in the navigation.
        "nav_enterprises": [m.enterprise for m in memberships if m.role in ENTERPRISE_ROLES],
        "nav_enterprise": bool(held & ENTERPRISE_ROLES),
        "nav_zone": Role.ZONE_OFFICIAL in held,
        "nav_registry": Role.REGISTRY_OFFICER in held,
        "nav_bank": bool(held & BANK_ROLES),
        "nav_admin": scope.is_platform_admin,
        "unread_notifications": unread_notification_count(user=user),
    }

"""Account reads: a user's active memberships and what they imply."""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import BANK_ROLES, ENTERPRISE_ROLES, STAFF_ROLES, Role


def memberships_of(*, user):
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("enterprise", "zone", "program", "bank", "branch")
        .order_by("role", "id")
    )


#: Attribute on a request's user holding its active memberships, read once per request.
_CACHE = "_active_memberships"


def request_memberships(*, user) -> list[Membership]:
    """The user's active memberships as a list, read once and kept on this user object.

    For the page and API layers, where ``request.user`` lives for one request: the
    middleware, the view gates and the navigation then share one query. Services and
    tasks use ``memberships_of`` and read fresh rows."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(memberships_of(user=user))
        setattr(user, _CACHE, cached)
    return cached


def held_roles(*, user) -> set[str]:
    """The roles in ``request_memberships`` (one query per request)."""
    return {m.role for m in request_memberships(user=user)}


def roles_of(*, user) -> set[str]:
    return {m.role for m in memberships_of(user=user)}


def is_staff_user(*, user) -> bool:
    """Staff: platform admins and anyone holding a zone, registry or bank role."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(held_roles(user=user) & STAFF_ROLES)


def has_second_factor(*, user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def zones_of(*, user):
    from ecosystem.zones.models import Zone

    return Zone.objects.filter(
        memberships__user=user,
        memberships__role=Role.ZONE_OFFICIAL,
        memberships__is_active=True,
    ).distinct()


def enterprises_of(*, user):
    from ecosystem.enterprises.models import Enterprise

    return Enterprise.objects.filter(
        memberships__user=user,
        memberships__role__in=ENTERPRISE_ROLES,
        memberships__is_active=True,
    ).distinct()


def programs_of(*, user):
    from ecosystem.registries.models import Program

    return Program.objects.filter(
        memberships__user=user,
        memberships__role=Role.REGISTRY_OFFICER,
        memberships__is_active=True,
    ).distinct()


def banks_of(*, user):
    from ecosystem.financing.models import Bank

    return Bank.objects.filter(
        memberships__user=user, memberships__role__in=BANK_ROLES, memberships__is_active=True
    ).distinct()

"""Account reads. Memberships are read only in ``accounts.scope``; this module answers
questions about the account itself."""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from ecosystem.accounts.scope import scope_of


def is_staff_user(*, user) -> bool:
    """Staff: platform admins and anyone holding a zone, registry or bank role."""
    return scope_of(user).is_staff


def has_second_factor(*, user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

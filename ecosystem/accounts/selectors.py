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


def tokens_of(*, user):
    """The user's own API tokens (used, expired and revoked ones too), newest first."""
    from ecosystem.accounts.models import StaffToken

    if not getattr(user, "is_authenticated", False):
        return StaffToken.objects.none()
    return StaffToken.objects.filter(user=user).select_related("bank")


def token_for_key(*, key: str):
    """The token a presented key belongs to (whatever its state), or None."""
    from ecosystem.accounts.models import StaffToken, token_digest

    return (
        StaffToken.objects.filter(digest=token_digest(key)).select_related("user", "bank").first()
    )
